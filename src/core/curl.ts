import type { ApiResponse } from './types';

/** What a masked secret looks like in a copied command. */
export const CURL_MASK = '<masked>';

/** Headers curl works out by itself; copying ours would be wrong as soon as the body is edited. */
const COMPUTED_HEADERS = new Set(['content-length', 'host', 'connection', 'transfer-encoding']);

export interface CurlOptions {
  /**
   * The real `Cookie` header value. Only pass it when the user explicitly asked for a command
   * that carries the session; otherwise any cookie is replaced by a mask.
   */
  cookieHeader?: string;
}

/** Quotes one argument for a POSIX shell: single quotes, with embedded quotes spelled `'\''`. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Builds a `curl` command line (POSIX shell) that repeats a request as it was sent.
 * The session cookie is masked unless `options.cookieHeader` is given.
 */
export function toCurl(request: ApiResponse['request'], options: CurlOptions = {}): string {
  const parts = ['curl'];
  // `-X HEAD` would make curl wait for a body that never comes.
  if (request.method === 'HEAD') parts.push('--head');
  else if (request.method !== 'GET' || request.body !== undefined) parts.push('-X', request.method);
  parts.push(shellQuote(request.url));

  let hadCookie = false;
  let compressed = false;
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (COMPUTED_HEADERS.has(lower)) continue;
    // Asking for gzip by header alone would make curl print the compressed bytes; --compressed
    // asks for it and decodes the answer.
    if (lower === 'accept-encoding') {
      compressed = true;
      continue;
    }
    if (lower === 'cookie') {
      hadCookie = true;
      continue;
    }
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (options.cookieHeader) {
    parts.push('-H', shellQuote(`Cookie: ${options.cookieHeader}`));
  } else if (hadCookie) {
    parts.push('-H', shellQuote(`Cookie: ${CURL_MASK}`));
  }

  if (compressed) parts.push('--compressed');
  if (request.body !== undefined && request.body !== '') parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}
