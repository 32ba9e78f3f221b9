import * as fs from 'fs';

const systemBundle = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Environment that makes a VS Code server trust `caPem` on top of the system CAs, with certificate
 * checks left on. NODE_EXTRA_CA_CERTS is not enough: the extension host's proxy agent builds its TLS
 * contexts from the system store, so Node is told to use OpenSSL's store and that store is pointed at
 * a bundle holding the system CAs plus the test CA. No VS Code setting has to change for it.
 */
export function trustCaEnv(caPem: string, bundleFile: string): Record<string, string> {
  const system = fs.existsSync(systemBundle) ? fs.readFileSync(systemBundle, 'utf8') : '';
  fs.writeFileSync(bundleFile, `${system.trimEnd()}\n${caPem.trim()}\n`);
  return { NODE_OPTIONS: '--use-openssl-ca', SSL_CERT_FILE: bundleFile };
}
