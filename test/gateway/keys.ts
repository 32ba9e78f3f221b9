import { generateKeyPairSync, randomInt, randomUUID } from 'node:crypto';
import type { TestAccount } from './gateway';

export interface GeneratedTestKey {
  /** The key file exactly as the partner portal would download it (pretty-printed JSON). */
  keyFileJson: string;
  /** The matching account to register with the gateway. */
  account: TestAccount;
  privateKeyPem: string;
}

/**
 * Makes a throwaway RSA key and the portal-shaped key file for it: all six fields, PKCS#8 PEM whose
 * newlines become `\n` escapes inside the JSON. Nothing here is ever valid anywhere but a test gateway.
 */
export function generateTestKey(opts: { bits?: number; keyId?: string; projectCode?: string } = {}): GeneratedTestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: opts.bits ?? 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyId = opts.keyId ?? randomUUID();
  const partnerNumber = String(randomInt(100000, 1000000));
  const projectCode = opts.projectCode ?? `PRJ${partnerNumber}`;
  const username = `svc-${keyId.slice(0, 8)}@p${partnerNumber}.idp.noon.partners`;

  const keyFile = {
    key_id: keyId,
    private_key: privateKeyPem,
    channel_identifier: username,
    project_code: projectCode,
    type: 'apijwt',
    issued_at: new Date().toISOString(),
  };
  return {
    keyFileJson: `${JSON.stringify(keyFile, null, 2)}\n`,
    account: {
      keyId,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      projectCode,
      username,
      userCode: `u-${partnerNumber}-${keyId.slice(0, 4)}`,
    },
    privateKeyPem,
  };
}
