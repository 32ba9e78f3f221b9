import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { GET_A_FRESH_FILE, KeyFileError, type KeyFileProblem } from './keyFileError';

const MIN_RSA_BITS = 2048;

interface PemBlock {
  label: string;
  headers: string;
  body: string;
}

// Chat apps turn dashes typographic and re-wrapping can split the label, so the armour is matched loosely.
const DASHES = '[-\\u2010-\\u2015\\u2212]+';
const PEM_BEGIN = `${DASHES}\\s*BEGIN\\s+([A-Z0-9]+(?:\\s+[A-Z0-9]+)*)\\s*${DASHES}`;
const PEM_END = `${DASHES}\\s*END\\s+[A-Z0-9\\s]*?${DASHES}`;
const PEM_BLOCK = new RegExp(`${PEM_BEGIN}([\\s\\S]*?)${PEM_END}`, 'g');
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads the `private_key` field of a key file into an RSA private key, however the PEM was mangled on the way:
 * literal `\n` escapes, CRLF/CR, typographic dashes, re-wrapped or single-line PEM, or bare base64 DER.
 *
 * @throws KeyFileError (field `private_key`) for a public key or certificate, an encrypted or OpenSSH key,
 *   a key that is not RSA or shorter than 2048 bits, or text that is no key at all
 */
export function loadPrivateKeyPem(raw: string): KeyObject {
  // Backslash never occurs in PEM, so any run of `\n`, `\r\n` or `\r` escapes (however often escaped) is a newline.
  const text = raw
    .replace(/(?:\\+r)?\\+n|\\+r/g, '\n')
    .replace(/\r\n?/g, '\n')
    .trim();

  const blocks = [...text.matchAll(PEM_BLOCK)].map((m): PemBlock => splitHeaders(m[1].replace(/\s+/g, ' '), m[2]));
  const block = blocks.find((b) => b.label.endsWith('PRIVATE KEY')) ?? blocks[0];
  if (block === undefined) return loadUnarmoured(text);

  if (block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4\s*,\s*ENCRYPTED/i.test(block.headers)) {
    throw encrypted();
  }
  if (block.label === 'OPENSSH PRIVATE KEY') {
    throw keyError(
      'not-a-key',
      'The "private_key" field holds an OpenSSH-format key, which cannot be used here. ' +
        `Use the PEM key from the partner portal. ${GET_A_FRESH_FILE}`,
    );
  }
  if (block.label.includes('PUBLIC KEY') || block.label.includes('CERTIFICATE')) throw publicKey(block.label);
  if (!block.label.endsWith('PRIVATE KEY') || !BASE64.test(block.body)) throw notAKey();

  const pem = `-----BEGIN ${block.label}-----\n${wrap64(block.body)}\n-----END ${block.label}-----\n`;
  return checkRsa(importPrivate(() => createPrivateKey({ key: pem, format: 'pem' })));
}

/** Separates RFC 1421 header lines (`Proc-Type: ...`) from the base64 body, and removes all whitespace from it. */
function splitHeaders(label: string, content: string): PemBlock {
  const lines = content.split('\n');
  const headerLines = lines.filter((line) => line.includes(':'));
  const bodyLines = lines.filter((line) => !line.includes(':'));
  // On a single-line PEM the headers and body share one line; the Proc-Type check still sees them.
  return { label, headers: headerLines.join('\n'), body: bodyLines.join('').replace(/\s+/g, '') };
}

/** A key pasted as bare base64 DER (no BEGIN/END lines). */
function loadUnarmoured(text: string): KeyObject {
  if (/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-\S+) /.test(text)) throw publicKey('SSH PUBLIC KEY');
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || !BASE64.test(compact)) throw notAKey();

  const der = Buffer.from(compact, 'base64');
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return checkRsa(createPrivateKey({ key: der, format: 'der', type }));
    } catch (err) {
      if (err instanceof KeyFileError) throw err;
    }
  }
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      createPublicKey({ key: der, format: 'der', type });
    } catch {
      continue;
    }
    throw publicKey('PUBLIC KEY');
  }
  throw notAKey();
}

function importPrivate(load: () => KeyObject): KeyObject {
  try {
    return load();
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MISSING_PASSPHRASE') throw encrypted();
    throw notAKey();
  }
}

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function checkRsa(keyObject: KeyObject): KeyObject {
  const kind = keyObject.asymmetricKeyType;
  if (kind !== 'rsa') {
    let name: string;
    if (kind === 'ec') {
      const curve = keyObject.asymmetricKeyDetails?.namedCurve;
      name = `an EC ${curve ? (CURVE_NAMES[curve] ?? curve) + ' ' : ''}key`;
    } else if (kind === 'rsa-pss') {
      name = 'an RSA-PSS key (restricted to PSS signatures)';
    } else if (kind === 'ed25519' || kind === 'ed448') {
      name = `an ${kind === 'ed25519' ? 'Ed25519' : 'Ed448'} key`;
    } else {
      name = `a ${String(kind ?? 'unknown').toUpperCase()} key`;
    }
    throw keyError(
      'not-rsa',
      `The "private_key" field holds ${name}; the Partner API login needs an RSA key (RS256, ${MIN_RSA_BITS} bits ` +
        `or more). ${GET_A_FRESH_FILE}`,
    );
  }

  const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw keyError(
      'key-too-short',
      `The RSA key is too short: ${bits} bits; ${MIN_RSA_BITS} bits needed for RS256. ` +
        'Create a new key in the partner portal.',
    );
  }
  return keyObject;
}

function wrap64(body: string): string {
  return body.match(/.{1,64}/g)?.join('\n') ?? '';
}

function keyError(problem: KeyFileProblem, message: string): KeyFileError {
  return new KeyFileError(problem, message, { field: 'private_key' });
}

function encrypted(): KeyFileError {
  return keyError(
    'encrypted-key',
    'The private key is encrypted (password-protected); the Partner API login needs the unencrypted key the ' +
      'partner portal downloads. Download the key file again, or decrypt the key before importing it.',
  );
}

function publicKey(label: string): KeyFileError {
  const certificate = label.includes('CERTIFICATE')
    ? 'The "private_key" field holds a certificate, which carries only a public key. '
    : '';
  return keyError(
    'public-key',
    `${certificate}This is a public key; the key file from the partner portal contains the private key. ` +
      'Put the private key in "private_key", or download the key file again.',
  );
}

function notAKey(): KeyFileError {
  return keyError(
    'not-a-key',
    'The "private_key" field does not hold a readable PEM private key (the text between the BEGIN and END PRIVATE KEY lines). ' +
      GET_A_FRESH_FILE,
  );
}
