import path from 'node:path';
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from 'next/constants';
import { exitOnInvalidEnvironment } from '@authbridge/config';
import { loadRootEnv } from '@authbridge/config/root-env';
import { parseServerEnv } from './src/lib/env';

// One .env at the repository root serves every app; the process environment wins.
loadRootEnv(process.env, __dirname);

export default function nextConfig(phase: string): NextConfig {
  // `next start` and `next dev` refuse to serve on a bad environment, with one line naming
  // the variable and the rule. `next build` needs no secrets, so it is not checked here.
  if (phase === PHASE_PRODUCTION_SERVER || phase === PHASE_DEVELOPMENT_SERVER) {
    exitOnInvalidEnvironment(() => parseServerEnv(process.env));
  }
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    outputFileTracingRoot: path.join(__dirname, '..'),
    turbopack: { root: path.join(__dirname, '..') },
    serverExternalPackages: ['pg', 'ioredis'],
  };
}
