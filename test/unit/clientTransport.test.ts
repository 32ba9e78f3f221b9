import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { NoonError, type NoonErrorKind } from '../../src/core/errors';
import { parseKeyFile } from '../../src/core/keyFile';
import type { NoonKey } from '../../src/core/types';
import { startGateway, type Gateway, type RecordedRequest } from '../gateway/gateway';
import { clientsFor } from './clientFixture';
import { generateTestKey, type GeneratedTestKey } from '../gateway/keys';

const LOGIN = '/identity/public/v1/api/login';
const WHOAMI = '/identity/v1/whoami';

/** A plain HTTP server on another port of 127.0.0.1: same host for cookies, another origin for us. */
interface Bystander {
  url: string;
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

async function startBystander(): Promise<Bystander> {
  const seen: Bystander['seen'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('landed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function isNoonError(kind: NoonErrorKind, check?: (e: NoonError) => void) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof NoonError, `expected a NoonError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    check?.(error);
    return true;
  };
}

describe('NoonClient: transport, redirects and concurrency', () => {
  let gateway: Gateway;
  let bystander: Bystander;
  let generated: GeneratedTestKey;
  let key: NoonKey;

  before(async () => {
    gateway = await startGateway();
    bystander = await startBystander();
    generated = generateTestKey();
    gateway.register(generated.account);
    key = await parseKeyFile(generated.keyFileJson);
  });

  after(async () => {
    await gateway.close();
    await bystander.close();
  });

  beforeEach(() => {
    gateway.reset();
    bystander.seen.length = 0;
  });

  const makeClient = clientsFor(() => ({ gatewayUrl: gateway.url, userAgent: 'ua-test/1', key, ca: gateway.caPem }));

  function requestsTo(path: string): RecordedRequest[] {
    return gateway.stats().requests.filter((r) => r.path.split('?')[0] === path);
  }

  it('survives 50 concurrent requests while sessions expire midway: all succeed, exactly one extra login', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = makeClient();
      await client.signIn();
      gateway.setLatency(25);

      const early = Array.from({ length: 25 }, () => client.send({ method: 'GET', path: WHOAMI }));
      await delay(5);
      gateway.expireSessions();
      const late = Array.from({ length: 25 }, () => client.send({ method: 'GET', path: WHOAMI }));
      const responses = await Promise.all([...early, ...late]);

      assert.equal(responses.length, 50);
      assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
      assert.equal(gateway.stats().logins, 2);
      assert.ok(requestsTo(WHOAMI).length > 51, 'some calls met 401 and were sent again');
      await delay(10);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('shares one failed login between concurrent callers', async () => {
    const other = generateTestKey();
    gateway.register({ ...other.account, deactivated: true });
    const client = makeClient({ key: await parseKeyFile(other.keyFileJson) });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.whoami()));
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof NoonError && result.reason.kind === 'key-rejected');
    }
    assert.equal(gateway.stats().failedLogins, 1);
  });

  it('one caller cancelling does not cancel the login others wait for', async () => {
    const client = makeClient();
    gateway.setLatency(50);
    const controller = new AbortController();
    const cancelledCall = client.send({ method: 'GET', path: WHOAMI }, { signal: controller.signal });
    const patientCall = client.send({ method: 'GET', path: WHOAMI });
    controller.abort();

    await assert.rejects(cancelledCall, isNoonError('cancelled'));
    assert.equal((await patientCall).status, 200);
    assert.equal(gateway.stats().logins, 1);
  });

  it('303 turns a POST into a GET without body', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: '/moved', status: 303, headers: { location: WHOAMI } });
    const response = await client.send({ method: 'POST', path: '/moved', body: '{"x":1}' });

    assert.equal(response.status, 200);
    assert.equal(response.request.method, 'GET');
    assert.equal(response.request.body, undefined);
    const landed = requestsTo(WHOAMI).at(-1)!;
    assert.equal(landed.method, 'GET');
    assert.equal(landed.body, '');
    assert.equal(landed.headers['content-type'], undefined);
  });

  for (const status of [307, 308]) {
    it(`${status} repeats the method and body`, async () => {
      const client = makeClient();
      await client.signIn();
      gateway.script({ match: '/old', status, headers: { location: '/new' } });
      gateway.script({ match: '/new', status: 201, body: '{}' });
      const response = await client.send({ method: 'PATCH', path: '/old', body: '{"keep":true}' });

      assert.equal(response.status, 201);
      const [landed] = requestsTo('/new');
      assert.equal(landed.method, 'PATCH');
      assert.equal(landed.body, '{"keep":true}');
      assert.ok(String(landed.headers.cookie).includes('_npsid='), 'same-origin hop keeps the cookie');
    });
  }

  it('a hop to another origin carries no cookie and no Authorization', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: '/away', status: 302, headers: { location: `${bystander.url}/landing` } });
    const response = await client.send({
      method: 'GET',
      path: '/away',
      headers: { Authorization: 'Bearer user-secret', 'X-Trace': 'kept' },
    });

    assert.equal(response.status, 200);
    assert.equal(Buffer.from(response.body).toString(), 'landed');
    assert.equal(response.request.url, `${bystander.url}/landing`);
    const [landed] = bystander.seen;
    assert.equal(landed.headers.cookie, undefined);
    assert.equal(landed.headers.authorization, undefined);
    assert.equal(landed.headers['x-trace'], 'kept');
    assert.equal(landed.headers['user-agent'], 'ua-test/1');
    // The gateway's own request did carry the session.
    assert.ok(String(requestsTo('/away')[0].headers.cookie).includes('_npsid='));
  });

  it('a hop to localhost (another origin on the same gateway) carries no cookie', async () => {
    const client = makeClient();
    await client.signIn();
    const elsewhere = `${gateway.url.replace('127.0.0.1', 'localhost')}/fbpi/v1/landing`;
    gateway.script({ match: '/away', status: 301, headers: { location: elsewhere } });
    gateway.script({ match: '/fbpi/v1/landing', status: 200, body: 'ok' });
    const response = await client.send({ method: 'GET', path: '/away' });
    assert.equal(response.status, 200);
    assert.equal(requestsTo('/fbpi/v1/landing')[0].headers.cookie, undefined);
  });

  it('never follows a login redirect to another origin', async () => {
    const client = makeClient();
    gateway.script({ match: LOGIN, status: 307, headers: { location: `${bystander.url}/steal` } });
    await assert.rejects(
      client.signIn(),
      isNoonError('bad-response', (e) => assert.match(e.message, /redirected/)),
    );
    assert.equal(bystander.seen.length, 0);
  });

  it('stops after five redirects', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: '/loop', status: 302, headers: { location: '/loop' }, times: 10 });
    await assert.rejects(client.send({ method: 'GET', path: '/loop' }), isNoonError('bad-response'));
    assert.equal(requestsTo('/loop').length, 6);
  });

  it('times out a slow answer', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: '/slow', status: 200, delayMs: 3000 });
    await assert.rejects(
      client.send({ method: 'GET', path: '/slow' }, { timeoutMs: 150 }),
      isNoonError('timeout', (e) => {
        assert.equal(e.host, '127.0.0.1');
        assert.match(e.hint, /noon\.requestTimeout/);
      }),
    );
  });

  it('cancels on the caller signal, before or during the request', async () => {
    const client = makeClient();
    await client.signIn();
    gateway.script({ match: '/slow', status: 200, delayMs: 3000 });
    const controller = new AbortController();
    const pending = client.send({ method: 'GET', path: '/slow' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, isNoonError('cancelled'));

    await assert.rejects(
      client.send({ method: 'GET', path: WHOAMI }, { signal: AbortSignal.abort() }),
      isNoonError('cancelled'),
    );
  });

  it('maps a closed port to refused, naming the host', async () => {
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const { port } = spare.address() as AddressInfo;
    await new Promise<void>((resolve) => spare.close(() => resolve()));

    const client = makeClient({ gatewayUrl: `https://127.0.0.1:${port}` });
    await assert.rejects(
      client.whoami(),
      isNoonError('refused', (e) => {
        assert.equal(e.host, '127.0.0.1');
        assert.match(e.message, /127\.0\.0\.1/);
      }),
    );
  });

  it('verifies TLS: without the test CA the gateway is refused as tls, naming the host', async () => {
    const client = makeClient({ ca: undefined });
    await assert.rejects(
      client.signIn(),
      isNoonError('tls', (e) => {
        assert.equal(e.host, '127.0.0.1');
        assert.match(e.message, /127\.0\.0\.1/);
        assert.match(e.message, /authority|self-signed/);
      }),
    );
    assert.equal(gateway.stats().requests.length, 0);
  });

  it('accepts an untrusted certificate only when strictSSL is off', async () => {
    const client = makeClient({ ca: undefined, strictSSL: false });
    const { identity } = await client.signIn();
    assert.equal(identity.userCode, generated.account.userCode);
  });

  it('never writes the token, key or cookie values to the log', async () => {
    const lines: string[] = [];
    const record = (line: string): void => void lines.push(line);
    const client = makeClient({ log: { trace: record, debug: record, info: record, warn: record, error: record } });
    await client.signIn();
    await client.send({ method: 'GET', path: WHOAMI });

    const login = requestsTo(LOGIN)[0];
    const token = String((JSON.parse(login.body) as { token: string }).token);
    const cookieValues = String(requestsTo(WHOAMI)[0].headers.cookie)
      .split(';')
      .map((pair) => pair.split('=')[1]);
    const text = lines.join('\n');
    assert.ok(lines.length > 4, 'the exchanges were logged');
    assert.ok(text.includes('/identity/v1/whoami'));
    for (const secret of [token, ...cookieValues, key.privateKeyPem.split('\n')[1]]) {
      assert.ok(secret.length > 8);
      assert.ok(!text.includes(secret), 'a secret reached the log');
    }
  });
});
