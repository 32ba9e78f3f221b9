import * as assert from 'node:assert/strict';
import { NoonError } from '../../src/core/errors';
import { isExempt, resolveProxy } from '../../src/core/proxy';

const HTTPS_TARGET = new URL('https://noon-api-gateway.noon.partners/identity/v1/whoami');
const HTTP_TARGET = new URL('http://gateway.local:8080/x');

function proxyFor(target: URL, env: NodeJS.ProcessEnv, proxySetting?: string): string | undefined {
  return resolveProxy(target, { env, proxySetting })?.href;
}

describe('resolveProxy', () => {
  it('connects directly when nothing is configured', () => {
    assert.equal(proxyFor(HTTPS_TARGET, {}), undefined);
    assert.equal(proxyFor(HTTPS_TARGET, { HTTPS_PROXY: '' }, '  '), undefined);
  });

  it('lets the http.proxy setting win over the environment', () => {
    assert.equal(
      proxyFor(HTTPS_TARGET, { HTTPS_PROXY: 'http://env:1' }, 'http://setting:3128'),
      'http://setting:3128/',
    );
  });

  it('picks the variable for the target scheme, lower case first, then ALL_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'http://plain:3' };
    assert.equal(proxyFor(HTTPS_TARGET, env), 'http://lower:2/');
    assert.equal(proxyFor(HTTPS_TARGET, { HTTPS_PROXY: 'http://upper:1' }), 'http://upper:1/');
    assert.equal(proxyFor(HTTP_TARGET, env), 'http://plain:3/');
    assert.equal(proxyFor(HTTP_TARGET, { HTTPS_PROXY: 'http://upper:1' }), undefined);
    assert.equal(proxyFor(HTTPS_TARGET, { ALL_PROXY: 'http://all:4' }), 'http://all:4/');
    assert.equal(
      proxyFor(HTTPS_TARGET, { all_proxy: 'http://all:5', HTTPS_PROXY: 'http://https:6' }),
      'http://https:6/',
    );
  });

  it('reads a proxy without scheme as http', () => {
    assert.equal(proxyFor(HTTPS_TARGET, { HTTPS_PROXY: 'proxy.corp:3128' }), 'http://proxy.corp:3128/');
  });

  it('refuses unusable proxies with a proxy error', () => {
    for (const value of ['socks5://proxy:1080', 'http://[broken']) {
      assert.throws(
        () => resolveProxy(HTTPS_TARGET, { env: {}, proxySetting: value }),
        (e: unknown) => e instanceof NoonError && e.kind === 'proxy' && /http\.proxy/.test(e.hint),
      );
    }
  });

  it('lets NO_PROXY exempt a target from the setting and the environment', () => {
    const env = { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'noon.partners' };
    assert.equal(proxyFor(HTTPS_TARGET, env), undefined);
    assert.equal(proxyFor(HTTPS_TARGET, env, 'http://setting:2'), undefined);
    assert.equal(proxyFor(HTTPS_TARGET, { HTTPS_PROXY: 'http://env:1', no_proxy: '*' }), undefined);
    assert.equal(
      resolveProxy(HTTPS_TARGET, { env: {}, proxySetting: 'http://p:1', noProxySetting: ['*.noon.partners'] }),
      undefined,
    );
  });
});

describe('isExempt (NO_PROXY)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://api.example.com/', '*', true],
    ['https://example.com/', 'example.com', true],
    ['https://api.example.com/', 'example.com', true],
    ['https://api.example.com/', '.example.com', true],
    ['https://example.com/', '.example.com', true],
    ['https://api.example.com/', '*.example.com', true],
    ['https://notexample.com/', 'example.com', false],
    ['https://example.com.evil.org/', 'example.com', false],
    ['https://API.Example.COM/', 'api.EXAMPLE.com', true],
    ['https://a.test/', 'x.test, a.test', true],
    ['https://a.test/', 'x.test a.test', true],
    ['https://a.test/', ' , ,x.test,', false],
    ['https://a.test/', 'a.test:443', true],
    ['https://a.test:8443/', 'a.test:443', false],
    ['http://a.test/', 'a.test:80', true],
    ['https://10.1.2.3/', '10.1.2.3', true],
    ['https://10.1.2.3/', '10.1.2.4', false],
    ['https://10.1.2.3/', '10.0.0.0/8', true],
    ['https://11.1.2.3/', '10.0.0.0/8', false],
    ['https://10.1.2.3/', '10.0.0.0/', false],
    ['https://[::1]:8443/', '::1', true],
    ['https://[::1]:8443/', '[::1]:8443', true],
    ['https://[::1]:8443/', '[::1]:9000', false],
    ['https://[fd00::5]/', 'fd00::/8', true],
    ['https://127.0.0.1/', 'localhost', false],
    ['https://1.2.3.4/', '3.4', false],
  ];
  for (const [target, noProxy, expected] of cases) {
    it(`${expected ? 'exempts' : 'does not exempt'} ${target} for "${noProxy}"`, () => {
      assert.equal(isExempt(new URL(target), noProxy), expected);
    });
  }
});
