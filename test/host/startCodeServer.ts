import { spawnSync } from 'child_process';
import * as path from 'path';
import type { RunDir } from './runDir';
import { codeServerCli } from './paths';
import { freePort, portIsFree, spawnServer, waitForHttp, type ServerProcess } from './serverProcess';

/** code-server serving the workbench with an installed extension. */
export interface CodeServer {
  url: string;
  process: ServerProcess;
}

function profileArgs(run: RunDir): string[] {
  return ['--config', run.config, '--user-data-dir', run.userData, '--extensions-dir', run.extensions];
}

/** Installs a packaged extension into the run's own extensions folder, as a user would. */
export function installVsix(run: RunDir, vsix: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, [codeServerCli(), ...profileArgs(run), '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout)) {
    throw new Error(`installing ${path.basename(vsix)} failed:\n${result.stdout}${result.stderr}`);
  }
}

/**
 * Starts the code-server CLI without authentication on 127.0.0.1. `port` is used when free;
 * otherwise (or when omitted) any free port is taken.
 */
export async function startCodeServer(run: RunDir, env: NodeJS.ProcessEnv, port?: number): Promise<CodeServer> {
  const chosen = port && (await portIsFree(port)) ? port : await freePort();
  const args = [
    codeServerCli(),
    ...profileArgs(run),
    '--bind-addr',
    `127.0.0.1:${chosen}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    run.workspace,
  ];
  const server = spawnServer(args, env, path.join(run.root, 'code-server.log'));
  const url = `http://127.0.0.1:${chosen}`;
  try {
    await waitForHttp(`${url}/healthz`, 60_000, server);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\n--- code-server log ---\n${server.readLog()}`);
  }
  return { url, process: server };
}
