/**
 * Shapes shared by the core modules (no `vscode` import anywhere under src/core).
 */

/** A validated, normalised service-account key. `privateKeyPem` is always PKCS#8 PEM with LF newlines. */
export interface NoonKey {
  keyId: string;
  privateKeyPem: string;
  projectCode: string;
  channelIdentifier?: string;
  type?: string;
  issuedAt?: string;
}

/** Who the gateway says we are (`GET /identity/v1/whoami`). */
export interface Identity {
  userCode: string;
  username: string;
}

/** Minimal logger the core writes to; the extension maps it onto its log channel. */
export interface CoreLog {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLog: CoreLog = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A request as the user describes it. `path` is relative to the gateway or a full URL on it. */
export interface ApiRequest {
  method: HttpMethod;
  path: string;
  headers?: Record<string, string>;
  /** Raw body text, sent as is (JSON by default). */
  body?: string;
}

/** Headers as received, in order, names lower-cased. Repeated headers appear more than once. */
export type HeaderList = Array<[string, string]>;

export interface ApiResponse {
  request: {
    method: HttpMethod;
    url: string;
    /** Headers as sent, with secrets masked. */
    headers: HeaderList;
    body?: string;
  };
  status: number;
  statusText: string;
  headers: HeaderList;
  /** Body bytes after content decoding (gzip, br, deflate). */
  body: Uint8Array;
  /** Size of the body on the wire (Content-Length or counted), before decoding. */
  receivedBytes: number;
  timings: {
    /** From the start of the call to the last byte, including any login. */
    totalMs: number;
    /** Time spent signing in during this call, when a login happened. */
    loginMs?: number;
  };
}
