/**
 * Messages between the response viewer (webview page) and the extension host, and the state
 * the page persists. Shared by both sides; no `vscode` and no DOM-only APIs here.
 */
import type { BodyKind } from './body';
import { redactHeaderValue, redactText } from './redact';
import type { ApiResponse, HeaderList, HttpMethod } from './types';

/** Body bytes per `responseChunk` message, so a big answer is never one giant message. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Bodies up to this size are kept in the page's persisted state and survive a window reload.
 * Larger ones would make every state write (scroll, tab change) copy megabytes, so after a
 * reload the page asks the user to send the request again.
 */
export const RESTORE_CAP_BYTES = 1024 * 1024;

/** Everything about a response except its body, safe to show and to persist. */
export interface ResponseMeta {
  request: { method: HttpMethod; url: string; headers: HeaderList; body?: string };
  status: number;
  statusText: string;
  headers: HeaderList;
  receivedBytes: number;
  /** Size of the decoded body. */
  bodyBytes: number;
  timings: { totalMs: number; loginMs?: number };
}

export type ViewMode = 'json' | 'text' | 'binary' | 'empty' | 'restoreMissing';
export type TabId = 'body' | 'headers' | 'request';

export type HostToViewMessage =
  | { type: 'responseStart'; seq: number; meta: ResponseMeta; chunkCount: number }
  | { type: 'responseChunk'; seq: number; index: number; data: Uint8Array }
  | { type: 'responseEnd'; seq: number };

/** What the page reports after painting a response (used by tests and logged at trace level). */
export interface RenderedReport {
  seq: number;
  status: number;
  bodyKind: BodyKind;
  mode: ViewMode;
  /** The first rows as shown, at most 20. */
  firstLines: string[];
  lineCount: number;
  /** False while a big body is still being laid out in the background. */
  complete: boolean;
  note?: string;
  /**
   * The text of the body rows as they stand in the page's DOM, at most 20. Unlike `firstLines`
   * (built from the text model), this is what the browser made of the markup.
   */
  shownRows?: string[];
  /** The response headers as they stand in the Headers tab's DOM, `name: value`, at most 20. */
  headerRows?: string[];
}

export type ViewToHostMessage =
  | { type: 'ready' }
  /** Copy `text` when given (a selection or value), otherwise the whole body as received. */
  | { type: 'copy'; text?: string }
  | { type: 'copyCurl'; includeCookie: boolean }
  | { type: 'save' }
  | { type: 'openInEditor' }
  | { type: 'resend' }
  | ({ type: 'rendered' } & RenderedReport);

/** What the page keeps with `setState`; the host receives it back when restoring after a reload. */
export interface PersistedState {
  v: 1;
  seq: number;
  meta: ResponseMeta;
  /** Base64 of the body bytes; absent when the body was larger than RESTORE_CAP_BYTES. */
  body?: string;
  tab?: TabId;
  topRow?: number;
}

function maskHeaders(headers: HeaderList): HeaderList {
  return headers.map(([name, value]) => [name, redactHeaderValue(name, value)]);
}

/**
 * The part of a response the page may see and persist. Request headers arrive masked
 * already; they are masked again here, together with response `Set-Cookie` values.
 */
export function toResponseMeta(response: ApiResponse): ResponseMeta {
  const { request, timings } = response;
  return {
    request: {
      method: request.method,
      url: request.url,
      headers: maskHeaders(request.headers),
      // The user's own secrets in a body (client_secret, tokens) are shown and persisted masked.
      ...(request.body !== undefined ? { body: redactText(request.body) } : {}),
    },
    status: response.status,
    statusText: response.statusText,
    headers: maskHeaders(response.headers),
    receivedBytes: response.receivedBytes,
    bodyBytes: response.body.byteLength,
    timings: { totalMs: timings.totalMs, ...(timings.loginMs !== undefined ? { loginMs: timings.loginMs } : {}) },
  };
}

/**
 * The messages that deliver one response: a start, the body in chunks of `chunkBytes`, an end.
 * Each chunk is a plain `Uint8Array` copy with its own buffer: a view into the whole body would
 * make the transport ship the entire buffer with every chunk, and VS Code's webview transport
 * recognises typed arrays by constructor name, so a Node `Buffer` (whose `slice` is a view, too)
 * would travel as a JSON object the page cannot read.
 */
export function* responseMessages(
  seq: number,
  response: ApiResponse,
  chunkBytes = CHUNK_BYTES,
): Generator<HostToViewMessage> {
  const body = response.body;
  const chunkCount = Math.ceil(body.byteLength / chunkBytes);
  yield { type: 'responseStart', seq, meta: toResponseMeta(response), chunkCount };
  for (let index = 0; index < chunkCount; index++) {
    const data = new Uint8Array(body.subarray(index * chunkBytes, (index + 1) * chunkBytes));
    yield { type: 'responseChunk', seq, index, data };
  }
  yield { type: 'responseEnd', seq };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isHeaderList(x: unknown): x is HeaderList {
  return (
    Array.isArray(x) &&
    x.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')
  );
}

const count = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const BODY_KINDS = new Set(['json', 'text', 'binary', 'empty']);
const VIEW_MODES = new Set(['json', 'text', 'binary', 'empty', 'restoreMissing']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function isShortStringList(x: unknown): boolean {
  return Array.isArray(x) && x.length <= 20 && x.every((l) => typeof l === 'string');
}

function isRenderedReport(m: Record<string, unknown>): boolean {
  return (
    count(m.seq) &&
    typeof m.status === 'number' &&
    typeof m.bodyKind === 'string' &&
    BODY_KINDS.has(m.bodyKind) &&
    typeof m.mode === 'string' &&
    VIEW_MODES.has(m.mode) &&
    isShortStringList(m.firstLines) &&
    count(m.lineCount) &&
    typeof m.complete === 'boolean' &&
    (m.note === undefined || typeof m.note === 'string') &&
    (m.shownRows === undefined || isShortStringList(m.shownRows)) &&
    (m.headerRows === undefined || isShortStringList(m.headerRows))
  );
}

/** Checks a message from the page before the host acts on it. */
export function isViewToHostMessage(x: unknown): x is ViewToHostMessage {
  if (!isRecord(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'ready':
    case 'save':
    case 'openInEditor':
    case 'resend':
      return true;
    case 'copy':
      return x.text === undefined || typeof x.text === 'string';
    case 'copyCurl':
      return typeof x.includeCookie === 'boolean';
    case 'rendered':
      return isRenderedReport(x);
    default:
      return false;
  }
}

/** Checks the shape of response metadata (from a message or from restored state). */
export function isResponseMeta(x: unknown): x is ResponseMeta {
  if (!isRecord(x) || !isRecord(x.request) || !isRecord(x.timings)) return false;
  const { request, timings } = x;
  return (
    typeof request.method === 'string' &&
    METHODS.has(request.method) &&
    typeof request.url === 'string' &&
    isHeaderList(request.headers) &&
    (request.body === undefined || typeof request.body === 'string') &&
    typeof x.status === 'number' &&
    typeof x.statusText === 'string' &&
    isHeaderList(x.headers) &&
    count(x.receivedBytes) &&
    count(x.bodyBytes) &&
    count(timings.totalMs) &&
    (timings.loginMs === undefined || count(timings.loginMs))
  );
}

/** Checks a message from the host before the page acts on it. */
export function isHostToViewMessage(x: unknown): x is HostToViewMessage {
  if (!isRecord(x) || !count(x.seq)) return false;
  switch (x.type) {
    case 'responseStart':
      return count(x.chunkCount) && isResponseMeta(x.meta);
    case 'responseChunk':
      return count(x.index) && x.data instanceof Uint8Array;
    case 'responseEnd':
      return true;
    default:
      return false;
  }
}

/** Checks state handed back by VS Code when it restores a panel after a reload. */
export function isPersistedState(x: unknown): x is PersistedState {
  return (
    isRecord(x) &&
    x.v === 1 &&
    count(x.seq) &&
    isResponseMeta(x.meta) &&
    (x.body === undefined || typeof x.body === 'string') &&
    (x.tab === undefined || x.tab === 'body' || x.tab === 'headers' || x.tab === 'request') &&
    (x.topRow === undefined || count(x.topRow))
  );
}

/** Base64 without Buffer, so the same code runs in the page and in the host. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
