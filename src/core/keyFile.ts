import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { parse as parseLossless } from 'lossless-json';
import { signLoginToken } from './jwt';
import type { NoonKey } from './types';

/**
 * A portal key file is 2-4 KB (a 4096-bit key stays under 5 KB). 64 KiB leaves room for UTF-16 copies and
 * pretty-printing, yet stops someone picking a log or an archive by mistake from being read into memory and
 * parsed.
 */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

const MIN_RSA_BITS = 2048;

export type KeyFileProblem =
  | 'too-large'
  | 'not-utf8'
  | 'empty'
  | 'invalid-json'
  | 'not-an-object'
  | 'missing-field'
  | 'wrong-type'
  | 'public-key'
  | 'encrypted-key'
  | 'not-rsa'
  | 'key-too-short'
  | 'not-a-key'
  | 'signing-failed';

/** Where in the file the problem is: a field name, or a 1-based line and column for JSON syntax errors. */
export interface KeyFileErrorPlace {
  field?: string;
  line?: number;
  column?: number;
}

/** Why a key file was refused. The message names fields and positions only, never any content of the file. */
export class KeyFileError extends Error {
  readonly problem: KeyFileProblem;
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(problem: KeyFileProblem, message: string, where: KeyFileErrorPlace = {}) {
    super(message);
    this.name = 'KeyFileError';
    this.problem = problem;
    this.field = where.field;
    this.line = where.line;
    this.column = where.column;
  }
}

const GET_A_FRESH_FILE = 'Use the .json key file as downloaded from the partner portal.';

/**
 * Parse, normalise and prove a key file (bytes as read from disk or pasted text).
 * Resolves only if a test JWT was signed and verified.
 *
 * Accepts PKCS#8 or PKCS#1 PEM however it was mangled on the way (CRLF/CR, literal `\n` escapes, BOMs,
 * UTF-16, re-wrapped or single-line PEM, camelCase field names). The returned `privateKeyPem` is PKCS#8 with
 * LF newlines.
 *
 * @throws KeyFileError saying what is wrong and what to do; the message never contains file content.
 */
export async function parseKeyFile(input: Uint8Array | string): Promise<NoonKey> {
  const text = decodeInput(input);
  if (text.trim() === '') {
    throw new KeyFileError('empty', `The key file is empty. ${GET_A_FRESH_FILE}`);
  }

  const root = unwrapCredential(parseJsonObject(text));
  const keyId = requiredString(root, 'key_id', 'keyId');
  const rawPem = requiredString(root, 'private_key', 'privateKey');
  const projectCode = requiredString(root, 'project_code', 'projectCode');

  const keyObject = loadPrivateKey(rawPem);
  const key: NoonKey = {
    keyId,
    privateKeyPem: String(keyObject.export({ type: 'pkcs8', format: 'pem' })),
    projectCode,
  };
  const channelIdentifier = optionalString(root, 'channel_identifier', 'channelIdentifier');
  const type = optionalString(root, 'type');
  const issuedAt = optionalString(root, 'issued_at', 'issuedAt');
  if (channelIdentifier !== undefined) key.channelIdentifier = channelIdentifier;
  if (type !== undefined) key.type = type;
  if (issuedAt !== undefined) key.issuedAt = issuedAt;

  await proveKey(key, keyObject);
  return key;
}

/** Label an account for people: channel_identifier or key_id. */
export function keyLabel(key: NoonKey): string {
  return key.channelIdentifier || key.keyId;
}

/**
 * Notes worth showing at warning level about an accepted key; none of them blocks a login.
 * Today: a `type` other than the documented "apijwt".
 */
export function keyWarnings(key: NoonKey): string[] {
  if (key.type !== undefined && key.type.toLowerCase() !== 'apijwt') {
    return ['The key file\'s "type" is not "apijwt"; it was imported anyway because the login does not use it.'];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes to text

function decodeInput(input: Uint8Array | string): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > MAX_KEY_FILE_BYTES) {
    throw new KeyFileError(
      'too-large',
      `The key file is ${size} bytes, more than the ${MAX_KEY_FILE_BYTES / 1024} KiB a key file can be. ` +
        `Check that you chose the right file. ${GET_A_FRESH_FILE}`,
    );
  }
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');

  const bytes = input;
  // Windows editors save UTF-16 with a byte-order mark; without one, JSON's leading ASCII still shows the order.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), false);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), true);
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return decodeUtf16(bytes, false);
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return decodeUtf16(bytes, true);

  try {
    // TextDecoder drops a UTF-8 byte-order mark by itself.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notText();
  }
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string {
  if (bytes.length % 2 !== 0) throw notText();
  const copy = Buffer.from(bytes);
  if (bigEndian) copy.swap16();
  return copy.toString('utf16le');
}

function notText(): KeyFileError {
  return new KeyFileError(
    'not-utf8',
    'The key file is not UTF-8 text; an editor may have saved it in another encoding. ' +
      `Save it as UTF-8 or download it again. ${GET_A_FRESH_FILE}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Text to object

function parseJsonObject(text: string): Record<string, unknown> {
  let value = parseJson(text);
  // A key kept in an environment variable sometimes arrives JSON-encoded twice.
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      // Fall through: reported below as "not an object".
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new KeyFileError(
      'not-an-object',
      `The key file holds ${describeType(value)}, not a JSON object with "key_id", "private_key" and ` +
        `"project_code". ${GET_A_FRESH_FILE}`,
    );
  }
  return value as Record<string, unknown>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (original) {
    // People paste a PEM with real line breaks into a hand-made file; that is unambiguous, so repair it.
    const repaired = escapeRawControlCharacters(text);
    if (repaired !== text) {
      try {
        return JSON.parse(repaired);
      } catch {
        // Report the position in the file as it is, below.
      }
    }
    throw invalidJson(text, original);
  }
}

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes control characters that appear inside string literals, leaving everything else untouched. */
function escapeRawControlCharacters(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString && !escaped && ch < ' ') {
      out += CONTROL_ESCAPES[ch] ?? '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
      continue;
    }
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    }
    out += ch;
  }
  return out;
}

const TYPOGRAPHIC_QUOTES = '\u201C\u201D\u201E\u201F\u2018\u2019\u201A\u201B\u2032\u2033\u00AB\u00BB\uFF02';
const TYPOGRAPHIC_KEY_QUOTE = /[\u201C\u201D\u201E\u201F\uFF02]\s*:|[{,]\s*[\u201C\u201D\u201E\u201F\uFF02]/;

function invalidJson(text: string, parserError: unknown): KeyFileError {
  const position = Math.min(errorPosition(text, parserError), text.length);
  const { line, column } = lineAndColumn(text, position);
  const hint = jsonHint(text, position);
  // The parser's own message is never used: since Node 20 it can quote the text around the error.
  return new KeyFileError(
    'invalid-json',
    `The key file is not valid JSON (line ${line}, column ${column})${hint ? `: ${hint}` : ''}. ${GET_A_FRESH_FILE}`,
    { line, column },
  );
}

function errorPosition(text: string, parserError: unknown): number {
  const fromNative = /at position (\d+)/.exec(parserError instanceof Error ? parserError.message : '');
  if (fromNative) return Number(fromNative[1]);
  // Some native messages carry no offset; this parser always reports one.
  try {
    parseLossless(text);
  } catch (err) {
    const fromLossless = /at position (\d+)/.exec(err instanceof Error ? err.message : '');
    if (fromLossless) return Number(fromLossless[1]);
  }
  return text.length;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

function jsonHint(text: string, position: number): string | undefined {
  const at = text[position];
  if ((at !== undefined && TYPOGRAPHIC_QUOTES.includes(at)) || TYPOGRAPHIC_KEY_QUOTE.test(text)) {
    return 'it contains typographic quotes; re-download the file or use straight quotes (")';
  }
  if (/^\s*-----BEGIN /.test(text)) {
    return 'this is a bare PEM key, but the key file is the .json that also holds "key_id" and "project_code"';
  }
  if (position >= text.trimEnd().length) return 'the file ends too early, it may be cut off';
  if (at === "'") return 'JSON needs double quotes (") around names and text, not single quotes';
  if ((at === '}' || at === ']') && text.slice(0, position).trimEnd().endsWith(',')) {
    return 'remove the comma before the closing bracket';
  }
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields

/** API responses wrap the same credential in `credential` or `result`; saved as-is, they are still key files. */
function unwrapCredential(root: Record<string, unknown>): Record<string, unknown> {
  const hasOwnFields = ['key_id', 'keyId', 'private_key', 'privateKey'].some((name) => name in root);
  if (hasOwnFields) return root;
  for (const wrapper of ['credential', 'credentials', 'result']) {
    const inner = root[wrapper];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) return inner as Record<string, unknown>;
  }
  return root;
}

function lookUp(root: Record<string, unknown>, names: string[]): { name: string; value: unknown } | undefined {
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(root, name) && root[name] !== undefined) {
      return { name, value: root[name] };
    }
  }
  return undefined;
}

function requiredString(root: Record<string, unknown>, field: string, alias: string): string {
  const found = lookUp(root, [field, alias]);
  if (found === undefined) {
    throw new KeyFileError('missing-field', `The key file has no "${field}" field. ${GET_A_FRESH_FILE}`, { field });
  }
  if (found.value === null) {
    throw new KeyFileError('missing-field', `The "${found.name}" field of the key file is null. ${GET_A_FRESH_FILE}`, {
      field,
    });
  }
  if (typeof found.value !== 'string') {
    throw new KeyFileError(
      'wrong-type',
      `The "${found.name}" field of the key file must be a string, but it is ${describeType(found.value)}. ` +
        GET_A_FRESH_FILE,
      { field },
    );
  }
  const trimmed = found.value.trim();
  if (trimmed === '') {
    throw new KeyFileError('missing-field', `The "${found.name}" field of the key file is empty. ${GET_A_FRESH_FILE}`, {
      field,
    });
  }
  return trimmed;
}

/** Informational fields never block an import: a wrong type is ignored rather than refused. */
function optionalString(root: Record<string, unknown>, ...names: string[]): string | undefined {
  const found = lookUp(root, names);
  if (found === undefined || typeof found.value !== 'string') return undefined;
  const trimmed = found.value.trim();
  return trimmed === '' ? undefined : trimmed;
}

// ---------------------------------------------------------------------------------------------------------------
// The private key

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

function loadPrivateKey(raw: string): KeyObject {
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
    throw new KeyFileError(
      'not-a-key',
      'The "private_key" field holds an OpenSSH-format key, which cannot be used here. ' +
        `Use the PEM key from the partner portal. ${GET_A_FRESH_FILE}`,
      { field: 'private_key' },
    );
  }
  if (block.label.includes('PUBLIC KEY') || block.label.includes('CERTIFICATE')) throw publicKey(block.label);
  if (!block.label.endsWith('PRIVATE KEY') || !/^[A-Za-z0-9+/]+={0,2}$/.test(block.body)) throw notAKey();

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
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw notAKey();

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
    throw new KeyFileError(
      'not-rsa',
      `The "private_key" field holds ${name}; the Partner API login needs an RSA key (RS256, ${MIN_RSA_BITS} bits ` +
        `or more). ${GET_A_FRESH_FILE}`,
      { field: 'private_key' },
    );
  }

  const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new KeyFileError(
      'key-too-short',
      `The RSA key is too short: ${bits} bits; ${MIN_RSA_BITS} bits needed for RS256. ` +
        'Create a new key in the partner portal.',
      { field: 'private_key' },
    );
  }
  return keyObject;
}

/** Signs a token exactly as a login would and checks it against the key's own public half. */
async function proveKey(key: NoonKey, keyObject: KeyObject): Promise<void> {
  try {
    const token = await signLoginToken(key);
    const { payload } = await jwtVerify(token, createPublicKey(keyObject), { algorithms: ['RS256'] });
    if (payload.sub !== key.keyId) throw new Error('subject mismatch');
  } catch {
    throw new KeyFileError(
      'signing-failed',
      'The private key could not sign a test token that its own public key accepts; the key is damaged. ' +
        GET_A_FRESH_FILE,
      { field: 'private_key' },
    );
  }
}

function wrap64(body: string): string {
  return body.match(/.{1,64}/g)?.join('\n') ?? '';
}

function encrypted(): KeyFileError {
  return new KeyFileError(
    'encrypted-key',
    'The private key is encrypted (password-protected); the Partner API login needs the unencrypted key the ' +
      'partner portal downloads. Download the key file again, or decrypt the key before importing it.',
    { field: 'private_key' },
  );
}

function publicKey(label: string): KeyFileError {
  const certificate = label.includes('CERTIFICATE')
    ? 'The "private_key" field holds a certificate, which carries only a public key. '
    : '';
  return new KeyFileError(
    'public-key',
    `${certificate}This is a public key; the key file from the partner portal contains the private key. ` +
      'Put the private key in "private_key", or download the key file again.',
    { field: 'private_key' },
  );
}

function notAKey(): KeyFileError {
  return new KeyFileError(
    'not-a-key',
    'The "private_key" field does not hold a readable PEM private key ("-----BEGIN PRIVATE KEY-----" ...). ' +
      GET_A_FRESH_FILE,
    { field: 'private_key' },
  );
}
