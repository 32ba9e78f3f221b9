import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { NoonApi } from '../../src/extension';
import { accountOf, commandError, gateway, keyFile, keyLines, noon, removeAllAccounts } from './support';

const CASE_KEY_ID = '00000000-test-4000-8000-000000000001';

suite('Import and accounts', () => {
  let api: NoonApi;

  suiteSetup(async () => {
    api = await noon();
    await gateway().register(accountOf('valid-pkcs8.json', 'case-user@p000001.idp.noon.partners'));
  });

  setup(async () => {
    await gateway().reset();
    await removeAllAccounts(api);
  });

  test('with no key the status bar offers to import one', async () => {
    assert.strictEqual(api.state().kind, 'noAccount');
    assert.match(api.statusBar().text, /Import Key/);
  });

  for (const name of [
    'valid-pkcs8.json',
    'valid-pkcs1.json',
    'minimal-fields.json',
    'crlf-pem.json',
    'double-escaped-newlines.json',
    'utf8-bom.json',
  ]) {
    test(`${name} is imported and signs in`, async () => {
      const info = (await vscode.commands.executeCommand('noon.importCredentials', keyFile(name))) as { keyId: string };
      assert.strictEqual(info.keyId, CASE_KEY_ID);
      assert.deepStrictEqual((await api.accounts()).map((a) => a.keyId), [CASE_KEY_ID]);
      const who = (await vscode.commands.executeCommand('noon.signIn')) as { username: string };
      assert.strictEqual(who.username, 'case-user@p000001.idp.noon.partners');
      assert.strictEqual((await gateway().stats()).logins, 1);
    });
  }

  const refused: Array<[string, RegExp]> = [
    ['rsa-1024.json', /1024 bits.*2048|2048.*1024/i],
    ['ec-key.json', /RSA/],
    ['encrypted-pkcs8.json', /encrypted/i],
    ['missing-key-id.json', /key_id/],
    ['curly-quotes.json', /line \d+.*column \d+/i],
    ['public-key-only.json', /public key/i],
  ];
  for (const [name, expected] of refused) {
    test(`${name} is refused with a clear message, and the stored key stays as it was`, async () => {
      await vscode.commands.executeCommand('noon.importCredentials', keyFile('valid.json'));
      const before = await api.accounts();
      const message = await commandError('noon.importCredentials', keyFile(name));
      assert.match(message, expected);
      assert.ok(message.includes(name), 'the message names the file');
      assert.deepStrictEqual(await api.accounts(), before);
      assert.strictEqual(api.state().kind, 'signedOut');
      for (const line of keyLinesIfAny(name)) assert.ok(!message.includes(line.slice(0, 16)), 'no key material echoed');
      // The account that was there still works.
      await vscode.commands.executeCommand('noon.signIn');
      assert.strictEqual(api.state().kind, 'signedIn');
    });
  }

  test('a folder, a missing file and an oversized file are refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noon-import-'));
    try {
      assert.match(await commandError('noon.importCredentials', dir), /folder/);
      assert.match(await commandError('noon.importCredentials', path.join(dir, 'nope.json')), /does not exist|cannot be read/);
      const big = path.join(dir, 'big.json');
      fs.writeFileSync(big, `{"key_id": "${'x'.repeat(300_000)}"}`);
      assert.match(await commandError('noon.importCredentials', big), /too large/);
      assert.deepStrictEqual(await api.accounts(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a pasted key is imported like a file', async () => {
    const text = fs.readFileSync(keyFile('valid.json'), 'utf8');
    const info = (await vscode.commands.executeCommand('noon.pasteCredentials', text)) as { keyId: string };
    assert.strictEqual((await api.accounts())[0].keyId, info.keyId);
    assert.match(await commandError('noon.pasteCredentials', '{"key_id": "k", "project_code": "P"}'), /private_key/);
  });

  test('a second key adds an account; re-importing a key updates it; switch and remove', async () => {
    const first = (await vscode.commands.executeCommand('noon.importCredentials', keyFile('valid.json'))) as { keyId: string };
    const second = (await vscode.commands.executeCommand('noon.importCredentials', keyFile('second.json'))) as {
      keyId: string;
    };
    assert.notStrictEqual(first.keyId, second.keyId);
    assert.strictEqual((await api.accounts()).length, 2);
    assert.strictEqual(activeKeyId(api), second.keyId, 'the new key becomes active');

    await vscode.commands.executeCommand('noon.importCredentials', keyFile('valid.json'));
    assert.strictEqual((await api.accounts()).length, 2, 'same key_id updates instead of adding');

    await vscode.commands.executeCommand('noon.switchAccount', second.keyId);
    const one = (await vscode.commands.executeCommand('noon.signIn')) as { username: string };
    await vscode.commands.executeCommand('noon.switchAccount', first.keyId);
    const two = (await vscode.commands.executeCommand('noon.signIn')) as { username: string };
    assert.notStrictEqual(one.username, two.username);

    // Each account keeps its own cookie jar: the whoami calls carry different session cookies.
    await vscode.commands.executeCommand('noon.sendRequest', { path: '/identity/v1/whoami' });
    await vscode.commands.executeCommand('noon.switchAccount', second.keyId);
    assert.strictEqual(api.state().kind, 'signedIn', 'the second account is still signed in');
    await vscode.commands.executeCommand('noon.sendRequest', { path: '/identity/v1/whoami' });
    const whoamiCookies = (await gateway().stats()).requests
      .filter((r) => r.path === '/identity/v1/whoami')
      .map((r) => String(r.headers.cookie ?? ''));
    const sessions = new Set(whoamiCookies.map((c) => /_npsid=([^;]+)/.exec(c)?.[1]).filter(Boolean));
    assert.strictEqual(sessions.size, 2, 'two separate sessions were used');
    assert.strictEqual((await gateway().stats()).logins, 2, 'no extra login when switching back');

    await vscode.commands.executeCommand('noon.removeCredentials', { keyId: second.keyId, skipConfirmation: true });
    assert.deepStrictEqual((await api.accounts()).map((a) => a.keyId), [first.keyId]);
    assert.strictEqual(activeKeyId(api), first.keyId);
  });
});

function activeKeyId(api: NoonApi): string | undefined {
  const s = api.state();
  return s.kind === 'noAccount' ? undefined : s.account.keyId;
}

function keyLinesIfAny(name: string): string[] {
  try {
    return keyLines(name);
  } catch {
    // Files whose private_key cannot be decoded still must not leak what they have.
    const raw = fs.readFileSync(keyFile(name), 'utf8');
    return raw.split(/\\n|\r?\n/).filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l.trim()));
  }
}
