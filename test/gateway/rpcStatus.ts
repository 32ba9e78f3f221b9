import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The gRPC status codes the gateway puts in `status_id` / `status_code` of its error bodies. */
export const STATUS_IDS = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type StatusCode = keyof typeof STATUS_IDS;

/** An rpcStatus object, the error envelope every Noon service answers with. */
export function rpcStatus(code: StatusCode, message: string): Record<string, unknown> {
  return { status_id: STATUS_IDS[code], status_code: code, message, details: [] };
}

/** The status code a real gateway would most likely pair with an HTTP status (for default scripted bodies). */
export function codeForHttpStatus(status: number): StatusCode {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

/** Writes a complete answer unless the client has already gone away. */
export function sendBody(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.destroyed || res.writableEnded) {
    return;
  }
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Sends JSON text as is, so literal number spellings (10.10, 2^53+1) reach the client untouched. */
export function sendJsonText(res: ServerResponse, status: number, jsonText: string): void {
  sendBody(res, status, jsonText, { 'content-type': 'application/json' });
}

export function sendRpcStatus(res: ServerResponse, httpStatus: number, code: StatusCode, message: string): void {
  sendJsonText(res, httpStatus, JSON.stringify(rpcStatus(code, message)));
}
