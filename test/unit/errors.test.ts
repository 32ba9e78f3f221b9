import * as assert from 'node:assert/strict';
import { AxiosError } from 'axios';
import {
  clockSkew,
  explainHttpFailure,
  explainTransportError,
  NoonError,
  parseRpcStatus,
  plainServerText,
  type HttpFailure,
} from '../../src/core/errors';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

function rpc(message: string, code = 'UNAUTHENTICATED', id = 16): string {
  return JSON.stringify({ status_id: id, status_code: code, message, details: [] });
}

function failure(extra: Partial<HttpFailure>): NoonError {
  return explainHttpFailure({ phase: 'sign-in', status: 401, body: '', host: 'gw.test', nowMs: NOW, ...extra });
}

function systemError(code: string, message = code, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('parseRpcStatus', () => {
  it('reads the rpcStatus shape', () => {
    assert.deepEqual(parseRpcStatus(rpc('key is deactivated')), {
      statusId: 16,
      statusCode: 'UNAUTHENTICATED',
      message: 'key is deactivated',
      details: [],
    });
  });

  it('reads the {error: {code, message}} shape', () => {
    assert.deepEqual(parseRpcStatus('{"error":{"code":"INVALID","message":"bad sku","fields":[]}}'), {
      statusCode: 'INVALID',
      message: 'bad sku',
    });
    assert.deepEqual(parseRpcStatus('{"error":{"code":400}}'), { statusCode: '400', message: undefined });
  });

  it('returns undefined for anything else', () => {
    for (const body of ['', 'not json', '[]', 'null', '42', '{"ok":true}', '{"error":"x"}', '{"message":5}']) {
      assert.equal(parseRpcStatus(body), undefined, body);
    }
  });
});

describe('plainServerText', () => {
  it('flattens control and direction characters into spaces', () => {
    assert.equal(plainServerText('a\r\nb\t\u202ec\u0000d'), 'a b c d');
  });

  it('shortens long messages to about 200 characters', () => {
    const text = plainServerText('x'.repeat(1000));
    assert.equal(Array.from(text).length, 201);
    assert.ok(text.endsWith('…'));
  });

  it('masks the secrets it is given', () => {
    assert.equal(plainServerText('bad token eyJabc.def.ghi here', ['eyJabc.def.ghi']), 'bad token •••••• here');
  });
});

describe('explainHttpFailure', () => {
  it('explains a deactivated key, naming the server message', () => {
    const error = failure({ body: rpc('key is deactivated') });
    assert.equal(error.kind, 'key-rejected');
    assert.equal(error.status, 401);
    assert.equal(error.statusCode, 'UNAUTHENTICATED');
    assert.equal(error.serverMessage, 'key is deactivated');
    assert.match(error.message, /“key is deactivated”/);
    assert.match(error.hint, /partner portal/);
  });

  it('explains an IP not on the whitelist', () => {
    const error = failure({ status: 403, body: rpc('ip 1.2.3.4 is not whitelisted', 'PERMISSION_DENIED', 7) });
    assert.equal(error.kind, 'forbidden');
    assert.match(error.hint, /IP whitelist/);
  });

  it('explains a project the key may not use', () => {
    const error = failure({ status: 403, body: rpc('project not allowed', 'PERMISSION_DENIED', 7) });
    assert.equal(error.kind, 'forbidden');
    assert.match(error.message, /project/);
    assert.match(error.hint, /project_code/);
  });

  it('explains a missing User-Agent', () => {
    const error = failure({ status: 400, body: rpc('missing User-Agent header', 'INVALID_ARGUMENT', 3) });
    assert.equal(error.kind, 'missing-user-agent');
    assert.match(error.hint, /noon\.userAgent/);
  });

  it('blames the clock when the Date header is more than a minute off, in either direction', () => {
    const ahead = failure({ body: rpc('token rejected'), date: new Date(NOW - 7 * 60_000).toUTCString() });
    assert.equal(ahead.kind, 'clock-skew');
    assert.equal(ahead.skewSeconds, 420);
    assert.match(ahead.message, /7 minutes ahead of/);
    assert.match(ahead.hint, /clock/);

    const behind = failure({ body: rpc('token rejected'), date: new Date(NOW + 90_000).toUTCString() });
    assert.equal(behind.kind, 'clock-skew');
    assert.equal(behind.skewSeconds, -90);
    assert.match(behind.message, /2 minutes behind/);
  });

  it('blames the clock when the gateway says so, even without a Date header', () => {
    const error = failure({ body: rpc('iat is 600 s ahead of the server clock') });
    assert.equal(error.kind, 'clock-skew');
    assert.equal(error.skewSeconds, undefined);
    assert.match(error.message, /iat is 600 s ahead/);
  });

  it('does not blame the clock within a minute, or for calls other than sign-in', () => {
    assert.equal(failure({ body: rpc('x'), date: new Date(NOW - 59_000).toUTCString() }).kind, 'key-rejected');
    const later = failure({ phase: 'request', body: rpc('x'), date: new Date(NOW - 600_000).toUTCString() });
    assert.equal(later.kind, 'unauthenticated');
  });

  it('reports rate limits with or without a wait', () => {
    const known = failure({ status: 429, retryAfterSeconds: 120 });
    assert.equal(known.kind, 'rate-limited');
    assert.equal(known.retryAfterSeconds, 120);
    assert.match(known.message, /2 minutes/);
    const unknown = failure({ status: 429 });
    assert.equal(unknown.retryAfterSeconds, undefined);
    assert.match(unknown.message, /without saying/);
  });

  it('sorts the remaining statuses', () => {
    assert.equal(failure({ status: 503 }).kind, 'server');
    assert.equal(failure({ status: 400, body: rpc('token is required', 'INVALID_ARGUMENT', 3) }).kind, 'bad-request');
    assert.equal(failure({ status: 404 }).kind, 'bad-response');
    assert.equal(failure({ phase: 'whoami', status: 403 }).kind, 'forbidden');
  });

  it('never echoes the token or the body at large', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJrIn0.c2lnbmF0dXJl';
    const error = failure({
      body: JSON.stringify({
        status_code: 'UNAUTHENTICATED',
        message: `bad token ${token}`,
        details: [{ raw: 'SECRET-DETAIL' }],
      }),
      secrets: [token],
    });
    assert.ok(!error.message.includes(token));
    assert.ok(!error.message.includes('SECRET-DETAIL'));
    assert.ok(!String(error.serverMessage).includes(token));
  });
});

describe('clockSkew', () => {
  it('compares the local clock with an HTTP date', () => {
    assert.equal(clockSkew(new Date(NOW - 5000).toUTCString(), NOW), 5);
    assert.equal(clockSkew(undefined, NOW), undefined);
    assert.equal(clockSkew('yesterday', NOW), undefined);
  });
});

describe('explainTransportError', () => {
  const ctx = { host: 'gw.test' };

  it('maps name resolution failures to dns, naming the host', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const error = explainTransportError(systemError(code, `getaddrinfo ${code} gw.test`), ctx);
      assert.equal(error.kind, 'dns');
      assert.equal(error.host, 'gw.test');
      assert.match(error.message, /gw\.test/);
      assert.match(error.hint, /noon\.gateway/);
    }
  });

  it('maps refused, reset, timeouts and cancellation', () => {
    assert.equal(explainTransportError(systemError('ECONNREFUSED'), ctx).kind, 'refused');
    assert.equal(explainTransportError(systemError('ECONNRESET'), ctx).kind, 'network');
    assert.equal(explainTransportError(new Error('socket hang up'), ctx).kind, 'network');
    assert.equal(explainTransportError(systemError('ETIMEDOUT'), ctx).kind, 'timeout');
    assert.equal(explainTransportError(systemError('ECONNABORTED', 'timeout of 10ms exceeded'), ctx).kind, 'timeout');
    assert.equal(explainTransportError(systemError('ERR_CANCELED', 'canceled'), ctx).kind, 'cancelled');
    assert.equal(explainTransportError(new Error('x'), { ...ctx, timedOut: true, timeoutMs: 30_000 }).kind, 'timeout');
    assert.equal(explainTransportError(new Error('x'), { ...ctx, cancelled: true }).kind, 'cancelled');
    assert.match(explainTransportError(systemError('ETIMEDOUT'), ctx).hint, /noon\.requestTimeout/);
  });

  it('finds the code on an axios error or its cause', () => {
    const wrapped = new AxiosError('boom', undefined, undefined, undefined, undefined);
    (wrapped as { cause?: unknown }).cause = systemError('ENOTFOUND');
    assert.equal(explainTransportError(wrapped, ctx).kind, 'dns');
    assert.equal(explainTransportError(AxiosError.from(systemError('ECONNREFUSED')), ctx).kind, 'refused');
  });

  it('maps certificate failures to tls with the reason and the host', () => {
    const reasons: Record<string, RegExp> = {
      CERT_HAS_EXPIRED: /expired/,
      DEPTH_ZERO_SELF_SIGNED_CERT: /self-signed/,
      SELF_SIGNED_CERT_IN_CHAIN: /self-signed/,
      UNABLE_TO_VERIFY_LEAF_SIGNATURE: /authority/,
      ERR_TLS_CERT_ALTNAME_INVALID: /different host name/,
      ERR_SSL_WRONG_VERSION_NUMBER: /secure connection/,
    };
    for (const [code, reason] of Object.entries(reasons)) {
      const error = explainTransportError(systemError(code), ctx);
      assert.equal(error.kind, 'tls', code);
      assert.equal(error.host, 'gw.test');
      assert.match(error.message, /gw\.test/);
      assert.match(error.message, reason, code);
      assert.doesNotMatch(error.hint, /proxyStrictSSL/);
    }
    const viaProxy = explainTransportError(systemError('SELF_SIGNED_CERT_IN_CHAIN'), {
      ...ctx,
      proxy: new URL('http://proxy.corp:3128'),
    });
    assert.equal(viaProxy.kind, 'tls');
    assert.match(viaProxy.hint, /http\.proxyStrictSSL/);
  });

  it('blames the proxy for connection failures when one is in use', () => {
    const proxy = new URL('http://proxy.corp:3128');
    for (const code of ['ENOTFOUND', 'ECONNREFUSED']) {
      const error = explainTransportError(systemError(code), { ...ctx, proxy });
      assert.equal(error.kind, 'proxy');
      assert.equal(error.host, 'proxy.corp');
      assert.match(error.message, /proxy\.corp:3128/);
      assert.match(error.hint, /http\.proxy/);
    }
    const auth = explainTransportError(new Error('Proxy authentication failed with status 407 after retry'), {
      ...ctx,
      proxy,
    });
    assert.equal(auth.kind, 'proxy');
  });

  it('passes a NoonError through unchanged', () => {
    const original = new NoonError('bad-request', 'no');
    assert.equal(explainTransportError(original, ctx), original);
  });
});
