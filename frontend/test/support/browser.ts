import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { FRONTEND_DIR } from './processes';

const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Flags for a system Chromium in a container (often as root, no GPU, no network). */
const SYSTEM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  source: string;
}

/**
 * CHROME_PATH when set, else a system Chromium, else the one @sparticuz/chromium ships
 * inside its npm package (unpacked to the temp dir on first use). The package is ESM, so
 * it is asked in a child Node process rather than through Jest's CommonJS loader.
 */
export function findChromium(): ChromiumChoice {
  const fromEnv = process.env.CHROME_PATH?.trim();
  if (fromEnv) return { executablePath: fromEnv, args: SYSTEM_ARGS, source: 'CHROME_PATH' };
  const system = SYSTEM_CHROMIUMS.find((candidate) => fs.existsSync(candidate));
  if (system) return { executablePath: system, args: SYSTEM_ARGS, source: 'system' };
  const script =
    "const { default: c } = await import('@sparticuz/chromium');" +
    'console.log(JSON.stringify({ executablePath: await c.executablePath(), args: c.args }));';
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: FRONTEND_DIR,
    encoding: 'utf8',
  });
  const { executablePath, args } = JSON.parse(out.trim().split('\n').pop()!) as {
    executablePath: string;
    args: string[];
  };
  return {
    executablePath,
    args: [...args, '--disable-background-networking'],
    source: '@sparticuz/chromium',
  };
}

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /**
   * Several users at once need several browser contexts (separate cookie jars), which the
   * packaged Chromium's `--single-process` mode does not keep apart reliably: this drops it.
   */
  multiProcess?: boolean;
}

/** A headless Chromium from {@link findChromium}, as every browser test launches it. */
export async function launchChromium(
  options: LaunchOptions = {},
): Promise<{ browser: Browser; choice: ChromiumChoice }> {
  const choice = findChromium();
  const args = options.multiProcess
    ? choice.args.filter((arg) => arg !== '--single-process')
    : choice.args;
  const browser = await chromium.launch({
    executablePath: choice.executablePath,
    args,
    headless: true,
  });
  return { browser, choice };
}
