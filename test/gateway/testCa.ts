import { generate } from 'selfsigned';

/** PEM material for one gateway run. */
export interface TestTlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * Makes a throwaway CA and a server certificate it signs for 127.0.0.1, localhost and ::1.
 * A real CA (rather than one self-signed leaf) lets clients verify exactly as they would against
 * Noon: trust the CA, then check the host name. EC P-256 keeps start-up fast.
 */
export async function createTestCa(): Promise<TestTlsMaterial> {
  // Back-dated an hour so a client clock slightly behind ours still accepts the certificates.
  const notBeforeDate = new Date(Date.now() - 3600_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600_000);
  const ca = await generate([{ name: 'commonName', value: 'Noon test gateway CA (throwaway)' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
