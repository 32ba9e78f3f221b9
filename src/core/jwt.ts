import { createHash, randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import type { NoonKey } from './types';

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

/** Imported keys are few (one per account); a small bound keeps a long-running window from growing without limit. */
const MAX_CACHED_KEYS = 8;

/**
 * Imported signing keys, looked up by a digest of key id + PEM so the map never holds a second copy of the
 * key text in its keys. Values are promises so concurrent logins share one import.
 */
const importedKeys = new Map<string, Promise<SigningKey>>();

function cacheId(key: NoonKey): string {
  return createHash('sha256').update(key.keyId).update('\0').update(key.privateKeyPem).digest('base64url');
}

function signingKeyFor(key: NoonKey): Promise<SigningKey> {
  const id = cacheId(key);
  const cached = importedKeys.get(id);
  if (cached) {
    // Re-insert so the most recently used key is evicted last.
    importedKeys.delete(id);
    importedKeys.set(id, cached);
    return cached;
  }

  const imported = importPKCS8(key.privateKeyPem, 'RS256');
  // A failed import must not poison the cache: the next attempt should try again.
  imported.catch(() => {
    if (importedKeys.get(id) === imported) importedKeys.delete(id);
  });
  importedKeys.set(id, imported);
  if (importedKeys.size > MAX_CACHED_KEYS) {
    const oldest = importedKeys.keys().next().value;
    if (oldest !== undefined) importedKeys.delete(oldest);
  }
  return imported;
}

/**
 * Sign the login token: RS256, header `{alg:'RS256', typ:'JWT'}`, claims exactly `sub`/`iat`/`jti`.
 *
 * The gateway documents only these three claims and some deployments reject tokens carrying others
 * (`exp`, `iss`), so nothing else is added.
 *
 * @param key a validated key (PKCS#8 PEM), as returned by `parseKeyFile`
 * @param nowMs the current time in milliseconds; `iat` is its whole seconds
 * @returns the compact JWS
 */
export async function signLoginToken(key: NoonKey, nowMs: number = Date.now()): Promise<string> {
  const signingKey = await signingKeyFor(key);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setSubject(key.keyId)
    .setIssuedAt(Math.floor(nowMs / 1000))
    .setJti(randomUUID())
    .sign(signingKey);
}
