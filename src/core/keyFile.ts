import { createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { parse as parseLossless } from 'lossless-json';
import { signLoginToken } from './jwt';
import { GET_A_FRESH_FILE, KeyFileError } from './keyFileError';
import { loadPrivateKeyPem } from './privateKeyPem';
import type { NoonKey } from './types';

// Callers know the refusal by the module that refuses.
export { KeyFileError } from './keyFileError';

/**
 * A portal key file is 2-4 KB (a 4096-bit key stays under 5 KB). 64 KiB leaves room for UTF-16 copies and
 * pretty-printing, yet stops someone picking a log or an archive by mistake from being read into memory and
 * parsed.
 */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

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
  const keyId = singleLine(requiredString(root, 'key_id', 'keyId'), 'key_id');
  const rawPem = requiredString(root, 'private_key', 'privateKey');
  const projectCode = singleLine(requiredString(root, 'project_code', 'projectCode'), 'project_code');

  const keyObject = loadPrivateKeyPem(rawPem);
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
  const fromNative = reportedPosition(parserError);
  if (fromNative !== undefined) return fromNative;
  // Some native messages carry no offset; this parser always reports one.
  try {
    parseLossless(text);
  } catch (err) {
    const fromLossless = reportedPosition(err);
    if (fromLossless !== undefined) return fromLossless;
  }
  return text.length;
}

/** The offset a JSON parser's message names ("... at position 12"), if any. */
function reportedPosition(parserError: unknown): number | undefined {
  const match = /at position (\d+)/.exec(parserError instanceof Error ? parserError.message : '');
  return match ? Number(match[1]) : undefined;
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

/** Identifiers end up in the log and in labels: a line break or control character in one is refused. */
function singleLine(value: string, field: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) {
    throw new KeyFileError(
      'wrong-type',
      `The "${field}" field of the key file contains a line break or control character. ${GET_A_FRESH_FILE}`,
      { field },
    );
  }
  return value;
}

/** Informational fields never block an import: a wrong type is ignored rather than refused. */
function optionalString(root: Record<string, unknown>, ...names: string[]): string | undefined {
  const found = lookUp(root, names);
  if (found === undefined || typeof found.value !== 'string') return undefined;
  const trimmed = found.value.trim();
  return trimmed === '' ? undefined : trimmed;
}

// ---------------------------------------------------------------------------------------------------------------
// Proof

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
