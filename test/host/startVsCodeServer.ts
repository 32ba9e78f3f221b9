import * as path from 'path';
import type { RunDir } from './runDir';
import { freePort, spawnServer, waitForHttp, type ServerProcess } from './serverProcess';
import { vsCodeServerMain } from './paths';

/** A running VS Code server (the one inside code-server) on the loopback interface. */
export interface VsCodeServer {
  url: string;
  /** `host:port` as the browser sees it; part of every `vscode-remote://` URI. */
  authority: string;
  process: ServerProcess;
}

/**
 * Starts the plain VS Code server with the smoke-test driver on, which makes the web workbench honour
 * the extension-test entries of its URL `payload`. The profile folders come from `run`.
 */
export async function startVsCodeServer(run: RunDir, env: NodeJS.ProcessEnv): Promise<VsCodeServer> {
  const port = await freePort();
  const args = [
    vsCodeServerMain(),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--server-data-dir',
    run.serverData,
    '--user-data-dir',
    run.userData,
    '--extensions-dir',
    run.extensions,
  ];
  const server = spawnServer(args, env, path.join(run.root, 'server.log'));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/version`, 60_000, server);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\n--- server log ---\n${server.readLog()}`);
  }
  return { url, authority: `127.0.0.1:${port}`, process: server };
}
