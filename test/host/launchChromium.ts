import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './paths';

/** Flags for headless Debian Chromium as root, with everything that would phone home switched off. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Starts headless Chromium with its temporary files under `tmpDir`. */
export function launchChromium(tmpDir: string): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, TMPDIR: tmpDir },
    args: CHROMIUM_ARGS,
  });
}
