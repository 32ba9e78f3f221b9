import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as net from 'net';
import { createProxy } from 'proxy';
import { generate } from 'selfsigned';
import * as vscode from 'vscode';
import { AccountStore } from '../../src/auth/accountStore';
import { Sessions } from '../../src/auth/sessions';
import type { NoonConfig } from '../../src/common/config';
import type { Logger } from '../../src/common/logger';
import { NoonError } from '../../src/core/errors';
import { parseKeyFile } from '../../src/core/keyFile';
import type { NoonApi } from '../../src/extension';
import { gateway, gatewayUrl, keyFile, keyLines, noon, removeAllAccounts, until } from './support';


const LOGIN = '/identity/public/v1/api/login';
const WHOAMI = '/identity/v1/whoami';
const ECHO = '/echo/v1/echo';

interface Result {
  status: number;
  body: string;
}

const send = (args: Record<string, unknown>) =>
  vscode.commands.executeCommand('noon.sendRequest', args) as Thenable<Result>;

/**
 * Runs a command that must fail; returns the error's message and hint (the notification shows both). The
 * command is given arguments: only then does it hand its error back to the caller, as for a keybinding.
 */
async function failure(command: string, ...args: unknown[]): Promise<{ message: string; hint: string; kind?: string }> {
  try {
    await vscode.commands.executeCommand(command, ...args);
  } catch (e) {
    const error = e as { message?: string; hint?: string; kind?: string };
    return { message: String(error.message), hint: String(error.hint ?? ''), kind: error.kind };
  }
  assert.fail(`${command} was expected to fail`);
}

/** The names (never the values) of the cookies a recorded request carried. */
function cookieNames(headers: Record<string, string | string[] | undefined>): string[] {
  const cookie = headers.cookie;
  if (typeof cookie !== 'string') return [];
  return cookie
    .split(';')
    .map((pair) => pair.trim().split('=')[0])
    .sort();
}

async function apiCalls(): Promise<Array<{ path: string; headers: Record<string, string | string[] | undefined> }>> {
  return (await gateway().stats()).requests.filter((r) => r.path !== LOGIN);
}

async function loginAttempts(): Promise<number> {
  const stats = await gateway().stats();
  return stats.logins + stats.failedLogins;
}

/** Lets anything that would retry on its own do so before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** User settings changed by these tests, put back as they were afterwards. */
class SettingsGuard {
  private readonly saved: Array<[string, string, unknown]> = [];

  async set(section: string, key: string, value: unknown): Promise<void> {
    if (!this.saved.some(([s, k]) => s === section && k === key)) {
      this.saved.push([section, key, vscode.workspace.getConfiguration(section).inspect(key)?.globalValue]);
    }
    await write(section, key, value);
  }

  async restore(): Promise<void> {
    for (const [section, key, value] of this.saved.splice(0).reverse()) await write(section, key, value);
  }
}

async function write(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  // The extension reacts to the change event; wait until this host sees the new value, so it has fired.
  await until(
    () =>
      JSON.stringify(vscode.workspace.getConfiguration(section).inspect(key)?.globalValue) === JSON.stringify(value),
    `${section}.${key} to be updated`,
  );
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: net.Server): Promise<void> {
  (server as http.Server).closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}

/** An HTTPS server whose self-signed certificate nothing on this machine trusts. */
async function untrustedServer(): Promise<https.Server> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return https.createServer({ key: pems.private, cert: pems.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
}

suite('Resilience', () => {
  let api: NoonApi;
  const settings = new SettingsGuard();

  /** Points the extension at an HTTPS server whose self-signed certificate nobody trusts, with a key imported. */
  async function withUntrustedGateway(check: (port: number) => Promise<void>): Promise<void> {
    const server = await untrustedServer();
    const port = await listen(server);
    try {
      await settings.set('noon', 'customGatewayUrl', `https://127.0.0.1:${port}`);
      await importValidKey();
      await check(port);
    } finally {
      await close(server);
    }
  }

  suiteSetup(async () => {
    api = await noon();
  });

  setup(async () => {
    await gateway().reset();
    await removeAllAccounts(api);
  });

  teardown(async () => {
    await removeAllAccounts(api);
    await settings.restore();
  });

  const importValidKey = () => vscode.commands.executeCommand('noon.importCredentials', keyFile('valid.json'));

  suite('through an HTTP proxy (http.proxy)', () => {
    let proxy: http.Server;
    let proxyUrl: string;
    let connects: string[];

    setup(async () => {
      connects = [];
      proxy = createProxy(http.createServer());
      proxy.on('connect', (req: http.IncomingMessage) => connects.push(String(req.url)));
      proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
      await settings.set('http', 'proxy', proxyUrl);
      await settings.set('http', 'proxyStrictSSL', true);
    });

    teardown(async () => {
      await close(proxy);
    });

    test('requests tunnel through the proxy and the session cookie still replays', async () => {
      await importValidKey();
      await vscode.commands.executeCommand('noon.signIn');
      const afterSignIn = connects.length;
      assert.ok(afterSignIn >= 1, 'sign-in went through the proxy');
      const gatewayHost = new URL(gatewayUrl()).host;
      assert.ok(connects.every((target) => target === gatewayHost), `tunnels to the gateway only: ${connects}`);

      const answers = [await send({ path: WHOAMI }), await send({ path: ECHO, method: 'POST', body: { n: 1 } })];
      assert.deepStrictEqual(
        answers.map((r) => r.status),
        [200, 200],
      );
      const calls = await apiCalls();
      assert.ok(calls.length >= 3, 'whoami at sign-in, then whoami and echo');
      for (const call of calls) assert.ok(cookieNames(call.headers).includes('_npsid'), `${call.path} carries _npsid`);
      assert.strictEqual((await gateway().stats()).logins, 1);
      // Kept-alive tunnels are reused; a client built for a changed setting has none yet and must open one.
      await settings.set('http', 'proxy', `${proxyUrl}/`);
      await send({ path: WHOAMI });
      assert.ok(connects.length > afterSignIn, 'a client built for the changed setting tunnels again');
      assert.strictEqual((await gateway().stats()).logins, 1, 'the stored session is reused, no new login');
    });

    test('a host listed in http.noProxy is reached directly, session and all', async () => {
      await settings.set('http', 'noProxy', [new URL(gatewayUrl()).hostname]);
      await importValidKey();
      await vscode.commands.executeCommand('noon.signIn');
      assert.strictEqual((await send({ path: WHOAMI })).status, 200);
      assert.deepStrictEqual(connects, [], 'no tunnel was opened');
      const calls = await apiCalls();
      for (const call of calls) assert.ok(cookieNames(call.headers).includes('_npsid'), `${call.path} carries _npsid`);
    });

    test('TLS still verified: an untrusted gateway fails, hint names host and http.proxyStrictSSL', async () => {
      await withUntrustedGateway(async (port) => {
        const error = await failure('noon.sendRequest', { path: WHOAMI });
        assert.strictEqual(error.kind, 'tls');
        assert.match(error.message, /127\.0\.0\.1/);
        assert.match(error.message, /self-signed|not trust/);
        assert.match(error.hint, /http\.proxyStrictSSL/);
        assert.ok(connects.includes(`127.0.0.1:${port}`), 'the attempt went through the proxy');
        assert.strictEqual(api.state().kind, 'failed');
      });
    });
  });

  test('a gateway VS Code does not treat as local (its proxy support takes over) keeps the session', async function () {
    // VS Code swaps the agent of every request except those to "localhost" and 127.0.0.1; [::1] reaches the same
    // gateway through that path, as a real gateway host would.
    const v6 = new URL(gatewayUrl());
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '::1', port: Number(v6.port) }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!reachable) this.skip();
    await settings.set('noon', 'customGatewayUrl', `https://[::1]:${v6.port}`);
    await importValidKey();
    assert.strictEqual((await send({ path: WHOAMI })).status, 200, 'signed in on demand');
    assert.strictEqual((await send({ path: ECHO })).status, 200);
    const calls = await apiCalls();
    assert.ok(calls.length >= 2);
    for (const call of calls) assert.ok(cookieNames(call.headers).includes('_npsid'), `${call.path} carries _npsid`);
    assert.strictEqual((await gateway().stats()).logins, 1);
  });

  suite('timeout and cancel', () => {
    test('a slow answer fails after noon.requestTimeout, naming the timeout and the setting', async () => {
      await settings.set('noon', 'requestTimeout', 1);
      await importValidKey();
      await vscode.commands.executeCommand('noon.signIn');
      await gateway().script({ match: ECHO, augment: true, status: 200, delayMs: 3000 });
      const error = await failure('noon.sendRequest', { path: ECHO });
      assert.strictEqual(error.kind, 'timeout');
      assert.match(error.message, /did not answer in time after 1 second/);
      assert.match(error.hint, /noon\.requestTimeout/);
      assert.strictEqual(api.state().kind, 'signedIn', 'a slow call does not sign the window out');
    });

    test('an AbortSignal cancels a request in flight, quietly', async () => {
      const env = await ownSessions();
      try {
        await env.sessions.signIn();
        await gateway().script({ match: ECHO, augment: true, status: 200, delayMs: 3000 });
        const abort = new AbortController();
        const pending = env.sessions.send({ method: 'GET', path: ECHO }, abort.signal);
        await until(async () => (await apiCalls()).some((r) => r.path === ECHO), 'the request to reach the gateway');
        abort.abort();
        await assert.rejects(pending, (e: unknown) => e instanceof NoonError && e.kind === 'cancelled');
        assert.strictEqual(env.sessions.state.kind, 'signedIn');
        assert.strictEqual((await gateway().stats()).logins, 1);
      } finally {
        env.dispose();
      }
    });
  });

  suite('errors in the user’s terms', () => {
    test('connection refused names the host and the gateway settings', async () => {
      const closed = net.createServer();
      const port = await listen(closed);
      await close(closed);
      await settings.set('noon', 'customGatewayUrl', `https://127.0.0.1:${port}`);
      await importValidKey();
      const error = await failure('noon.sendRequest', { path: WHOAMI });
      assert.strictEqual(error.kind, 'refused');
      assert.match(error.message, /127\.0\.0\.1 refused the connection/);
      assert.match(error.hint, /noon\.gateway/);
      assert.match(error.hint, /noon\.customGatewayUrl/);
    });

    test('an untrusted certificate names the host and the reason', async () => {
      await withUntrustedGateway(async () => {
        const error = await failure('noon.sendRequest', { path: WHOAMI });
        assert.strictEqual(error.kind, 'tls');
        assert.match(error.message, /secure connection to 127\.0\.0\.1 failed: its certificate is self-signed/);
        assert.match(error.hint, /trusted/);
      });
    });

    interface Refusal {
      name: string;
      status: number;
      skewed?: boolean;
      body: object;
      expect: RegExp;
      kind: string;
    }
    const refusals: Refusal[] = [
      {
        name: 'clock skew (gateway Date 10 minutes behind)',
        status: 401,
        skewed: true,
        body: { status_id: 16, status_code: 'UNAUTHENTICATED', message: 'token is not valid yet', details: [] },
        expect: /clock is 10 minutes ahead of the gateway/,
        kind: 'clock-skew',
      },
      {
        name: 'project not allowed (403)',
        status: 403,
        body: { status_id: 7, status_code: 'PERMISSION_DENIED', message: 'project not allowed', details: [] },
        expect: /not allowed to use this project.*project not allowed/,
        kind: 'forbidden',
      },
      {
        name: 'IP not allowed',
        status: 403,
        body: { status_id: 7, status_code: 'PERMISSION_DENIED', message: 'request IP is not whitelisted', details: [] },
        expect: /does not accept this key from this IP address/,
        kind: 'forbidden',
      },
      {
        name: 'missing User-Agent',
        status: 400,
        body: { status_id: 3, status_code: 'INVALID_ARGUMENT', message: 'missing User-Agent header', details: [] },
        expect: /wants a User-Agent header/,
        kind: 'missing-user-agent',
      },
    ];
    for (const refusal of refusals) {
      test(`${refusal.name}: a specific message, the status bar shows it, one login attempt only`, async () => {
        await importValidKey();
        await gateway().script({
          match: LOGIN,
          status: refusal.status,
          headers: {
            'content-type': 'application/json',
            ...(refusal.skewed ? { date: new Date(Date.now() - 10 * 60_000).toUTCString() } : {}),
          },
          body: JSON.stringify(refusal.body),
          times: Infinity,
        });
        const error = await failure('noon.sendRequest', { path: WHOAMI });
        assert.strictEqual(error.kind, refusal.kind);
        assert.match(error.message, refusal.expect);
        assert.strictEqual(api.state().kind, 'failed');
        assert.match(api.statusBar().text, /sign-in failed/);
        await settle();
        assert.strictEqual(await loginAttempts(), 1, 'nothing retries');
        const whoamis = (await apiCalls()).filter((r) => r.path === WHOAMI);
        assert.strictEqual(whoamis.length, 0, 'no call after a refused login');
      });
    }
  });

  test('RFC 6265: a foreign-domain cookie at login is ignored; later calls carry only session cookies', async () => {
    await importValidKey();
    await gateway().script({
      match: LOGIN,
      augment: true,
      status: 200,
      headers: { 'set-cookie': 'foreign=leak; Domain=other.example; Path=/' },
    });
    await vscode.commands.executeCommand('noon.signIn');
    assert.strictEqual((await send({ path: ECHO })).status, 200);
    const calls = await apiCalls();
    assert.ok(calls.length >= 2);
    for (const call of calls) assert.deepStrictEqual(cookieNames(call.headers), ['_nprtnetid', '_npsid']);
  });

  test('50 requests while sessions expire: all succeed, one extra login, no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await importValidKey();
      await vscode.commands.executeCommand('noon.signIn');
      // The first five answer at once; the rest are held long enough to be in flight when sessions expire.
      await gateway().script({ match: ECHO, augment: true, status: 200, times: 5 });
      await gateway().script({ match: ECHO, augment: true, status: 200, delayMs: 400, times: Infinity });
      let done = 0;
      const all = Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          send({ path: `${ECHO}?n=${i}` }).then((r) => {
            done += 1;
            return r;
          }),
        ),
      );
      await until(() => done >= 5, 'the first answers');
      await gateway().expireSessions();
      const results = await all;
      assert.deepStrictEqual(
        results.map((r) => r.status),
        Array(50).fill(200),
      );
      const stats = await gateway().stats();
      assert.strictEqual(stats.logins, 2, 'the first sign-in and exactly one more');
      await settle();
      assert.deepStrictEqual(unhandled.map(String), []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  suite('persistence', () => {
    test('a reloaded window resumes the session offline and signs in again only after it expired', async () => {
      const secrets = new FakeSecretStorage();
      const memento = new FakeMemento();
      const a = await ownSessions({ secrets, memento });
      let b: OwnSessions | undefined;
      try {
        await a.sessions.signIn();
        await a.sessions.flush();
        assert.strictEqual((await gateway().stats()).logins, 1);

        b = await ownSessions({ secrets, memento, importKey: false });
        const state = b.sessions.state;
        assert.strictEqual(state.kind, 'signedIn');
        assert.strictEqual(state.kind === 'signedIn' && state.restored, true);
        // Login and whoami from A's sign-in; B restoring added nothing.
        assert.strictEqual((await gateway().stats()).requests.length, 2, 'restoring touched no network');

        assert.strictEqual((await b.sessions.send({ method: 'GET', path: WHOAMI })).status, 200);
        assert.strictEqual((await gateway().stats()).logins, 1, 'the stored cookie was used, no login');

        await gateway().expireSessions();
        assert.strictEqual((await b.sessions.send({ method: 'GET', path: WHOAMI })).status, 200);
        assert.strictEqual((await gateway().stats()).logins, 2, 'exactly one login after expiry');
      } finally {
        a.dispose();
        b?.dispose();
      }
    });

    test('switching account while the other one signs in does not switch back, nor send with its session', async () => {
      const env = await ownSessions();
      try {
        const first = env.sessions.activeAccount!;
        const second = await parseKeyFile(fs.readFileSync(keyFile('second.json')));
        await env.store.save(second);
        await env.sessions.activate(first.keyId);

        await gateway().script({ match: LOGIN, status: 200, augment: true, delayMs: 800 });
        const slow = env.sessions.signIn().catch((e: unknown) => e);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await env.sessions.activate(second.keyId);
        await slow;
        const state = env.sessions.state;
        assert.strictEqual(state.kind === 'noAccount' ? undefined : state.account.keyId, second.keyId);
        assert.notStrictEqual(state.kind, 'signedIn', 'the first account’s sign-in did not take over the status');

        await env.sessions.send({ method: 'GET', path: WHOAMI });
        const logins = (await gateway().stats()).requests.filter((r) => r.path === LOGIN);
        const subjects = logins.map((r) => JSON.parse(Buffer.from(JSON.parse(r.body).token.split('.')[1], 'base64url').toString()).sub);
        assert.deepStrictEqual(subjects, [first.keyId, second.keyId], 'the request signed in as the account now active');
      } finally {
        env.dispose();
      }
    });

    test('without a keyring the store goes ephemeral, works in memory and writes nothing anywhere', async () => {
      const secrets = new FakeSecretStorage({ refuseWrites: 'No keyring is available' });
      const memento = new FakeMemento();
      const env = await ownSessions({ secrets, memento });
      try {
        assert.match(String(env.store.ephemeral), /No keyring is available/);
        assert.strictEqual((await env.store.list()).length, 1);
        await env.sessions.signIn();
        assert.strictEqual((await env.sessions.send({ method: 'GET', path: WHOAMI })).status, 200);
        await env.sessions.flush();
        assert.strictEqual(secrets.size, 0, 'SecretStorage holds nothing');
        const stateText = JSON.stringify(memento.dump());
        for (const line of keyLines('valid.json')) assert.ok(!stateText.includes(line), 'no key material in state');
        assert.ok(!/_npsid|private_key/.test(stateText), 'no cookie or key in state');
        const sent = (await apiCalls()).map((r) => String(r.headers.cookie ?? ''));
        const cookieValues = sent.flatMap((c) => c.split(';').map((pair) => pair.split('=')[1]?.trim() ?? ''));
        assert.ok(cookieValues.length > 0 && cookieValues.every((v) => v.length >= 16), 'the gateway saw the cookies');
        const logText = env.logged().join('\n');
        for (const value of cookieValues) assert.ok(!logText.includes(value), 'no cookie value in the log');
        for (const line of keyLines('valid.json')) assert.ok(!logText.includes(line), 'no key material in the log');
      } finally {
        env.dispose();
      }
    });

    test('two windows over one SecretStorage: importing and removing in one is followed by the other', async () => {
      const secrets = new FakeSecretStorage();
      const b = await ownSessions({ secrets, memento: new FakeMemento(), importKey: false });
      const a = await ownSessions({ secrets, memento: new FakeMemento(), importKey: false });
      try {
        assert.strictEqual(b.sessions.state.kind, 'noAccount');
        const key = await validKey();
        await a.store.save(key);
        await until(() => b.sessions.state.kind === 'signedOut', 'the other window to see the new account');
        assert.deepStrictEqual(
          (await b.store.list()).map((x) => x.keyId),
          [key.keyId],
        );
        await a.store.remove(key.keyId);
        await until(() => b.sessions.state.kind === 'noAccount', 'the other window to forget the account');
        assert.deepStrictEqual(await b.store.list(), []);
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  });
});

const validKey = async () => parseKeyFile(fs.readFileSync(keyFile('valid.json')));

interface OwnSessions {
  sessions: Sessions;
  store: AccountStore;
  logged(): string[];
  dispose(): void;
}

/**
 * A Sessions of our own over fake storage, pointed at the test gateway like the extension's: the shape a
 * window has after a reload, without reloading this one.
 */
async function ownSessions(
  opts: { secrets?: FakeSecretStorage; memento?: FakeMemento; importKey?: boolean } = {},
): Promise<OwnSessions> {
  const lines: string[] = [];
  const note = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  const log = {
    trace: note('trace'),
    debug: note('debug'),
    info: note('info'),
    warn: note('warn'),
    error: note('error'),
    forget: () => undefined,
  } as unknown as Logger;
  const config = (): NoonConfig => ({
    gatewayUrl: gatewayUrl(),
    gatewayChoice: 'custom',
    userAgent: 'noon-vscode-test/1.0.0',
    timeoutMs: 10_000,
    openInNewPanel: false,
    proxyStrictSSL: true,
    noProxy: [],
  });
  const store = new AccountStore(opts.secrets ?? new FakeSecretStorage(), log);
  const sessions = new Sessions(store, opts.memento ?? new FakeMemento(), config, log);
  if (opts.importKey !== false) {
    const key = await validKey();
    await store.save(key);
    await sessions.activate(key.keyId);
  } else {
    await sessions.reload();
  }
  return {
    sessions,
    store,
    logged: () => lines,
    dispose: () => {
      sessions.dispose();
      store.dispose();
    },
  };
}

/** SecretStorage in memory; every write and delete is announced, as another window's would be. */
class FakeSecretStorage implements vscode.SecretStorage {
  private readonly data = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly opts: { refuseWrites?: string } = {}) {}

  get size(): number {
    return this.data.size;
  }

  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    if (this.opts.refuseWrites) throw new Error(this.opts.refuseWrites);
    this.data.set(key, value);
    this.changed.fire({ key });
  }

  async delete(key: string): Promise<void> {
    if (this.data.delete(key)) this.changed.fire({ key });
  }
}

class FakeMemento implements vscode.Memento {
  private readonly data = new Map<string, unknown>();

  keys(): readonly string[] {
    return [...this.data.keys()];
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.data.has(key) ? (this.data.get(key) as T) : defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
  }

  dump(): Record<string, unknown> {
    return Object.fromEntries(this.data);
  }
}
