import path from 'node:path';
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from 'next/constants';
import { InvalidEnvironmentError, parseServerEnv } from './src/lib/env';
import { loadRootEnv } from './src/lib/root-env';

// One .env at the repository root serves every app; the process environment wins.
loadRootEnv(process.env, __dirname);

export default function nextConfig(phase: string): NextConfig {
  // `next start` and `next dev` refuse to serve on a bad environment, with one line naming
  // the variable and the rule. `next build` needs no secrets, so it is not checked here.
  if (phase === PHASE_PRODUCTION_SERVER || phase === PHASE_DEVELOPMENT_SERVER) {
    try {
      parseServerEnv(process.env);
    } catch (error) {
      if (!(error instanceof InvalidEnvironmentError)) throw error;
      console.error(error.message);
      process.exit(1);
    }
  }
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    outputFileTracingRoot: path.join(__dirname, '..'),
    turbopack: { root: path.join(__dirname, '..') },
    serverExternalPackages: ['pg', 'ioredis'],
  };
}
