import * as assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { GatewayControl } from '../gateway/control';
import { startGateway, type Gateway, type TestAccount } from '../gateway/gateway';
import { generateTestKey } from '../gateway/keys';
import { GZIP_JSON, LATIN1_TEXT } from '../gateway/testPaths';

const keyFile = JSON.parse(readFileSync('/work/shared/cases/keys/valid-pkcs8.json', 'utf8')) as Record<string, string>;
const privateKey = createPrivateKey(keyFile.private_key);
const UA = 'NoonGatewayTest/1.0';

const account: TestAccount = {
  keyId: keyFile.key_id,
  publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  projectCode: keyFile.project_code,
  username: 'svc@p000001.idp.noon.partners',
  userCode: 'u-000001',
  allowedProjects: [keyFile.project_code, 'PRJ000002'],
};

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  text: string;
}

interface CallOptions {
  headers?: Record<string, string>;
  body?: string;
  userAgent?: string | null;
}

function call(gw: Gateway, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const target = new URL(path, gw.url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.userAgent !== null) {
    headers['user-agent'] = opts.userAgent ?? UA;
  }
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text: raw.toString('utf8') });
      });
      res.on('error', reject);
    };
    const options = { method, headers, agent: false };
    const req =
      target.protocol === 'https:'
        ? https.request(target, { ...options, ca: gw.caPem }, onResponse)
        : http.request(target, options, onResponse);
    req.on('error', reject);
    req.end(opts.body);
  });
}

interface TokenOptions {
  sub?: string;
  iat?: number;
  jti?: string;
  extra?: Record<string, unknown>;
  alg?: string;
  key?: ReturnType<typeof createPrivateKey>;
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

function signToken(opts: TokenOptions = {}): Promise<string> {
  const claims = {
    sub: opts.sub ?? account.keyId,
    iat: opts.iat ?? nowS(),
    jti: opts.jti ?? randomUUID(),
    ...opts.extra,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'RS256', typ: 'JWT' }).sign(opts.key ?? privateKey);
}

function login(gw: Gateway, token: string, project: string | undefined = account.projectCode, ua?: string | null) {
  const body = JSON.stringify({ token, default_project_code: project });
  return call(gw, 'POST', '/identity/public/v1/api/login', { body, userAgent: ua });
}

/** The Cookie header a client would send back after this login answer. */
function cookieFrom(reply: Reply): string {
  return (reply.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
}

async function signIn(gw: Gateway): Promise<string> {
  const reply = await login(gw, await signToken());
  assert.equal(reply.status, 200, reply.text);
  return cookieFrom(reply);
}

function json(reply: Reply): Record<string, unknown> {
  return JSON.parse(reply.text) as Record<string, unknown>;
}

describe('test gateway', () => {
  let gw: Gateway;

  before(async () => {
    gw = await startGateway({ accounts: [account] });
  });

  after(async () => {
    await gw.close();
  });

  beforeEach(() => {
    gw.reset();
  });

  describe('login', () => {
    it('accepts a correctly signed token and sets both session cookies', async () => {
      const reply = await login(gw, await signToken());

      assert.equal(reply.status, 200);
      assert.equal(reply.text, '{}');
      assert.ok(reply.headers.date, 'Date header is always sent');
      const cookies = reply.headers['set-cookie'] ?? [];
      assert.equal(cookies.length, 2);
      assert.match(cookies[0], /^_npsid=[\w-]{20,}; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=2592000$/);
      assert.match(cookies[1], /^_nprtnetid=[\w-]{20,}; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=2592000$/);
      assert.deepEqual({ logins: gw.stats().logins, failed: gw.stats().failedLogins }, { logins: 1, failed: 0 });
    });

    it('refuses a replayed jti', async () => {
      const token = await signToken();
      assert.equal((await login(gw, token)).status, 200);

      const replay = await login(gw, token);

      assert.equal(replay.status, 401);
      assert.equal(json(replay).status_code, 'UNAUTHENTICATED');
      assert.match(String(json(replay).message), /already used/);
      assert.equal(replay.headers['set-cookie'], undefined);
      assert.equal(gw.stats().failedLogins, 1);
    });

    it('refuses claims other than sub/iat/jti, naming the claim', async () => {
      const reply = await login(gw, await signToken({ extra: { exp: nowS() + 60 } }));

      assert.equal(reply.status, 401);
      assert.deepEqual(json(reply), {
        status_id: 16,
        status_code: 'UNAUTHENTICATED',
        message: 'unexpected claim exp',
        details: [],
      });
    });

    it('refuses an iat outside the clock-skew window or not in whole seconds', async () => {
      const late = await login(gw, await signToken({ iat: nowS() - 1000 }));
      const early = await login(gw, await signToken({ iat: nowS() + 1000 }));
      const fractional = await login(gw, await signToken({ iat: nowS() + 0.5 }));

      for (const reply of [late, early]) {
        assert.equal(reply.status, 401);
        assert.match(String(json(reply).message), /clock skew/);
      }
      assert.equal(fractional.status, 401);
      assert.match(String(json(fractional).message), /whole seconds/);
    });

    it('refuses a jti that is not a UUID v4', async () => {
      const reply = await login(gw, await signToken({ jti: 'not-a-uuid' }));

      assert.equal(reply.status, 401);
      assert.match(String(json(reply).message), /UUID v4/);
    });

    it('requires a User-Agent', async () => {
      const reply = await login(gw, await signToken(), account.projectCode, null);

      assert.equal(reply.status, 400);
      assert.deepEqual(json(reply), {
        status_id: 3,
        status_code: 'INVALID_ARGUMENT',
        message: 'missing User-Agent header',
        details: [],
      });
    });

    it('refuses another algorithm, a foreign signature and an unknown key', async () => {
      const ps256 = await login(gw, await signToken({ alg: 'PS256' }));
      const other = generateTestKey({ bits: 2048 });
      const forged = await login(gw, await signToken({ key: createPrivateKey(other.privateKeyPem) }));
      const unknown = await login(gw, await signToken({ sub: 'no-such-key' }));

      assert.equal(ps256.status, 401);
      assert.match(String(json(ps256).message), /unexpected alg PS256/);
      assert.equal(forged.status, 401);
      assert.match(String(json(forged).message), /signature/);
      assert.equal(unknown.status, 401);
      assert.equal(json(unknown).message, 'key not found');
      assert.equal(gw.stats().failedLogins, 3);
    });

    it('refuses a deactivated key and a project the key may not use', async () => {
      const spare = generateTestKey({ projectCode: 'PRJ900001' });
      gw.register({ ...spare.account, deactivated: true });
      const spareKey = createPrivateKey(spare.privateKeyPem);

      const deactivated = await login(gw, await signToken({ sub: spare.account.keyId, key: spareKey }), 'PRJ900001');
      const wrongProject = await login(gw, await signToken(), 'PRJ999999');
      const allowedOther = await login(gw, await signToken(), 'PRJ000002');

      assert.equal(deactivated.status, 401);
      assert.equal(json(deactivated).message, 'key is deactivated');
      assert.equal(wrongProject.status, 403);
      assert.deepEqual(json(wrongProject), {
        status_id: 7,
        status_code: 'PERMISSION_DENIED',
        message: 'project not allowed',
        details: [],
      });
      assert.equal(allowedOther.status, 200);
    });

    it('accepts a key made by generateTestKey, whose key file has the portal shape', async () => {
      const made = generateTestKey();
      gw.register(made.account);
      const file = JSON.parse(made.keyFileJson) as Record<string, string>;

      assert.deepEqual(Object.keys(file).sort(), [
        'channel_identifier',
        'issued_at',
        'key_id',
        'private_key',
        'project_code',
        'type',
      ]);
      assert.ok(made.keyFileJson.includes('-----BEGIN PRIVATE KEY-----\\n'), 'PEM newlines are JSON escapes');
      const key = createPrivateKey(file.private_key);
      const reply = await login(gw, await signToken({ sub: file.key_id, key }), file.project_code);
      assert.equal(reply.status, 200, reply.text);
    });
  });

  describe('sessions', () => {
    it('answers whoami with the session cookie and 401 without it', async () => {
      const cookie = await signIn(gw);

      const withCookie = await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie } });
      const without = await call(gw, 'GET', '/identity/v1/whoami');
      const bogus = await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie: '_npsid=made-up' } });

      assert.equal(withCookie.status, 200);
      assert.deepEqual(json(withCookie), { user_code: account.userCode, username: account.username });
      for (const reply of [without, bogus]) {
        assert.equal(reply.status, 401);
        assert.equal(
          reply.text,
          '{"status_id":16,"status_code":"UNAUTHENTICATED","message":"session expired","details":[]}',
        );
      }
    });

    it('makes every existing session invalid on expireSessions', async () => {
      const cookie = await signIn(gw);
      assert.equal((await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie } })).status, 200);

      gw.expireSessions();

      assert.equal((await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie } })).status, 401);
      const fresh = await signIn(gw);
      assert.equal((await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie: fresh } })).status, 200);
    });

    it('records each request with its headers and body', async () => {
      const cookie = await signIn(gw);
      await call(gw, 'POST', '/echo/v1/echo', { headers: { cookie }, body: '{"echo":"hi"}' });

      const { requests } = gw.stats();
      assert.equal(requests.length, 2);
      assert.equal(requests[0].path, '/identity/public/v1/api/login');
      assert.match(requests[0].body, /"token":"ey/);
      assert.equal(requests[1].method, 'POST');
      assert.equal(requests[1].headers.cookie, cookie);
      assert.equal(requests[1].headers['user-agent'], UA);
      assert.equal(requests[1].body, '{"echo":"hi"}');
    });
  });

  describe('catalog endpoints', () => {
    it('writes prices and order numbers literally, beyond what a double holds', async () => {
      const cookie = await signIn(gw);
      const pricing = await call(gw, 'POST', '/pricing/v1/pricing/get', {
        headers: { cookie },
        body: JSON.stringify({ items: [{ partner_sku: 'SKU-1', country_code: 'ae' }] }),
      });
      const orders = await call(gw, 'POST', '/fbpi/v1/fbpi-orders/list', {
        headers: { cookie },
        body: JSON.stringify({ warehouse_code: 'W1' }),
      });

      assert.equal(pricing.status, 200);
      assert.match(pricing.text, /"price":\d+\.\d0,/);
      assert.match(pricing.text, /"partner_sku":"SKU-1"/);
      assert.equal(orders.status, 200);
      assert.ok(orders.text.includes('"fbpi_order_nr":9007199254740993'), orders.text.slice(0, 200));
      assert.equal(json(orders).next_token, 'page-2');
    });

    it('honours X-Project and refuses a project outside the account', async () => {
      const cookie = await signIn(gw);

      const own = await call(gw, 'GET', '/echo/v1/echo?echo=hi', { headers: { cookie } });
      const other = await call(gw, 'GET', '/echo/v1/echo?echo=hi', { headers: { cookie, 'x-project': 'PRJ000002' } });
      const foreign = await call(gw, 'GET', '/echo/v1/echo', { headers: { cookie, 'x-project': 'PRJ999999' } });

      assert.deepEqual(json(own), { echo: 'hi', project_code: account.projectCode });
      assert.deepEqual(json(other), { echo: 'hi', project_code: 'PRJ000002' });
      assert.equal(foreign.status, 403);
    });

    it('answers 404 NOT_FOUND for an unknown path, and 401 before that without a session', async () => {
      const cookie = await signIn(gw);

      const unknown = await call(gw, 'GET', '/nothing/v1/here', { headers: { cookie } });
      const anonymous = await call(gw, 'GET', '/nothing/v1/here');

      assert.equal(unknown.status, 404);
      assert.equal(json(unknown).status_code, 'NOT_FOUND');
      assert.equal(anonymous.status, 401);
    });

    it('serves the response-viewer fixtures', async () => {
      const cookie = await signIn(gw);
      const big = await call(gw, 'GET', '/test/big?bytes=200000', { headers: { cookie } });
      const png = await call(gw, 'GET', '/test/binary', { headers: { cookie } });
      const gz = await call(gw, 'GET', '/test/gzip', { headers: { cookie } });
      const latin1 = await call(gw, 'GET', '/test/latin1', { headers: { cookie } });

      assert.ok(big.raw.length <= 200000 && big.raw.length > 199000, `big body is ${big.raw.length} bytes`);
      assert.ok(Array.isArray(JSON.parse(big.text)));
      assert.ok(big.text.startsWith('[{"id":9007199254740993,'));
      assert.equal(png.headers['content-type'], 'image/png');
      assert.deepEqual([...png.raw.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(gz.raw).toString('utf8'), GZIP_JSON);
      assert.equal(latin1.headers['content-type'], 'text/plain; charset=iso-8859-1');
      assert.ok(latin1.raw.includes(0xe9), 'é is the single byte 0xE9');
      assert.equal(latin1.raw.toString('latin1'), LATIN1_TEXT);
    });
  });

  describe('scripted answers', () => {
    it('serves a scripted 429 once, then answers normally again', async () => {
      const cookie = await signIn(gw);
      gw.script({ match: '/identity/v1/whoami', status: 429, headers: { 'retry-after': '120' } });

      const limited = await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie } });
      const next = await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie } });

      assert.equal(limited.status, 429);
      assert.equal(limited.headers['retry-after'], '120');
      assert.equal(json(limited).status_code, 'RESOURCE_EXHAUSTED');
      assert.equal(next.status, 200);
      assert.equal(gw.stats().requests.length, 3, 'the scripted request is recorded too');
    });

    it('sends bodies, repeated headers and malformed JSON exactly as scripted', async () => {
      gw.script({
        match: '/weird',
        status: 200,
        times: 2,
        headers: { 'content-type': 'application/json', 'set-cookie': ['a=1; Domain=other.example', 'b=2; Max-Age=0'] },
        body: ')]}\',\n{"ok": true}',
      });

      const first = await call(gw, 'GET', '/weird');
      const second = await call(gw, 'GET', '/weird/again');
      const third = await call(gw, 'GET', '/weird');

      for (const reply of [first, second]) {
        assert.equal(reply.status, 200);
        assert.equal(reply.text, ')]}\',\n{"ok": true}');
        assert.deepEqual(reply.headers['set-cookie'], ['a=1; Domain=other.example', 'b=2; Max-Age=0']);
      }
      assert.equal(third.status, 401, 'the script was used up after two answers');
    });

    it('serves a 204 with a content type and no body, a redirect, and a delayed answer', async () => {
      gw.script({ match: '/empty', status: 204, headers: { 'content-type': 'application/json' } });
      gw.script({ match: '/moved', status: 302, headers: { location: 'https://127.0.0.2:1/elsewhere' } });
      gw.script({ match: '/slow', status: 200, body: 'late', delayMs: 20 });

      const empty = await call(gw, 'GET', '/empty');
      const moved = await call(gw, 'GET', '/moved');
      const slow = await call(gw, 'GET', '/slow');

      assert.equal(empty.status, 204);
      assert.equal(empty.headers['content-type'], 'application/json');
      assert.equal(empty.raw.length, 0);
      assert.equal(moved.status, 302);
      assert.equal(moved.headers.location, 'https://127.0.0.2:1/elsewhere');
      assert.equal(slow.text, 'late');
    });

    it('adds scripted headers to a real login when augmenting', async () => {
      gw.script({
        match: '/identity/public/v1/api/login',
        status: 200,
        augment: true,
        headers: { 'set-cookie': 'x=1; Domain=other.example' },
      });

      const reply = await login(gw, await signToken());

      assert.equal(reply.status, 200);
      const cookies = reply.headers['set-cookie'] ?? [];
      assert.equal(cookies.length, 3);
      assert.equal(cookies[0], 'x=1; Domain=other.example');
      const session = cookies
        .slice(1)
        .map((c) => c.split(';')[0])
        .join('; ');
      assert.equal((await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie: session } })).status, 200);
      assert.equal(gw.stats().logins, 1);
    });

    it('drops the connection for destroy, and still records the request', async () => {
      gw.script({ match: '/echo', destroy: true, status: 0 });

      await assert.rejects(call(gw, 'GET', '/echo/v1/echo'), /socket hang up|ECONNRESET/);
      assert.equal(gw.stats().requests.length, 1);
    });

    it('rejects a malformed script where it is made', () => {
      assert.throws(() => gw.script({ status: 42 }), /status/);
      assert.throws(() => gw.script({ status: 200, times: 0 }), /times/);
      assert.throws(() => gw.script({ status: 200, match: '/__gateway/stats' }), /control/);
    });
  });

  describe('exfil and control API', () => {
    it('records /exfil requests without a session and answers 204', async () => {
      const reply = await call(gw, 'GET', '/exfil2?c=secret', { userAgent: null });

      assert.equal(reply.status, 204);
      const { exfil } = gw.stats();
      assert.equal(exfil.length, 1);
      assert.equal(exfil[0].path, '/exfil2?c=secret');
    });

    it('round-trips scripts, latency, registration, stats, expiry and reset', async () => {
      const control = new GatewayControl(gw.url, gw.caPem);
      const spare = generateTestKey();
      await control.register(spare.account);
      await control.script({ match: '/echo/v1/echo', method: 'GET', status: 503, times: Infinity });
      await control.setLatency(1);

      const loginReply = await login(
        gw,
        await signToken({ sub: spare.account.keyId, key: createPrivateKey(spare.privateKeyPem) }),
        spare.account.projectCode,
      );
      const cookie = cookieFrom(loginReply);
      const first = await call(gw, 'GET', '/echo/v1/echo', { headers: { cookie } });
      const second = await call(gw, 'GET', '/echo/v1/echo', { headers: { cookie } });
      await control.expireSessions();
      const afterExpiry = await call(gw, 'GET', '/identity/v1/whoami', { headers: { cookie } });
      const stats = await control.stats();

      assert.equal(loginReply.status, 200);
      assert.deepEqual([first.status, second.status], [503, 503]);
      assert.equal(afterExpiry.status, 401);
      assert.equal(stats.logins, 1);
      assert.deepEqual(
        stats.requests.map((r) => r.path),
        ['/identity/public/v1/api/login', '/echo/v1/echo', '/echo/v1/echo', '/identity/v1/whoami'],
      );

      await control.reset();
      assert.deepEqual(await control.stats(), { logins: 0, failedLogins: 0, requests: [], exfil: [] });
      await assert.rejects(control.setLatency(-1), /ms must be/);
    });
  });

  describe('TLS', () => {
    it('writes the CA to caFile and verifies as 127.0.0.1, localhost and ::1', async () => {
      assert.equal(readFileSync(gw.caFile, 'utf8'), gw.caPem);
      const port = new URL(gw.url).port;

      for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
        const reply = await call({ ...gw, url: `https://${host}:${port}` }, 'GET', '/identity/v1/whoami');
        assert.equal(reply.status, 401, host);
      }
    });

    it('is refused by a client that does not trust the CA', async () => {
      const untrusted = call({ ...gw, caPem: '' }, 'GET', '/identity/v1/whoami');

      await assert.rejects(untrusted, /certificate/);
    });
  });

  describe('plain HTTP mode', () => {
    it('serves over http and leaves Secure off the cookies', async () => {
      const plain = await startGateway({ tls: false, accounts: [account] });
      try {
        assert.match(plain.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const reply = await login(plain, await signToken());
        assert.equal(reply.status, 200);
        for (const cookie of reply.headers['set-cookie'] ?? []) {
          assert.doesNotMatch(cookie, /Secure/);
        }
      } finally {
        await plain.close();
      }
    });
  });
});
