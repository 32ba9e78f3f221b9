import { strict as assert } from 'node:assert';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { signLoginToken } from '../../src/core/jwt';
import type { NoonKey } from '../../src/core/types';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('signLoginToken', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key: NoonKey = {
    keyId: 'key-under-test',
    privateKeyPem: String(pair.privateKey.export({ type: 'pkcs8', format: 'pem' })),
    projectCode: 'PRJ123456',
  };

  it('signs RS256 with exactly sub, iat and jti, verifiable with the public key', async () => {
    const nowMs = 1_780_000_123_987;
    const token = await signLoginToken(key, nowMs);

    const { payload, protectedHeader } = await jwtVerify(token, pair.publicKey, {
      algorithms: ['RS256'],
      currentDate: new Date(nowMs),
    });
    assert.deepEqual(protectedHeader, { alg: 'RS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(payload).sort(), ['iat', 'jti', 'sub']);
    assert.equal(payload.sub, 'key-under-test');
    assert.equal(payload.iat, 1_780_000_123);
    assert.ok(Number.isInteger(payload.iat));
    assert.match(String(payload.jti), UUID_V4);
  });

  it('keeps the header to alg and typ only (no kid)', async () => {
    const header = decodeProtectedHeader(await signLoginToken(key));
    assert.deepEqual(Object.keys(header).sort(), ['alg', 'typ']);
  });

  it('uses the current time when none is given', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { payload } = await jwtVerify(await signLoginToken(key), pair.publicKey);
    const after = Math.floor(Date.now() / 1000);
    assert.ok(payload.iat !== undefined && payload.iat >= before && payload.iat <= after);
  });

  it('gives every token a fresh jti', async () => {
    const tokens = await Promise.all([1, 2, 3, 4].map(() => signLoginToken(key, 1_780_000_000_000)));
    const ids = new Set<unknown>();
    for (const token of tokens)
      ids.add((await jwtVerify(token, pair.publicKey, { currentDate: new Date(0) })).payload.jti);
    assert.equal(ids.size, tokens.length);
  });

  it('signs with the key it is given, not a cached one from another account', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey: NoonKey = {
      keyId: 'key-under-test',
      privateKeyPem: String(other.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      projectCode: 'PRJ123456',
    };
    await signLoginToken(key);
    const token = await signLoginToken(otherKey);

    await jwtVerify(token, createPublicKey(otherKey.privateKeyPem));
    await assert.rejects(jwtVerify(token, pair.publicKey), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('rejects a key that is not PKCS#8, without putting the key in the error', async () => {
    const pkcs1 = String(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const err = await signLoginToken({ ...key, privateKeyPem: pkcs1 }).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    const body = pkcs1.split('\n')[1];
    assert.ok(!String(err).includes(body));
    assert.ok(!String((err as Error).stack).includes(body));
  });
});
