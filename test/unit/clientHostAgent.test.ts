import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import { NoonClient } from '../../src/core/client';
import { parseKeyFile } from '../../src/core/keyFile';
import { SessionJar } from '../../src/core/session';
import { silentLog, type NoonKey } from '../../src/core/types';
import { startGateway, type Gateway } from '../gateway/gateway';
import { generateTestKey } from '../gateway/keys';

const WHOAMI = '/identity/v1/whoami';

/** The CommonJS module object, the one a host such as VS Code's extension host patches in place. */
const httpsModule = createRequire(__filename)('node:https') as typeof https;

/**
 * Makes https.request ignore the agent it is given and use a fresh one, as VS Code's proxy support does for most
 * hosts when `http.proxySupport` is `override`. Returns the function that undoes it.
 */
function replaceAgents(seen: Array<https.RequestOptions>): () => void {
  const original = httpsModule.request;
  httpsModule.request = ((options: https.RequestOptions, callback?: (res: unknown) => void) => {
    seen.push(options);
    const swapped = { ...options, agent: new https.Agent() };
    return (original as (o: https.RequestOptions, c?: (res: unknown) => void) => unknown)(swapped, callback);
  }) as typeof https.request;
  return () => {
    httpsModule.request = original;
  };
}

describe('NoonClient when the host replaces its agents', () => {
  let gateway: Gateway;
  let key: NoonKey;
  let restore: (() => void) | undefined;
  let client: NoonClient | undefined;

  before(async () => {
    gateway = await startGateway();
    const generated = generateTestKey();
    gateway.register(generated.account);
    key = await parseKeyFile(generated.keyFileJson);
  });

  after(async () => {
    await gateway.close();
  });

  afterEach(() => {
    restore?.();
    restore = undefined;
    client?.dispose();
    client = undefined;
    gateway.reset();
  });

  it('still replays the session cookie and keeps its TLS options on each request', async () => {
    const seen: https.RequestOptions[] = [];
    restore = replaceAgents(seen);
    client = new NoonClient({ gatewayUrl: gateway.url, userAgent: 'ua/1', key, ca: gateway.caPem });

    await client.signIn();
    const second = await client.send({ method: 'GET', path: WHOAMI });

    assert.equal(second.status, 200);
    assert.ok(seen.length >= 3, 'the requests went through the replaced https.request');
    assert.ok(seen.every((options) => options.ca === gateway.caPem && options.rejectUnauthorized === true));
    const whoamis = gateway.stats().requests.filter((r) => r.path === WHOAMI);
    assert.equal(whoamis.length, 2);
    for (const request of whoamis) assert.match(String(request.headers.cookie), /_npsid=/);
    assert.equal(gateway.stats().logins, 1);
  });

  it('an untrusted certificate still fails when the agent is replaced', async () => {
    restore = replaceAgents([]);
    // No CA: the gateway's throwaway CA is not trusted, and the replaced agent must not make that pass.
    client = new NoonClient({ gatewayUrl: gateway.url, userAgent: 'ua/1', key });
    await assert.rejects(client.signIn(), (e: Error & { kind?: string }) => e.kind === 'tls');
  });
});

describe('SessionJar cookies', () => {
  const url = 'https://gw.example.com/identity/v1/whoami';

  it('keeps only cookies the gateway may set, and an expired one removes the stored cookie', () => {
    const jar = new SessionJar(new URL('https://gw.example.com'), undefined, silentLog);
    jar.store(['a=1; Path=/', 'foreign=2; Domain=other.example; Path=/', 'wide=3; Domain=com; Path=/'], url);
    assert.equal(jar.cookieHeader(url), 'a=1');
    jar.store(['a=; Path=/; Max-Age=0'], url);
    assert.equal(jar.cookieHeader(url), undefined);
    assert.equal(jar.hasSession(), false);
  });

  it('a Cookie header the user wrote replaces a stored cookie of the same name and adds the others', () => {
    const jar = new SessionJar(new URL('https://gw.example.com'), undefined, silentLog);
    jar.store(['a=1; Path=/', 'b=2; Path=/'], url);
    assert.equal(jar.cookieHeader(url, 'b=user; c=3'), 'a=1; b=user; c=3');
    assert.equal(jar.cookieHeader('https://elsewhere.example/', 'c=3'), 'c=3');
  });
});
