import * as util from 'util';
import { launchChromium } from './launchChromium';
import type { VsCodeServer } from './startVsCodeServer';

export interface ExtensionTestRun {
  server: VsCodeServer;
  extensionDevelopmentPath: string;
  /** The compiled module exporting `run()`, as VS Code's `--extensionTestsPath`. */
  extensionTestsPath: string;
  workspace: string;
  tmpDir: string;
  timeoutMs: number;
  /** Receives each console line of the extension host. */
  output: (line: string) => void;
}

// The workbench's own chatter (connection set-up, the gallery being off, a service worker that
// server-main does not serve) would bury the test output; VERBOSE=1 shows it anyway.
const noise = new RegExp(
  [
    'ENOTFOUND open-vsx\\.org',
    '^\\s+at .*workbench\\.js',
    '^Resolv(ing|ed) connection token',
    '^Creating a socket',
    'builtin extensions',
    '^\\[Service Worker\\]',
    '^ChatSessionStore',
  ].join('|'),
);

/**
 * Opens the workbench in headless Chromium with the extension-test payload, relays the extension
 * host's console and resolves with the exit code the workbench reports (1 on timeout or crash).
 */
export async function runExtensionTests(run: ExtensionTestRun): Promise<number> {
  const remote = (p: string): string => `vscode-remote://${run.server.authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(run.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(run.extensionTestsPath)],
    ['skipWelcome', 'true'],
  ];
  const browser = await launchChromium(run.tmpDir);
  try {
    const page = await browser.newPage();
    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => {
      finish = resolve;
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = util.format(...(args ?? []));
      if (process.env.VERBOSE || !noise.test(line)) run.output(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (err) => run.output(`[workbench error] ${err.message}`));
    page.on('crash', () => {
      run.output('[workbench crashed]');
      finish(1);
    });
    const query = `folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(`${run.server.url}/?${query}`);
    const timer = setTimeout(() => {
      run.output(`[extension tests did not finish within ${run.timeoutMs} ms]`);
      finish(1);
    }, run.timeoutMs);
    const code = await finished;
    clearTimeout(timer);
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close().catch(() => undefined);
  }
}
