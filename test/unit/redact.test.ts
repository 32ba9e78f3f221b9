import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { MASK, redactHeaders, redactHeaderValue, redactText, redactUrl } from '../../src/core/redact';
import type { HeaderList } from '../../src/core/types';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJraWQtMSIsImlhdCI6MTc4MDAwMDAwMCwianRpIjoiYWJjIn0.' +
  'c2lnbmF0dXJlLWJ5dGVzLWdvLWhlcmUtYW5kLWFyZS1sb25n';

describe('redactHeaderValue', () => {
  it('masks every cookie value and keeps the names', () => {
    assert.equal(
      redactHeaderValue('Cookie', '_npsid=s3cr3t-session; _nprtnetid=abc123'),
      `_npsid=${MASK}; _nprtnetid=${MASK}`,
    );
  });

  it('matches header names case-insensitively', () => {
    for (const name of ['cookie', 'COOKIE', 'CoOkIe', ' cookie ']) {
      assert.equal(redactHeaderValue(name, 'a=1'), `a=${MASK}`);
    }
    assert.equal(redactHeaderValue('AUTHORIZATION', 'Bearer abc.def'), `Bearer ${MASK}`);
    assert.equal(redactHeaderValue('X-Api-Key', 'k-123'), MASK);
  });

  it('keeps empty cookie values and spacing, masks a cookie without a name', () => {
    assert.equal(redactHeaderValue('cookie', 'a=; b=2;c'), `a=; b=${MASK};${MASK}`);
    assert.equal(redactHeaderValue('cookie', ''), '');
    assert.equal(redactHeaderValue('cookie', 'a="quoted value"'), `a=${MASK}`);
    assert.equal(redactHeaderValue('cookie', 'a=x=y'), `a=${MASK}`);
  });

  it('masks only the value of a Set-Cookie and keeps its attributes', () => {
    assert.equal(
      redactHeaderValue('set-cookie', '_npsid=abcdef; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax'),
      `_npsid=${MASK}; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax`,
    );
    assert.equal(redactHeaderValue('Set-Cookie', '_npsid=; Max-Age=0'), '_npsid=; Max-Age=0');
  });

  it('masks each cookie of a comma-folded Set-Cookie, keeping Expires dates whole', () => {
    const folded = '_npsid=aaa; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/, _nprtnetid=bbb; HttpOnly';
    assert.equal(
      redactHeaderValue('set-cookie', folded),
      `_npsid=${MASK}; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/, _nprtnetid=${MASK}; HttpOnly`,
    );
  });

  it('keeps the authorization scheme and masks the credentials', () => {
    assert.equal(redactHeaderValue('authorization', `Bearer ${JWT}`), `Bearer ${MASK}`);
    assert.equal(redactHeaderValue('Proxy-Authorization', 'Basic dXNlcjpwYXNz'), `Basic ${MASK}`);
    assert.equal(redactHeaderValue('authorization', 'rawtokenwithoutscheme'), MASK);
    assert.equal(redactHeaderValue('authorization', 'Digest username="u", response="abc"'), `Digest ${MASK}`);
    assert.equal(redactHeaderValue('authorization', ''), '');
  });

  it('masks x-api-key and x-auth-token entirely', () => {
    assert.equal(redactHeaderValue('x-api-key', 'Key with spaces'), MASK);
    assert.equal(redactHeaderValue('X-Auth-Token', 'tok'), MASK);
  });

  it('leaves other headers untouched', () => {
    for (const [name, value] of [
      ['content-type', 'application/json'],
      ['x-project', 'PRJ1'],
      ['user-agent', 'NoonForVSCode/0.1.0'],
      ['cookie2', 'a=1'],
      ['x-cookie-note', 'a=1'],
    ]) {
      assert.equal(redactHeaderValue(name, value), value);
    }
  });
});

describe('redactHeaders', () => {
  it('returns a masked copy in the same order, including repeated headers', () => {
    const headers: HeaderList = [
      ['content-type', 'application/json'],
      ['set-cookie', '_npsid=one; Path=/'],
      ['set-cookie', '_nprtnetid=two; Path=/'],
      ['Cookie', 'a=1; b=2'],
      ['authorization', 'Bearer xyz'],
      ['x-project', 'PRJ1'],
    ];
    const before = JSON.stringify(headers);
    const masked = redactHeaders(headers);

    assert.deepEqual(masked, [
      ['content-type', 'application/json'],
      ['set-cookie', `_npsid=${MASK}; Path=/`],
      ['set-cookie', `_nprtnetid=${MASK}; Path=/`],
      ['Cookie', `a=${MASK}; b=${MASK}`],
      ['authorization', `Bearer ${MASK}`],
      ['x-project', 'PRJ1'],
    ]);
    assert.equal(JSON.stringify(headers), before, 'the input must not change');
    assert.notEqual(masked[0], headers[0]);
  });

  it('handles an empty list', () => {
    assert.deepEqual(redactHeaders([]), []);
  });
});

describe('redactText', () => {
  it('masks a JWT in a sentence and keeps the punctuation around it', () => {
    assert.equal(redactText(`Signed ${JWT}. Sending it now.`), `Signed ${MASK}. Sending it now.`);
    assert.equal(redactText(`(${JWT})`), `(${MASK})`);
    assert.equal(redactText(`token=${JWT}&x=1`), `token=${MASK}&x=1`);
  });

  it('masks an unsigned JWT and a five-part JWE', () => {
    assert.equal(redactText('t: eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. end'), `t: ${MASK} end`);
    assert.equal(redactText(`jwe ${JWT}.aXZpdg.dGFnZ2c`), `jwe ${MASK}`);
  });

  it('does not mistake dotted words, versions or hosts for tokens', () => {
    const text = 'axios 1.21.1 on noon-api-gateway.noon.partners, file a.b.c, eyJ alone';
    assert.equal(redactText(text), text);
  });

  it('masks the login token field of a JSON body and keeps the rest', () => {
    const body = JSON.stringify({ token: JWT, default_project_code: 'PRJ000001' });
    assert.equal(redactText(body), `{"token":"${MASK}","default_project_code":"PRJ000001"}`);
    assert.equal(redactText('{ "token" : "abc" }'), `{ "token" : "${MASK}" }`);
    assert.equal(redactText('{"token":""}'), '{"token":""}');
  });

  it('masks token-like JSON fields by name and leaves ordinary ones', () => {
    const body = JSON.stringify({
      access_token: 'a1',
      refreshToken: 'r1',
      client_secret: 'c1',
      password: 'p1',
      key_id: 'visible-id',
      project_code: 'PRJ1',
      user_code: 'U1',
    });
    assert.deepEqual(JSON.parse(redactText(body)), {
      access_token: MASK,
      refreshToken: MASK,
      client_secret: MASK,
      password: MASK,
      key_id: 'visible-id',
      project_code: 'PRJ1',
      user_code: 'U1',
    });
  });

  it('masks token fields in JSON that was serialised into another string', () => {
    const outer = JSON.stringify({ body: JSON.stringify({ token: 'inner-secret', keep: 'yes' }) });
    const masked = redactText(outer);
    assert.ok(!masked.includes('inner-secret'));
    assert.deepEqual(JSON.parse(JSON.parse(masked).body), { token: MASK, keep: 'yes' });
  });

  describe('PEM blocks', () => {
    const pem = String(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const bodyLines = pem.trim().split('\n').slice(1, -1);
    const assertNoBody = (text: string): void => {
      for (const line of bodyLines) assert.ok(!text.includes(line.slice(0, 20)), 'a PEM line survived');
    };

    it('masks a PEM block in plain text', () => {
      const masked = redactText(`key:\n${pem}after`);
      assert.equal(masked, `key:\n-----BEGIN PRIVATE KEY-----${MASK}-----END PRIVATE KEY-----\nafter`);
    });

    it('masks a PEM inside JSON with \\n escapes', () => {
      const json = JSON.stringify({ key_id: 'kid-1', private_key: pem });
      assert.ok(json.includes('\\n'));
      const masked = redactText(json);
      assertNoBody(masked);
      assert.deepEqual(Object.keys(JSON.parse(masked)), ['key_id', 'private_key']);
      assert.equal(JSON.parse(masked).key_id, 'kid-1');
    });

    it('masks a PEM with CRLF line breaks, and one on a single line', () => {
      assertNoBody(redactText(pem.replace(/\n/g, '\r\n')));
      assertNoBody(redactText(pem.replace(/\n/g, ' ')));
    });

    it('masks a PEM cut off before its END line', () => {
      const cut = pem.slice(0, 900);
      const masked = redactText(`dump: ${cut}`);
      assertNoBody(masked);
      assert.equal(masked, `dump: -----BEGIN PRIVATE KEY-----${MASK}`);
    });

    it('masks several blocks separately', () => {
      const masked = redactText(`${pem}middle\n${pem.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY')}`);
      assert.match(masked, /-----END PRIVATE KEY-----\nmiddle\n-----BEGIN RSA PRIVATE KEY-----/);
      assertNoBody(masked);
    });
  });

  it('masks known secrets wherever they appear, also JSON-escaped or URL-encoded', () => {
    const secret = 'a"secret/with+chars';
    const text = `raw ${secret} json ${JSON.stringify(secret)} url ${encodeURIComponent(secret)}`;
    const masked = redactText(text, [secret]);
    assert.equal(masked, `raw ${MASK} json "${MASK}" url ${MASK}`);
  });

  it('masks the longer of two overlapping known secrets whole', () => {
    assert.equal(redactText('x abcdef-ghijkl y', ['abcdef', 'abcdef-ghijkl']), `x ${MASK} y`);
  });

  it('ignores empty and very short known secrets, and accepts any iterable', () => {
    assert.equal(redactText('a b c', ['', 'a']), 'a b c');
    assert.equal(redactText('the cookie value-123456 here', new Set(['value-123456'])), `the cookie ${MASK} here`);
  });

  it('masks credential header lines in a request dump', () => {
    const dump = [
      'POST /identity/public/v1/api/login HTTP/1.1',
      'User-Agent: NoonForVSCode/0.1.0',
      'Cookie: _npsid=abc; _nprtnetid=def',
      'authorization: Bearer abcdefghijk',
      'X-API-Key: kkkkkk',
      '',
      'set-cookie: _npsid=zzz; Path=/; HttpOnly',
    ].join('\r\n');
    assert.equal(
      redactText(dump),
      [
        'POST /identity/public/v1/api/login HTTP/1.1',
        'User-Agent: NoonForVSCode/0.1.0',
        `Cookie: _npsid=${MASK}; _nprtnetid=${MASK}`,
        `authorization: Bearer ${MASK}`,
        `X-API-Key: ${MASK}`,
        '',
        `set-cookie: _npsid=${MASK}; Path=/; HttpOnly`,
      ].join('\r\n'),
    );
  });

  it('masks cookie and authorization values given as JSON fields', () => {
    const text = JSON.stringify({ cookie: '_npsid=abc; x=1', Authorization: 'Bearer qqqqqqqqqq' });
    assert.equal(redactText(text), `{"cookie":"_npsid=${MASK}; x=${MASK}","Authorization":"Bearer ${MASK}"}`);
  });

  it('masks a bearer token mentioned in prose', () => {
    assert.equal(redactText('sent Bearer abcdefgh12345678 upstream'), `sent Bearer ${MASK} upstream`);
  });

  it('masks token-like parameters and passwords in URLs inside text', () => {
    const text = 'GET https://user:pw@127.0.0.1:8443/v1/x?page=2&access_token=zzz&key_id=kid-1 -> 200';
    assert.equal(
      redactText(text),
      `GET https://user:${MASK}@127.0.0.1:8443/v1/x?page=2&access_token=${MASK}&key_id=kid-1 -> 200`,
    );
    assert.equal(redactText('/callback#access_token=abc&state=s1'), `/callback#access_token=${MASK}&state=s1`);
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET /identity/v1/whoami 200 in 43 ms; user_code=U1, project PRJ000001 (x=1)';
    assert.equal(redactText(text), text);
    assert.equal(redactText(''), '');
  });
});

describe('redactUrl', () => {
  it('masks each sensitive query parameter by name', () => {
    for (const name of [
      'token',
      'access_token',
      'jwt',
      'password',
      'secret',
      'key',
      'signature',
      'api_key',
      'apiKey',
      'X-Amz-Signature',
      'x-amz-security-token',
      'client_secret',
      'Token',
    ]) {
      assert.equal(
        redactUrl(`https://127.0.0.1/p?a=1&${name}=val-1&b=2`),
        `https://127.0.0.1/p?a=1&${name}=${MASK}&b=2`,
      );
    }
  });

  it('keeps ordinary parameters, empty values and parameters without a value', () => {
    const url = 'https://127.0.0.1/v1/items?page=2&key_id=kid&token=&flag&project_code=PRJ1';
    assert.equal(redactUrl(url), url);
  });

  it("leaves pagination cursors alone: Noon's next_token is not a credential", () => {
    const url = '/inbound/v1/shipment/list?next_token=eyJwYWdlIjoyfQ&pageToken=abc&page_size=50';
    assert.equal(redactUrl(url), url);
  });

    it('matches percent-encoded parameter names', () => {
    assert.equal(redactUrl('/x?access%5Ftoken=abc'), `/x?access%5Ftoken=${MASK}`);
  });

  it('masks the password in the user info and keeps the user name', () => {
    assert.equal(redactUrl('http://alice:s3cret@127.0.0.1:3128/'), `http://alice:${MASK}@127.0.0.1:3128/`);
    assert.equal(redactUrl('http://alice@127.0.0.1/'), 'http://alice@127.0.0.1/');
  });

  it('masks token parameters in the fragment and keeps a plain fragment', () => {
    assert.equal(
      redactUrl('https://127.0.0.1/cb?state=1#access_token=abc&x=2'),
      `https://127.0.0.1/cb?state=1#access_token=${MASK}&x=2`,
    );
    assert.equal(redactUrl('https://127.0.0.1/doc#section-2'), 'https://127.0.0.1/doc#section-2');
    assert.equal(redactUrl('https://127.0.0.1/doc#token?x'), 'https://127.0.0.1/doc#token?x');
  });

  it('works on relative paths and leaves URLs without secrets unchanged', () => {
    assert.equal(redactUrl('/identity/v1/whoami?jwt=abc'), `/identity/v1/whoami?jwt=${MASK}`);
    for (const url of ['/identity/v1/whoami', 'https://127.0.0.1', 'https://127.0.0.1/?', '']) {
      assert.equal(redactUrl(url), url);
    }
  });
});
