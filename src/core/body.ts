import { parse, stringify } from 'lossless-json';
import type { HeaderList } from './types';

export type BodyKind = 'json' | 'text' | 'binary' | 'empty';

export interface BodyClass {
  kind: BodyKind;
  /** A label TextDecoder accepts; 'utf-8' unless the server declared something it supports. */
  charset: string;
  /** Media type without parameters, lower-cased; '' when the server sent none. */
  mime: string;
}

const TEXT_MIMES = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/xml',
  'application/xhtml+xml',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/yaml',
  'application/x-yaml',
  'application/csv',
  'application/sql',
  'image/svg+xml',
]);

/** Splits a Content-Type value into its media type and charset parameter. */
export function parseContentType(value: string | undefined): { mime: string; charset?: string } {
  if (!value) return { mime: '' };
  const [type, ...params] = value.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() === 'charset') {
      charset = param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
    }
  }
  return { mime: type.trim().toLowerCase(), charset };
}

/** True when `mime` is a JSON media type (`application/json`, `text/json`, any `+json` suffix). */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime === 'text/json' || mime.endsWith('+json');
}

function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || TEXT_MIMES.has(mime) || mime.endsWith('+xml') || mime.endsWith('+yaml');
}

function supportedCharset(label: string | undefined): string {
  if (!label) return 'utf-8';
  try {
    return new TextDecoder(label).encoding;
  } catch {
    // An unknown label would make decoding throw later; UTF-8 is what servers mean most of the time.
    return 'utf-8';
  }
}

/** Heuristic for bodies without a usable Content-Type: NUL bytes or invalid UTF-8 mean binary. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  if (sample.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return false;
  } catch {
    return true;
  }
}

function firstSignificantByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length && i < 1024; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  }
  return -1;
}

/**
 * Decides how a response body should be shown, from its Content-Type header and, when the
 * server declared no type, from the bytes themselves.
 */
export function classifyBody(headers: HeaderList, bytes: Uint8Array): BodyClass {
  const header = headers.find(([name]) => name.toLowerCase() === 'content-type');
  const { mime, charset: declared } = parseContentType(header?.[1]);
  const charset = supportedCharset(declared);
  if (bytes.length === 0) return { kind: 'empty', charset, mime };
  if (isJsonMime(mime)) return { kind: 'json', charset, mime };
  if (isTextMime(mime)) return { kind: 'text', charset, mime };
  if (mime === '') {
    if (looksBinary(bytes)) return { kind: 'binary', charset, mime };
    const first = firstSignificantByte(bytes);
    return { kind: first === 0x7b || first === 0x5b ? 'json' : 'text', charset, mime };
  }
  return { kind: 'binary', charset, mime };
}

/** Decodes body bytes with the given charset label, falling back to UTF-8 for unknown labels. */
export function decodeText(bytes: Uint8Array, charset: string): string {
  return new TextDecoder(supportedCharset(charset)).decode(bytes);
}

const EXTENSIONS: Record<string, string> = {
  'application/json': 'json',
  'text/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/css': 'css',
  'text/markdown': 'md',
  'application/javascript': 'js',
  'text/javascript': 'js',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/gzip': 'gz',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-excel': 'xls',
};

/** File extension (without dot) to offer when saving a body of this Content-Type. */
export function extensionFor(contentType: string | undefined): string {
  const { mime } = parseContentType(contentType);
  if (EXTENSIONS[mime]) return EXTENSIONS[mime];
  if (mime.endsWith('+json')) return 'json';
  if (mime.endsWith('+xml')) return 'xml';
  if (mime.startsWith('text/')) return 'txt';
  return 'bin';
}

/**
 * Pretty-prints JSON text with two-space indentation. Numbers keep the exact digits of the
 * input (lossless-json keeps them as text), so 10.10 stays 10.10 and 64-bit ids stay whole.
 * Throws a SyntaxError when the text is not JSON.
 */
export function prettyJson(text: string): string {
  // A repeated key keeps its last value, as JSON.parse does, instead of refusing the document.
  const value = parse(text.replace(/^\uFEFF/, ''), null, { onDuplicateKey: ({ newValue }) => newValue });
  return stringify(value, null, 2) ?? '';
}

/** Human size: `512 B`, `1.5 KB`, `12.3 MB` (1024-based). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** Human duration: `0 ms`, `245 ms`, `1.24 s`, `2 min 5 s`. */
export function formatMs(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(2)} s`;
  const minutes = Math.floor(n / 60_000);
  return `${minutes} min ${Math.round((n - minutes * 60_000) / 1000)} s`;
}
