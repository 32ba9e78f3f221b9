import * as assert from 'assert';
import * as https from 'https';
import * as tls from 'tls';
import * as vscode from 'vscode';

const extensionId = 'noon-tools.noon-vscode';

interface ContributedCommand {
  command: string;
}

suite('Smoke', () => {
  test('the extension is installed, activates and registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);

    const contributed = (extension.packageJSON.contributes?.commands ?? []) as ContributedCommand[];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], 'contributed but not registered');
  });
});

suite('Test host', () => {
  const gatewayUrl = new URL(process.env.NOON_TEST_GATEWAY_URL ?? 'https://127.0.0.1:1');

  function handshake(options: tls.ConnectionOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: gatewayUrl.hostname, port: Number(gatewayUrl.port), ...options }, () => {
        socket.end();
        resolve();
      });
      socket.once('error', reject);
    });
  }

  test('the extension host trusts the test gateway with certificate checks on', async () => {
    assert.ok(process.env.NOON_TEST_GATEWAY_URL, 'NOON_TEST_GATEWAY_URL is not set');
    assert.notStrictEqual(process.env.NODE_TLS_REJECT_UNAUTHORIZED, '0');

    // Through the https module, which VS Code routes via its proxy agent, as the extension's client is.
    const status = await new Promise<number>((resolve, reject) => {
      https.get(new URL('/identity/v1/whoami', gatewayUrl), (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).once('error', reject);
    });
    assert.ok(status >= 200 && status < 600, `unexpected status ${status}`);

    // The default store includes the test CA; the public roots alone must refuse the same server.
    await handshake({});
    await assert.rejects(handshake({ ca: [...tls.rootCertificates] }), (err: NodeJS.ErrnoException) => {
      assert.match(String(err.code), /CERT|SIGNATURE|ISSUER/);
      return true;
    });
  });
});
