import * as assert from 'assert';
import * as vscode from 'vscode';
import type { NoonApi } from '../../src/extension';
import { commandError, gateway, keyFile, noon, removeAllAccounts, until } from './support';

interface Result {
  status: number;
  body: string;
  headers: Array<[string, string]>;
}

/** The text a reader sees in markdown made with appendText (escapes and &nbsp; undone). */
const markdownText = (md: string) => md.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!~|<>$])/g, '$1');

const send = (args: Record<string, unknown>) => vscode.commands.executeCommand('noon.sendRequest', args) as Thenable<Result>;

suite('Session', () => {
  let api: NoonApi;

  suiteSetup(async () => {
    api = await noon();
  });

  setup(async () => {
    await gateway().reset();
    await removeAllAccounts(api);
    await vscode.commands.executeCommand('noon.importCredentials', keyFile('valid.json'));
  });

  test('sign in shows the whoami username and project in the status bar', async () => {
    const who = (await vscode.commands.executeCommand('noon.signIn')) as { username: string; userCode: string };
    const state = api.state();
    assert.strictEqual(state.kind, 'signedIn');
    const { text, tooltip } = api.statusBar();
    assert.ok(text.includes(who.username), `username in "${text}"`);
    assert.ok(text.includes(state.account.projectCode), `project in "${text}"`);
    assert.ok(markdownText(tooltip).includes(who.userCode), `user code in "${tooltip}"`);

    const stats = await gateway().stats();
    const login = stats.requests.find((r) => r.path === '/identity/public/v1/api/login');
    assert.ok(login, 'the gateway saw a login');
    assert.match(String(login.headers['user-agent']), /^noon-vscode\/\d+\.\d+\.\d+$/);
    assert.strictEqual(JSON.parse(login.body).default_project_code, state.account.projectCode);
  });

  test('the first request signs in on demand and later ones reuse the session', async () => {
    assert.strictEqual(api.state().kind, 'signedOut');
    const first = await send({ path: '/identity/v1/whoami' });
    assert.strictEqual(first.status, 200);
    assert.ok(JSON.parse(first.body).username);
    await send({ method: 'POST', path: '/pricing/v1/pricing/get', body: { items: [{ partner_sku: 'SKU-1', country_code: 'ae' }] } });
    const stats = await gateway().stats();
    assert.strictEqual(stats.logins, 1);
    const calls = stats.requests.filter((r) => r.path !== '/identity/public/v1/api/login');
    assert.ok(calls.every((r) => /_npsid=/.test(String(r.headers.cookie))), 'every call carries the session cookie');
    assert.ok(calls.every((r) => /^noon-vscode\//.test(String(r.headers['user-agent']))));
  });

  test('server text in the status bar is shown literally, not as icons or links', async () => {
    const username = '$(warning) ADMIN $(sync~spin) [x](command:workbench.action.quit)';
    await gateway().script({
      match: '/identity/v1/whoami',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_code: 'u-1', username }),
    });
    await vscode.commands.executeCommand('noon.signIn');
    const { text, tooltip } = api.statusBar();
    assert.ok(text.includes('\\$(warning) ADMIN \\$(sync~spin)'), `icons escaped in: ${text}`);
    assert.ok(!/(^|[^\\])\$\(warning\)/.test(text));
    // The tooltip is markdown with every punctuation mark escaped, so brackets and parentheses arrive escaped.
    assert.ok(tooltip.includes('ADMIN'), tooltip);
    assert.ok(!tooltip.includes('](command:'), `the link is escaped in the tooltip markdown: ${tooltip}`);
    assert.ok(!/(^|[^\\])\$\(warning\)/.test(tooltip), `no live icon syntax in: ${tooltip}`);
  });

  test('a deactivated key fails once with the server message, and nothing retries', async () => {
    await gateway().script({
      match: '/identity/public/v1/api/login',
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status_id: 16, status_code: 'UNAUTHENTICATED', message: 'key is deactivated', details: [] }),
    });
    const message = await commandError('noon.signIn', undefined);
    assert.match(message, /key is deactivated/);
    const state = api.state();
    assert.strictEqual(state.kind, 'failed');
    assert.match(api.statusBar().text, /failed/);
    await new Promise((r) => setTimeout(r, 500));
    const stats = await gateway().stats();
    assert.strictEqual(stats.logins + stats.failedLogins, 1, 'exactly one login attempt');
  });

  test('an expired session is renewed once, by itself', async () => {
    await vscode.commands.executeCommand('noon.signIn');
    await gateway().expireSessions();
    const results = await Promise.all(Array.from({ length: 10 }, () => send({ path: '/identity/v1/whoami' })));
    assert.deepStrictEqual(
      results.map((r) => r.status),
      Array(10).fill(200),
    );
    assert.strictEqual((await gateway().stats()).logins, 2, 'one login, then exactly one more');
    assert.strictEqual(api.state().kind, 'signedIn');
  });

  test('429 is shown to the user as an answer, not retried', async () => {
    await vscode.commands.executeCommand('noon.signIn');
    await gateway().script({ match: '/echo/v1/echo', status: 429, headers: { 'retry-after': '120' } });
    const r = await send({ path: '/echo/v1/echo' });
    assert.strictEqual(r.status, 429);
    assert.ok(r.headers.some(([name, value]) => name === 'retry-after' && value === '120'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const echoes = (await gateway().stats()).requests.filter((x) => x.path === '/echo/v1/echo');
    assert.strictEqual(echoes.length, 1, 'no automatic retry');
  });

  test('a cookie cleared by the gateway signs the window out', async () => {
    await vscode.commands.executeCommand('noon.signIn');
    await gateway().script({
      match: '/echo/v1/echo',
      status: 200,
      headers: {
        'content-type': 'application/json',
        'set-cookie': [
          '_npsid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
          '_nprtnetid=; Path=/; Max-Age=0',
        ],
      },
      body: '{}',
    });
    await send({ path: '/echo/v1/echo' });
    await until(() => api.state().kind === 'signedOut', 'the status to say signed out');
  });

  test('sign out forgets the session; the next call signs in again', async () => {
    await vscode.commands.executeCommand('noon.signIn');
    await vscode.commands.executeCommand('noon.signOut');
    assert.strictEqual(api.state().kind, 'signedOut');
    await send({ path: '/identity/v1/whoami' });
    assert.strictEqual((await gateway().stats()).logins, 2);
  });

  test('a request can target another project with X-Project', async () => {
    await send({ path: '/offer/v1/product/SKU-1', headers: { 'X-Project': 'PRJ000002' } });
    const offer = (await gateway().stats()).requests.find((r) => r.path.startsWith('/offer/'));
    assert.strictEqual(offer?.headers['x-project'], 'PRJ000002');
  });
});
