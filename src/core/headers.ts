import type { AxiosResponse } from 'axios';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { NoonError } from './errors';
import type { HeaderList } from './types';

/** Headers the client owns; a user-supplied value would be wrong or unsafe on the wire. */
const RESERVED_HEADERS = new Set(['user-agent', 'host', 'content-length', 'connection', 'transfer-encoding']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The first value of a header in a list whose names are lower-cased; `name` must be lower-case too. */
export function header(headers: HeaderList, name: string): string | undefined {
  return headers.find(([key]) => key === name)?.[1];
}

/**
 * The headers a caller asked for, names lower-cased, without those the client sets itself.
 *
 * @throws NoonError('bad-request') for a name or value that could not be written to the wire as given
 */
export function requestHeaders(wanted: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(wanted)) {
    const lower = name.trim().toLowerCase();
    if (!HEADER_NAME.test(lower) || /[\r\n\0]/.test(value)) {
      throw new NoonError('bad-request', `The header “${name.slice(0, 100)}” has characters HTTP does not allow.`, {
        hint: 'Remove line breaks and special characters from the header name and value.',
      });
    }
    if (!RESERVED_HEADERS.has(lower)) headers[lower] = value;
  }
  return headers;
}

/** Response headers in wire order with repeats, names lower-cased. */
export function receivedHeaders(response: AxiosResponse): HeaderList {
  // Node keeps the parsed response on the request; axios's own header object loses order and repeats.
  const raw = (response.request as { res?: IncomingMessage } | undefined)?.res?.rawHeaders;
  const list: HeaderList = [];
  if (raw) {
    for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i].toLowerCase(), raw[i + 1]]);
    return list;
  }
  for (const [name, value] of Object.entries(response.headers ?? {})) addValues(list, name, value);
  return list;
}

/** The headers Node actually wrote for a request, the Cookie header included, names lower-cased. */
export function sentHeaders(req: ClientRequest | undefined): HeaderList {
  if (!req || typeof req.getRawHeaderNames !== 'function') return [];
  const list: HeaderList = [];
  for (const name of req.getRawHeaderNames()) {
    const value = req.getHeader(name);
    if (value !== undefined) addValues(list, name, value);
  }
  return list;
}

/** Headers on one line for the log; mask them first. */
export function formatHeaders(headers: HeaderList): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join(' | ');
}

/** A header may hold one value or several; each becomes its own entry. */
function addValues(list: HeaderList, name: string, value: unknown): void {
  for (const item of Array.isArray(value) ? value : [value]) list.push([name.toLowerCase(), String(item)]);
}
