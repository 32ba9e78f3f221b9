// Runs the integration tests (out/test/integration) inside a real VS Code extension host served by
// code-server, against the HTTPS test gateway. Exit code: 0 when every test passed.
// Usage: node --import tsx test/host/integration.ts   (after `node esbuild.js`)
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './paths';
import { createRunDir } from './runDir';
import { runExtensionTests } from './runExtensionTests';
import { serverEnv } from './serverEnv';
import { startTestEnvironment } from './testEnvironment';
import { startVsCodeServer } from './startVsCodeServer';
import { writeUserSettings } from './userSettings';
import { runMain } from './runMain';

const timeoutMs = Number(process.env.NOON_INTEGRATION_TIMEOUT_MS ?? 600_000);

async function main(): Promise<number> {
  const testsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsPath)) throw new Error(`${testsPath} is missing; run node esbuild.js first`);
  const run = createRunDir('noon-integration');
  // Playwright and Chromium put their temp files under TMPDIR too.
  process.env.TMPDIR = run.tmp;
  const env = await startTestEnvironment(run);
  try {
    writeUserSettings(run.userData, env.settings);
    const server = await startVsCodeServer(run, serverEnv(run, env.hostEnv));
    try {
      const code = await runExtensionTests({
        server,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: testsPath,
        workspace: run.workspace,
        tmpDir: run.tmp,
        timeoutMs,
        output: (line) => process.stdout.write(line.endsWith('\n') ? line : `${line}\n`),
      });
      if (code !== 0 || process.env.VERBOSE) process.stdout.write(`--- server log ---\n${server.process.readLog()}`);
      return code;
    } finally {
      await server.process.stop();
    }
  } finally {
    await env.close();
    run.remove();
  }
}

runMain('integration run', main);
