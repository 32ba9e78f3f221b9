import * as assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { NoonError } from '../../src/core/errors';
import { parseKeyFile } from '../../src/core/keyFile';
import { parseRetryAfter } from '../../src/core/retryAfter';
import type { NoonKey } from '../../src/core/types';
import { startGateway, type Gateway, type RecordedRequest } from '../gateway/gateway';
import { PARTNER_COOKIE, SESSION_COOKIE } from '../gateway/gatewayState';
import { clientsFor } from './clientFixture';
import { generateTestKey, type GeneratedTestKey } from '../gateway/keys';

const LOGIN = '/identity/public/v1/api/login';
const WHOAMI = '/identity/v1/whoami';
const UA = 'noon-vscode-test/1.2.3';

describe('NoonClient: sign-in, session and cookies', () => {
  let gateway: Gateway;
  let generated: GeneratedTestKey;
  let key: NoonKey;

  before(async () => {
    gateway = await startGateway();
    generated = generateTestKey();
    gateway.register(generated.account);
    key = await parseKeyFile(generated.keyFileJson);
  });

  after(async () => {
    await gateway.close();
  });

  beforeEach(() => gateway.reset());

  const makeClient = clientsFor(() => ({ gatewayUrl: gateway.url, userAgent: UA, key, ca: gateway.caPem }));

  function requestsTo(path: string): RecordedRequest[] {
    return gateway.stats().requests.filter((r) => r.path.split('?')[0] === path);
  }

  function cookieNames(request: RecordedRequest): string[] {
    const cookie = request.headers.cookie;
    if (typeof cookie !== 'string') return [];
    return cookie.split(';').map((pair) => pair.trim().split('=')[0]);
  }

  it('signs in with a JWT of exactly sub/iat/jti, then reads whoami', async () => {
    const client = makeClient();
    const before = Math.floor(Date.now() / 1000);
    const { identity, loginMs } = await client.signIn();

    assert.deepEqual(identity, { userCode: generated.account.userCode, username: generated.account.username });
    assert.ok(loginMs >= 0);
    assert.equal(gateway.stats().logins, 1);

    const [login] = requestsTo(LOGIN);
    assert.equal(login.method, 'POST');
    assert.equal(login.headers['user-agent'], UA);
    assert.match(String(login.headers['content-type']), /^application\/json/);
    assert.equal(login.headers.cookie, undefined);
    const body = JSON.parse(login.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['default_project_code', 'token']);
    assert.equal(body.default_project_code, generated.account.projectCode);

    const token = String(body.token);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    assert.deepEqual(Object.keys(claims).sort(), ['iat', 'jti', 'sub']);
    assert.equal(claims.sub, generated.account.keyId);
    assert.ok(Number.isInteger(claims.iat) && claims.iat! >= before && claims.iat! <= before + 5);
    assert.match(String(claims.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const [whoami] = requestsTo(WHOAMI);
    assert.equal(whoami.headers['user-agent'], UA);
    assert.deepEqual(cookieNames(whoami).sort(), [PARTNER_COOKIE, SESSION_COOKIE].sort());
  });

  it('replays the session cookie without logging in again', async () => {
    const client = makeClient();
    await client.signIn();
    const response = await client.send({ method: 'GET', path: WHOAMI });

    assert.equal(response.status, 200);
    assert.equal(gateway.stats().logins, 1);
    assert.ok(cookieNames(requestsTo(WHOAMI)[1]).includes(SESSION_COOKIE));
    // The viewer sees that a cookie went out, never its value.
    const sentCookie = response.request.headers.find(([name]) => name === 'cookie');
    assert.ok(sentCookie, 'the sent Cookie header is listed');
    assert.match(sentCookie[1], new RegExp(`${SESSION_COOKIE}=••••••`));
    const sentValue = String(requestsTo(WHOAMI)[1].headers.cookie);
    assert.ok(!JSON.stringify(response.request).includes(sentValue.split('=')[1].split(';')[0]));
    assert.deepEqual(
      response.request.headers.find(([name]) => name === 'user-agent'),
      ['user-agent', UA],
    );
  });

  it('logs in first when there is no session, and reports the new jar', async () => {
    const changes: Array<string | undefined> = [];
    const client = makeClient({ onSessionChanged: (session) => changes.push(session) });
    assert.equal(client.hasSession(), false);
    assert.equal(client.serializeSession(), undefined);

    const identity = await client.whoami();
    assert.equal(identity.userCode, generated.account.userCode);
    assert.equal(gateway.stats().logins, 1);
    assert.equal(client.hasSession(), true);
    assert.equal(changes.length, 1);
    const pairs = (jar: string | undefined) =>
      (JSON.parse(String(jar)) as { cookies: Array<{ key: string; value: string }> }).cookies
        .map((c) => `${c.key}=${c.value}`)
        .sort();
    assert.deepEqual(pairs(changes[0]), pairs(client.serializeSession()));
    assert.equal(pairs(changes[0]).length, 2);
  });

  it('resumes a serialized session without logging in', async () => {
    const first = makeClient();
    await first.signIn();
    const stored = first.serializeSession();
    assert.ok(stored);

    const second = makeClient({ session: stored });
    assert.equal(second.hasSession(), true);
    const identity = await second.whoami();
    assert.equal(identity.username, generated.account.username);
    assert.equal(gateway.stats().logins, 1);
  });

  it('starts empty when the stored session cannot be read', async () => {
    const client = makeClient({ session: '{not a jar' });
    assert.equal(client.hasSession(), false);
    await client.whoami();
    assert.equal(gateway.stats().logins, 1);
  });

  it('signs out: forgets the jar and reports undefined', async () => {
    const changes: Array<string | undefined> = [];
    const client = makeClient({ onSessionChanged: (session) => changes.push(session) });
    await client.signIn();
    client.signOut();
    assert.equal(client.hasSession(), false);
    assert.equal(client.serializeSession(), undefined);
    assert.equal(changes.at(-1), undefined);
    assert.equal(changes.length, 2);
  });

  it('case 4: returns 429 with Retry-After seconds or date, without retrying', async () => {
    const client = makeClient();
    await client.signIn();

    gateway.script({ match: '/fbpi/v1/orders', status: 429, headers: { 'retry-after': '120' } });
    const first = await client.send({ method: 'GET', path: '/fbpi/v1/orders' });
    assert.equal(first.status, 429);
    const retryAfter = first.headers.find(([name]) => name === 'retry-after')?.[1];
    assert.equal(parseRetryAfter(retryAfter, Date.now()), 120);

    const when = new Date(Math.ceil(Date.now() / 1000) * 1000 + 90_000).toUTCString();
    gateway.script({ match: '/fbpi/v1/orders', status: 429, headers: { 'retry-after': when } });
    const second = await client.send({ method: 'GET', path: '/fbpi/v1/orders' });
    assert.equal(second.status, 429);
    const seconds = parseRetryAfter(second.headers.find(([name]) => name === 'retry-after')?.[1], Date.now());
    assert.ok(seconds !== undefined && seconds >= 85 && seconds <= 91, `got ${seconds}`);
    assert.equal(requestsTo('/fbpi/v1/orders').length, 2);
  });

  it('case 4: whoami answering 429 throws rate-limited with the wait', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: WHOAMI, status: 429, headers: { 'retry-after': '120' } });
    await assert.rejects(client.whoami(), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.equal(error.kind, 'rate-limited');
      assert.equal(error.retryAfterSeconds, 120);
      assert.match(error.message, /2 minutes/);
      return true;
    });
    assert.equal(requestsTo(WHOAMI).length, 2);
  });

  it('case 5: ignores a foreign-domain cookie at login and sends only the session cookies', async () => {
    const client = makeClient();
    gateway.script({
      match: LOGIN,
      status: 200,
      augment: true,
      headers: { 'set-cookie': 'foreign=leak; Domain=other.example; Path=/' },
    });
    await client.signIn();

    const [whoami] = requestsTo(WHOAMI);
    assert.deepEqual(cookieNames(whoami).sort(), [PARTNER_COOKIE, SESSION_COOKIE].sort());
    assert.ok(!String(client.serializeSession()).includes('other.example'));
  });

  it('case 8: 401 until a new login; ten calls together cause exactly one login', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.expireSessions();

    const responses = await Promise.all(Array.from({ length: 10 }, () => client.send({ method: 'GET', path: WHOAMI })));
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(10).fill(200),
    );
    assert.equal(gateway.stats().logins, 2);
    assert.ok(responses.some((r) => r.timings.loginMs !== undefined));
  });

  it('fails with unauthenticated when the call still answers 401 after one new login', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: '/fbpi/v1/orders', status: 401, times: 2 });
    await assert.rejects(client.send({ method: 'GET', path: '/fbpi/v1/orders' }), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.equal(error.kind, 'unauthenticated');
      assert.equal(error.serverMessage, 'session expired');
      return true;
    });
    assert.equal(gateway.stats().logins, 2);
    assert.equal(requestsTo('/fbpi/v1/orders').length, 2);
  });

  it('masks a session cookie that the server echoes in its error message', async () => {
    const client = makeClient();
    await client.signIn();
    const sid = String(requestsTo(WHOAMI)[0].headers.cookie).match(/_npsid=([^;]+)/)?.[1];
    assert.ok(sid, 'the session cookie was sent');
    const echo = JSON.stringify({ status_id: 16, status_code: 'UNAUTHENTICATED', message: `session _npsid=${sid} is not valid`, details: [] });
    gateway.script({ match: '/fbpi/v1/orders', status: 401, headers: { 'content-type': 'application/json' }, body: echo, times: 2 });
    await assert.rejects(client.send({ method: 'GET', path: '/fbpi/v1/orders' }), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.ok(!`${error.message} ${error.serverMessage} ${error.hint}`.includes(sid), error.message);
      assert.match(String(error.serverMessage), /is not valid/);
      return true;
    });
  });

  it('a disposed client reports no cookies from a request that was still on the wire', async () => {
    const changes: Array<string | undefined> = [];
    const client = makeClient({ onSessionChanged: (session) => changes.push(session) });
    await client.signIn();
    const before = changes.length;
    gateway.script({
      match: '/fbpi/v1/orders',
      status: 200,
      headers: { 'set-cookie': '_npsid=late-value; Path=/; Secure; HttpOnly' },
      body: '{}',
      delayMs: 300,
    });
    const pending = client.send({ method: 'GET', path: '/fbpi/v1/orders' }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.dispose();
    await pending;
    assert.equal(changes.length, before, 'no session change reported after dispose');
  });

  it('case 9: a deactivated key fails once with the server message, no retry loop', async () => {
    const other = generateTestKey();
    gateway.register({ ...other.account, deactivated: true });
    const client = makeClient({ key: await parseKeyFile(other.keyFileJson) });

    await assert.rejects(client.whoami(), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.equal(error.kind, 'key-rejected');
      assert.equal(error.status, 401);
      assert.equal(error.serverMessage, 'key is deactivated');
      assert.match(error.message, /key is deactivated/);
      assert.match(error.hint, /partner portal/);
      assert.ok(!error.message.includes('eyJ'));
      return true;
    });
    assert.equal(gateway.stats().failedLogins, 1);
    assert.equal(requestsTo(LOGIN).length, 1);
    assert.equal(client.hasSession(), false);
  });

  for (const [label, expiry] of [
    ['an epoch Expires', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
    ['Max-Age=0', 'Max-Age=0'],
  ]) {
    it(`case 10: ${label} removes the cookies and reports undefined`, async () => {
      const changes: Array<string | undefined> = [];
      const client = makeClient({ onSessionChanged: (session) => changes.push(session) });
      await client.signIn();
      assert.equal(changes.length, 1);

      gateway.script({
        match: '/identity/v1/logout',
        status: 200,
        body: '{}',
        headers: {
          'set-cookie': [`${SESSION_COOKIE}=; Path=/; ${expiry}`, `${PARTNER_COOKIE}=; Path=/; ${expiry}`],
        },
      });
      const response = await client.send({ method: 'POST', path: '/identity/v1/logout', body: '{}' });
      assert.equal(response.status, 200);
      assert.equal(client.hasSession(), false);
      assert.equal(client.serializeSession(), undefined);
      assert.equal(changes.length, 2);
      assert.equal(changes[1], undefined);

      // The next call has no session to send: it signs in first, and the login carries no old cookie.
      const loginsBefore = requestsTo(LOGIN).length;
      await client.send({ method: 'GET', path: WHOAMI });
      const logins = requestsTo(LOGIN);
      assert.equal(logins.length, loginsBefore + 1);
      assert.equal(logins.at(-1)!.headers.cookie, undefined);
    });
  }

  it('reports clock skew from the Date header when login answers 401', async () => {
    const client = makeClient({ now: () => Date.now() + 10 * 60_000 });
    await assert.rejects(client.signIn(), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.equal(error.kind, 'clock-skew');
      assert.ok(error.skewSeconds !== undefined && Math.abs(error.skewSeconds - 600) <= 2, `${error.skewSeconds}`);
      assert.match(error.message, /10 minutes ahead/);
      assert.match(error.hint, /clock/);
      return true;
    });
  });

  it('always sends a User-Agent, even with an empty setting or a user header', async () => {
    const client = makeClient({ userAgent: '   ' });
    await client.send({ method: 'GET', path: WHOAMI, headers: { 'User-Agent': '' } });
    for (const request of gateway.stats().requests) {
      assert.ok(typeof request.headers['user-agent'] === 'string' && request.headers['user-agent'].length > 0);
    }
  });

  it('offers only the codings it decodes, unless the user asks otherwise', async () => {
    const client = makeClient();
    await client.signIn();
    await client.send({ method: 'GET', path: WHOAMI, headers: { 'Accept-Encoding': 'identity' } });
    const [login, first, second] = gateway.stats().requests;
    assert.equal(login.headers['accept-encoding'], 'gzip, deflate, br');
    assert.equal(first.headers['accept-encoding'], 'gzip, deflate, br');
    assert.equal(second.headers['accept-encoding'], 'identity');
  });

  it('returns 4xx/5xx answers as responses', async () => {
    const client = makeClient();
    await client.signIn();
    const forbidden = await client.send({ method: 'GET', path: WHOAMI, headers: { 'X-Project': 'PRJ-NOT-MINE' } });
    assert.equal(forbidden.status, 403);
    assert.match(Buffer.from(forbidden.body).toString(), /project not allowed/);

    gateway.script({ match: '/fbpi/v1/orders', status: 500, body: 'boom' });
    const failed = await client.send({ method: 'GET', path: '/fbpi/v1/orders' });
    assert.equal(failed.status, 500);
    assert.equal(Buffer.from(failed.body).toString(), 'boom');
  });

  it('keeps bodies as bytes: malformed JSON and big numbers pass through unchanged', async () => {
    const client = makeClient();
    await client.signIn();
    const odd = `)]}',\n{"ok": true}`;
    const big = '{"order_nr": 1234567890123456789, "items": [{"id": 9007199254740993, "price": 10.10}]}';
    gateway.script({ match: '/odd', status: 200, body: odd, headers: { 'content-type': 'application/json' } });
    gateway.script({ match: '/big', status: 200, body: big, headers: { 'content-type': 'application/json' } });

    const first = await client.send({ method: 'GET', path: '/odd' });
    assert.ok(first.body instanceof Uint8Array);
    assert.equal(Buffer.from(first.body).toString('utf8'), odd);
    assert.equal(first.receivedBytes, Buffer.byteLength(odd));
    const second = await client.send({ method: 'GET', path: '/big' });
    assert.equal(Buffer.from(second.body).toString('utf8'), big);
  });

  it('decodes gzip and counts the compressed bytes received', async () => {
    const client = makeClient();
    await client.signIn();
    const response = await client.send({ method: 'GET', path: '/test/gzip' });
    assert.equal(response.status, 200);
    const text = Buffer.from(response.body).toString('utf8');
    JSON.parse(text);
    const length = Number(response.headers.find(([name]) => name === 'content-length')?.[1]);
    assert.equal(response.receivedBytes, length);
    assert.notDeepEqual([...response.body.subarray(0, 2)], [0x1f, 0x8b], 'the body is decoded');
  });

  it('sends the body and method as given, with JSON as the default content type', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: '/echo', status: 200, body: '{}' });
    const response = await client.send({ method: 'PUT', path: 'echo', body: '{"a":1}' });
    const [recorded] = requestsTo('/echo');
    assert.equal(recorded.method, 'PUT');
    assert.equal(recorded.body, '{"a":1}');
    assert.equal(recorded.headers['content-type'], 'application/json');
    assert.equal(response.request.body, '{"a":1}');
    assert.equal(response.request.method, 'PUT');
  });

  it('refuses paths on another origin and headers with line breaks', async () => {
    const client = makeClient();
    const other = gateway.url.replace('127.0.0.1', 'localhost');
    assert.throws(
      () => client.resolveUrl(`${other}/identity/v1/whoami`),
      (e: unknown) => {
        return e instanceof NoonError && e.kind === 'bad-request';
      },
    );
    assert.equal(client.resolveUrl('identity/v1/whoami').href, `${gateway.url}/identity/v1/whoami`);
    assert.equal(client.resolveUrl(`${gateway.url}/x?y=1`).href, `${gateway.url}/x?y=1`);
    await assert.rejects(
      client.send({ method: 'GET', path: WHOAMI, headers: { 'X-Evil': 'a\r\nInjected: 1' } }),
      (e: unknown) => e instanceof NoonError && e.kind === 'bad-request',
    );
    assert.equal(gateway.stats().requests.length, 0);
  });
});
