/**
 * Runs the test gateway until SIGTERM/SIGINT and prints `{"url": ..., "caFile": ...}` on one line.
 *
 *   npx tsx test/gateway/cli.ts --port 0 --account <pubkey.pem>:<keyId>:<project>:<username> [--http] [--dir <dir>]
 *
 * `--account` may repeat; the PEM may also be a private key (only its public half is used).
 * Stop it by signalling the tsx process itself (or its process group): `npm exec` does not pass
 * SIGTERM on to its child.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startGateway, type TestAccount } from './gateway';

function parseAccount(spec: string): TestAccount {
  // The PEM path comes first and may itself contain ':', so split the three fixed fields off the end.
  const parts = spec.split(':');
  if (parts.length < 4) {
    throw new Error(`--account needs <pem>:<keyId>:<project>:<username>, got ${spec}`);
  }
  const username = parts.pop() as string;
  const projectCode = parts.pop() as string;
  const keyId = parts.pop() as string;
  const pemPath = parts.join(':');
  const userCode = `u-${createHash('sha256').update(keyId).digest('hex').slice(0, 10)}`;
  return { keyId, projectCode, username, userCode, publicKeyPem: readFileSync(pemPath, 'utf8') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      account: { type: 'string', multiple: true, default: [] },
      http: { type: 'boolean', default: false },
      dir: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be 0..65535, got ${values.port}`);
  }
  const gateway = await startGateway({
    port,
    tls: !values.http,
    dir: values.dir,
    accounts: values.account.map(parseAccount),
  });
  process.stdout.write(`${JSON.stringify({ url: gateway.url, caFile: gateway.caFile })}\n`);

  const stop = (): void => {
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
