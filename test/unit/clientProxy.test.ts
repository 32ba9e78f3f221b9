import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy, type ProxyServer } from 'proxy';
import { NoonError } from '../../src/core/errors';
import { parseKeyFile } from '../../src/core/keyFile';
import type { NoonKey } from '../../src/core/types';
import { startGateway, type Gateway } from '../gateway/gateway';
import { clientsFor } from './clientFixture';
import { generateTestKey } from '../gateway/keys';

const WHOAMI = '/identity/v1/whoami';

interface CountingProxy {
  url: URL;
  server: ProxyServer;
  /** Targets of CONNECT tunnels, as host:port. */
  tunnels: string[];
  /** Absolute URLs of plain forwarded requests. */
  forwarded: string[];
  close(): Promise<void>;
}

async function startProxy(): Promise<CountingProxy> {
  const server = createProxy(http.createServer());
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  server.prependListener('connect', (req: http.IncomingMessage) => void tunnels.push(req.url ?? ''));
  server.prependListener('request', (req: http.IncomingMessage) => void forwarded.push(req.url ?? ''));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    server,
    tunnels,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('NoonClient through an HTTP proxy', () => {
  let gateway: Gateway;
  let plainGateway: Gateway;
  let proxy: CountingProxy;
  let key: NoonKey;

  before(async () => {
    gateway = await startGateway();
    plainGateway = await startGateway({ tls: false });
    proxy = await startProxy();
    const generated = generateTestKey();
    gateway.register(generated.account);
    plainGateway.register(generated.account);
    key = await parseKeyFile(generated.keyFileJson);
  });

  after(async () => {
    await Promise.all([gateway.close(), plainGateway.close(), proxy.close()]);
  });

  beforeEach(() => {
    gateway.reset();
    plainGateway.reset();
    proxy.tunnels.length = 0;
    proxy.forwarded.length = 0;
    delete proxy.server.authenticate;
  });

  const makeClient = clientsFor(() => ({
    gatewayUrl: gateway.url,
    userAgent: 'ua-proxy/1',
    key,
    ca: gateway.caPem,
    proxyUrl: proxy.url,
  }));

  it('tunnels HTTPS through CONNECT and still replays the session cookie', async () => {
    const client = makeClient();
    await client.signIn();
    const response = await client.send({ method: 'GET', path: WHOAMI });

    assert.equal(response.status, 200);
    const gatewayHost = new URL(gateway.url).host;
    assert.ok(proxy.tunnels.length >= 1, 'the proxy saw a CONNECT');
    assert.ok(
      proxy.tunnels.every((target) => target === gatewayHost),
      proxy.tunnels.join(','),
    );
    assert.equal(gateway.stats().logins, 1);
    const whoamis = gateway.stats().requests.filter((r) => r.path === WHOAMI);
    assert.equal(whoamis.length, 2);
    for (const request of whoamis) assert.ok(String(request.headers.cookie).includes('_npsid='));
  });

  it('still verifies the gateway certificate inside the tunnel', async () => {
    const client = makeClient({ ca: undefined });
    await assert.rejects(client.signIn(), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.equal(error.kind, 'tls');
      assert.equal(error.host, '127.0.0.1');
      assert.match(error.hint, /proxy/i);
      return true;
    });
    assert.ok(proxy.tunnels.length >= 1);
    assert.equal(gateway.stats().requests.length, 0);
  });

  it('skips verification inside the tunnel only when strictSSL is off', async () => {
    const client = makeClient({ ca: undefined, strictSSL: false });
    await client.signIn();
    assert.equal(gateway.stats().logins, 1);
  });

  it('forwards plain HTTP gateways through the proxy with cookies', async () => {
    const client = makeClient({ gatewayUrl: plainGateway.url, ca: undefined });
    await client.signIn();
    await client.send({ method: 'GET', path: WHOAMI });

    assert.equal(proxy.tunnels.length, 0);
    assert.ok(proxy.forwarded.includes(`${plainGateway.url}${WHOAMI}`), proxy.forwarded.join(','));
    const whoamis = plainGateway.stats().requests.filter((r) => r.path === WHOAMI);
    assert.equal(whoamis.length, 2);
    for (const request of whoamis) assert.ok(String(request.headers.cookie).includes('_npsid='));
  });

  it('reports a proxy that refuses the tunnel as a proxy error, not as a gateway answer', async () => {
    proxy.server.authenticate = () => false;
    const client = makeClient();
    await assert.rejects(client.signIn(), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.equal(error.kind, 'proxy');
      assert.equal(error.status, 407);
      assert.match(error.hint, /http\.proxy/);
      return true;
    });
    assert.equal(gateway.stats().requests.length, 0);
  });

  it('reports an unreachable proxy as a proxy error', async () => {
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const { port } = spare.address() as AddressInfo;
    await new Promise<void>((resolve) => spare.close(() => resolve()));

    const client = makeClient({ proxyUrl: new URL(`http://127.0.0.1:${port}`) });
    await assert.rejects(client.signIn(), (error: unknown) => {
      assert.ok(error instanceof NoonError);
      assert.equal(error.kind, 'proxy');
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    });
  });
});
