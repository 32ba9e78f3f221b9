// UI end to end: installs the packaged extension (noon-vscode.vsix) into a fresh code-server, points
// it at the HTTPS test gateway and drives the workbench in headless Chromium through every
// test/e2e/*.e2e.ts scenario. Screenshots land in test-results/. Exit code 0 when all passed.
// Usage: node --import tsx test/e2e/run.ts [--grep text]   (after `npm run package`)
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';
import { launchChromium } from '../host/launchChromium';
import { repoRoot, resultsDir } from '../host/paths';
import { createRunDir } from '../host/runDir';
import { serverEnv } from '../host/serverEnv';
import { installVsix, startCodeServer } from '../host/startCodeServer';
import { startTestEnvironment } from '../host/testEnvironment';
import { writeUserSettings } from '../host/userSettings';
import { closeWorkbenches, currentPage, setE2eSession } from './e2eSession';
import { screenshot } from './workbench';
import { runMain } from '../host/runMain';

function scenarioFiles(): string[] {
  const dir = __dirname;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.e2e.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

function runMocha(grep: string | undefined): Promise<{ passed: number; failed: number; skipped: number }> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 120_000, grep });
  mocha.rootHooks({
    async afterEach(this: Mocha.Context) {
      const test = this.currentTest;
      const page = currentPage();
      if (test?.state === 'failed' && page) {
        const file = await screenshot(page, `failure-${test.fullTitle()}`).catch(() => undefined);
        if (file) process.stdout.write(`    screenshot: ${path.relative(repoRoot, file)}\n`);
      }
    },
    async afterAll() {
      await closeWorkbenches();
    },
  });
  for (const file of scenarioFiles()) mocha.addFile(file);
  return new Promise((resolve) => {
    const runner = mocha.run((failures) =>
      resolve({ passed: runner.stats?.passes ?? 0, failed: failures, skipped: runner.stats?.pending ?? 0 }),
    );
  });
}

async function main(): Promise<number> {
  const grepAt = process.argv.indexOf('--grep');
  const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
  const vsix = path.join(repoRoot, 'noon-vscode.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing; run npm run build && npm run package first`);
  fs.mkdirSync(resultsDir, { recursive: true });

  const run = createRunDir('noon-e2e');
  // Playwright and Chromium put their temp files under TMPDIR too.
  process.env.TMPDIR = run.tmp;
  const env = await startTestEnvironment(run);
  try {
    const processEnv = serverEnv(run, env.hostEnv);
    installVsix(run, vsix, processEnv);
    writeUserSettings(run.userData, env.settings);
    const server = await startCodeServer(run, processEnv);
    const browser = await launchChromium(run.tmp);
    try {
      setE2eSession({ run, env, url: server.url, browser });
      const result = await runMocha(grep);
      const skipped = result.skipped ? `, ${result.skipped} skipped` : '';
      if (result.failed > 0 || process.env.VERBOSE) {
        process.stdout.write(`--- code-server log ---\n${server.process.readLog()}`);
      }
      process.stdout.write(`${result.passed} passed, ${result.failed} failed${skipped}\n`);
      return result.failed > 0 || result.passed === 0 ? 1 : 0;
    } finally {
      await browser.close().catch(() => undefined);
      await server.process.stop();
    }
  } finally {
    await env.close();
    run.remove();
  }
}

runMain('e2e run', main);
