import * as fs from 'fs';
import * as path from 'path';
import { startGateway } from '../gateway/gateway';
import { trustCaEnv } from './hostTls';
import { resultsDir } from './paths';
import type { RunDir } from './runDir';
import { prepareKeysDir, type TestKeyAccounts } from './testKeys';

export type TestGateway = Awaited<ReturnType<typeof startGateway>>;

/** A test gateway with its keys, and what a VS Code server needs to use it. */
export interface TestEnvironment {
  gateway: TestGateway;
  keysDir: string;
  accounts: TestKeyAccounts;
  /** Variables for the server and its extension host: the NOON_TEST_* set plus CA trust. */
  hostEnv: Record<string, string>;
  /** User settings that point the extension at the gateway. */
  settings: Record<string, unknown>;
  close(): Promise<void>;
}

/** User settings that point the extension at a custom gateway. */
export function gatewaySettings(url: string): Record<string, unknown> {
  return { 'noon.gateway': 'custom', 'noon.customGatewayUrl': url };
}

/**
 * Starts the HTTPS test gateway (on `gatewayPort`, or any free port) and writes the keys and the
 * trusted CA bundle into `run`.
 */
export async function startTestEnvironment(run: RunDir, gatewayPort = 0): Promise<TestEnvironment> {
  const gateway = await startGateway({ tls: true, port: gatewayPort, dir: run.root });
  try {
    const keysDir = path.join(run.root, 'keys');
    const accounts = prepareKeysDir(gateway, keysDir);
    fs.mkdirSync(resultsDir, { recursive: true });
    const hostEnv = {
      ...trustCaEnv(gateway.caPem, path.join(run.root, 'ca-bundle.pem')),
      NOON_TEST_GATEWAY_URL: gateway.url,
      NOON_TEST_GATEWAY_CA: gateway.caFile,
      NOON_TEST_KEYS_DIR: keysDir,
      NOON_TEST_RESULTS_DIR: resultsDir,
    };
    const settings = gatewaySettings(gateway.url);
    return { gateway, keysDir, accounts, hostEnv, settings, close: () => Promise.resolve(gateway.close()) };
  } catch (err) {
    await gateway.close();
    throw err;
  }
}
