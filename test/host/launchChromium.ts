import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './paths';

/** Headless Debian Chromium with everything that would phone home switched off. */
export function launchChromium(tmpDir: string): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, TMPDIR: tmpDir },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
