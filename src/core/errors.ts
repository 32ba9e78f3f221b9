import { parseHttpDate } from './retryAfter';

export type NoonErrorKind =
  | 'unauthenticated'
  | 'key-rejected'
  | 'forbidden'
  | 'clock-skew'
  | 'missing-user-agent'
  | 'rate-limited'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls'
  | 'proxy'
  | 'network'
  | 'cancelled'
  | 'server'
  | 'bad-response'
  | 'bad-request';

export interface NoonErrorDetails {
  status?: number;
  statusCode?: string;
  serverMessage?: string;
  retryAfterSeconds?: number;
  skewSeconds?: number;
  host?: string;
  /** Overrides the kind's default hint. */
  hint?: string;
  cause?: unknown;
}

const DEFAULT_HINTS: Record<NoonErrorKind, string> = {
  unauthenticated: 'Sign in again; if it keeps failing, import a fresh key from the Noon partner portal.',
  'key-rejected': 'Import a new key from the Noon partner portal (User access > API Users).',
  forbidden: "Check the key's IP whitelist and project access in the Noon partner portal.",
  'clock-skew': 'Sync the system clock (turn on automatic date and time), then sign in again.',
  'missing-user-agent': 'Set a non-empty value in the noon.userAgent setting.',
  'rate-limited': 'Wait before sending more requests.',
  dns: 'Check the noon.gateway / noon.customGatewayUrl setting and your network connection.',
  refused: 'Check the noon.gateway / noon.customGatewayUrl setting and that the gateway is reachable from here.',
  timeout: 'Try again, or raise the noon.requestTimeout setting.',
  tls: "Make sure the gateway URL is right and its certificate is trusted by the system's certificate store.",
  proxy: 'Check the http.proxy setting and the proxy environment variables.',
  network: 'Check your network connection and try again.',
  cancelled: '',
  server: 'The gateway had a problem; try again later.',
  'bad-response': 'Check that noon.gateway / noon.customGatewayUrl points at a Noon API gateway.',
  'bad-request': 'Check the request and try again.',
};

/** An error the user can act on: a kind for code to branch on, a message and a one-sentence hint for people. */
export class NoonError extends Error {
  readonly kind: NoonErrorKind;
  readonly status?: number;
  /** The rpcStatus `status_code`, when the gateway sent one. */
  readonly statusCode?: string;
  /** The gateway's own message, as plain text and shortened. */
  readonly serverMessage?: string;
  /** Seconds the gateway asks to wait; undefined when unknown. */
  readonly retryAfterSeconds?: number;
  /** Local clock minus gateway clock, in seconds (positive: the local clock is ahead). */
  readonly skewSeconds?: number;
  readonly host?: string;
  /** One sentence saying what to do, in the user's terms (which setting to check, etc). */
  readonly hint: string;

  constructor(kind: NoonErrorKind, message: string, details: NoonErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NoonError';
    this.kind = kind;
    this.status = details.status;
    this.statusCode = details.statusCode;
    this.serverMessage = details.serverMessage;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.skewSeconds = details.skewSeconds;
    this.host = details.host;
    this.hint = details.hint ?? DEFAULT_HINTS[kind];
  }
}

/** The gateway's error body (`rpcStatus`), with the fields it actually carried. */
export interface RpcStatus {
  statusId?: number;
  statusCode?: string;
  message?: string;
  details?: unknown[];
}

/**
 * Parses an rpcStatus body `{status_id, status_code, message, details}`, or the newer `{error: {code, message}}`.
 *
 * @param body the response body as text
 * @returns the fields found, or undefined when the body is not one of those shapes
 */
export function parseRpcStatus(body: string): RpcStatus | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;

  if (isRecord(parsed.error)) {
    const { code, message } = parsed.error;
    if (typeof code !== 'string' && typeof code !== 'number' && typeof message !== 'string') return undefined;
    return {
      statusCode: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  }

  const status: RpcStatus = {};
  if (typeof parsed.status_id === 'number') status.statusId = parsed.status_id;
  if (typeof parsed.status_code === 'string') status.statusCode = parsed.status_code;
  if (typeof parsed.message === 'string') status.message = parsed.message;
  if (Array.isArray(parsed.details)) status.details = parsed.details;
  if (status.statusCode === undefined && status.message === undefined) return undefined;
  return status;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_SERVER_MESSAGE = 200;
// Control characters and bidi overrides could fake line breaks or reorder text in a notification.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+/g;

/**
 * Turns text from the gateway into one short line of plain text: no control or direction characters,
 * known secrets masked, at most about 200 characters.
 *
 * @param text the server's message
 * @param secrets values that must not appear (the login token, for instance)
 */
export function plainServerText(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret) clean = clean.split(secret).join('••••••');
  }
  clean = clean.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();

  const chars = Array.from(clean);
  return chars.length > MAX_SERVER_MESSAGE ? `${chars.slice(0, MAX_SERVER_MESSAGE).join('')}…` : clean;
}

/** Says a wait the way people do: seconds, minutes or hours. */
export function describeSeconds(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < 90) return `${abs} second${abs === 1 ? '' : 's'}`;
  if (abs < 90 * 60) return `${Math.round(abs / 60)} minutes`;
  return `${Math.round(abs / 3600)} hours`;
}

/** What the client knew about a failed HTTP exchange with the gateway. */
export interface HttpFailure {
  /** 'sign-in' for the login call, 'whoami' for the identity call, 'request' for any other call. */
  phase: 'sign-in' | 'whoami' | 'request';
  status: number;
  body: string;
  host: string;
  /** The response's `Date` header. */
  date?: string;
  retryAfterSeconds?: number;
  nowMs: number;
  /** Values never to echo back (the login token). */
  secrets?: readonly string[];
}

const ACTIONS: Record<HttpFailure['phase'], string> = {
  'sign-in': 'Sign-in failed',
  whoami: 'Checking the signed-in identity failed',
  request: 'The request failed',
};

/** Skew beyond which a refused login is blamed on the clock. */
const SKEW_LIMIT_SECONDS = 60;

/**
 * Explains a non-2xx answer to sign-in or whoami as a NoonError, naming the gateway's own message.
 *
 * @param failure the status, body and headers that came back
 */
export function explainHttpFailure(failure: HttpFailure): NoonError {
  const { status, host } = failure;
  const rpc = parseRpcStatus(failure.body);
  const serverMessage = rpc?.message ? plainServerText(rpc.message, failure.secrets) : undefined;
  const base = { status, host, statusCode: rpc?.statusCode, serverMessage };
  const quoted = serverMessage ? `: “${serverMessage}”` : '';
  const said = `${rpc?.statusCode ?? ''} ${rpc?.message ?? ''}`.toLowerCase();
  const action = ACTIONS[failure.phase];

  if (status === 429) {
    const wait = failure.retryAfterSeconds;
    const asks = wait === undefined ? 'without saying for how long' : `and asks to wait ${describeSeconds(wait)}`;
    return new NoonError('rate-limited', `${action}: the gateway is rate limiting requests ${asks}.`, {
      ...base,
      retryAfterSeconds: wait,
      hint: wait === undefined ? DEFAULT_HINTS['rate-limited'] : `Wait ${describeSeconds(wait)}, then try again.`,
    });
  }
  if (status >= 500) {
    return new NoonError('server', `${action}: the gateway answered HTTP ${status}${quoted}.`, base);
  }

  // Only the login checks the token's iat; later calls carry a cookie, so the clock cannot be their problem.
  const skew =
    failure.phase === 'sign-in' && (status === 401 || status === 403)
      ? clockSkew(failure.date, failure.nowMs)
      : undefined;
  if (skew !== undefined && Math.abs(skew) > SKEW_LIMIT_SECONDS) {
    const direction = skew > 0 ? 'ahead of' : 'behind';
    return new NoonError(
      'clock-skew',
      `${action}: this computer's clock is ${describeSeconds(skew)} ${direction} the gateway's, ` +
        `so the gateway refuses the sign-in token${quoted}.`,
      { ...base, skewSeconds: skew },
    );
  }
  if (failure.phase === 'sign-in' && /\biat\b|clock|issued.at/.test(said)) {
    return new NoonError('clock-skew', `${action}: the gateway says the sign-in token's time is wrong${quoted}.`, {
      ...base,
      skewSeconds: skew,
    });
  }
  if (/user.?agent/.test(said)) {
    return new NoonError('missing-user-agent', `${action}: the gateway wants a User-Agent header${quoted}.`, base);
  }
  if (/\bip\b|whitelist|allowlist|ip address/.test(said)) {
    return new NoonError(
      'forbidden',
      `${action}: the gateway does not accept this key from this IP address${quoted}.`,
      {
        ...base,
        hint: "Add this machine's public IP address to the key's IP whitelist in the partner portal.",
      },
    );
  }
  if (/project/.test(said) && (status === 401 || status === 403)) {
    return new NoonError('forbidden', `${action}: the key is not allowed to use this project${quoted}.`, {
      ...base,
      hint: "Check the key file's project_code, or ask for access to the project in the Noon partner portal.",
    });
  }
  if (status === 401 && failure.phase === 'sign-in') {
    return new NoonError('key-rejected', `${action}: the gateway refused the key${quoted}.`, base);
  }
  if (status === 401) {
    return new NoonError('unauthenticated', `${action}: the gateway still refuses the session${quoted}.`, base);
  }
  if (status === 403) {
    return new NoonError('forbidden', `${action}: the gateway denied access${quoted}.`, base);
  }
  if (status === 400) {
    return new NoonError('bad-request', `${action}: the gateway rejected the request as invalid${quoted}.`, base);
  }
  return new NoonError('bad-response', `${action}: the gateway answered HTTP ${status}${quoted}.`, base);
}

/** Local clock minus the gateway's `Date`, in whole seconds; undefined when the header is missing or unreadable. */
export function clockSkew(date: string | undefined, nowMs: number): number | undefined {
  if (!date) return undefined;
  const serverMs = parseHttpDate(date.trim(), nowMs);
  return serverMs === undefined ? undefined : Math.round((nowMs - serverMs) / 1000);
}

/** What the client knew when a request failed below HTTP. */
export interface TransportContext {
  /** Host of the URL being requested. */
  host: string;
  /** The proxy in use, if any. */
  proxy?: URL;
  /** True when our own timer ended the request. */
  timedOut?: boolean;
  /** True when the caller's signal ended the request. */
  cancelled?: boolean;
  timeoutMs?: number;
}

const TLS_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check the system clock)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is issued by an authority this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is issued by an authority this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is issued by an authority this machine does not trust',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for a different host name',
  CERT_REVOKED: 'its certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'its certificate signature is invalid',
};

const CONNECT_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ECONNREFUSED'];
const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);

/**
 * Maps an error thrown below HTTP (axios, Node sockets, TLS, proxy agents) to a NoonError that names the host.
 *
 * @param error whatever the request rejected with
 * @param ctx the host, proxy and whether our timer or the caller ended it
 */
export function explainTransportError(error: unknown, ctx: TransportContext): NoonError {
  if (error instanceof NoonError) return error;
  const { host, proxy } = ctx;
  const codes = errorCodes(error);
  const text = errorText(error);

  if (ctx.cancelled) return new NoonError('cancelled', 'The request was cancelled.', { host, cause: error });
  if (ctx.timedOut || codes.has('ETIMEDOUT') || codes.has('ECONNABORTED') || codes.has('ESOCKETTIMEDOUT')) {
    const after = ctx.timeoutMs === undefined ? '' : ` after ${describeSeconds(Math.round(ctx.timeoutMs / 1000))}`;
    return new NoonError('timeout', `${host} did not answer in time${after}.`, { host, cause: error });
  }
  if (codes.has('ERR_CANCELED'))
    return new NoonError('cancelled', 'The request was cancelled.', { host, cause: error });

  // Through a proxy we only ever resolve and connect to the proxy itself: the proxy reaches the gateway.
  if (proxy && (CONNECT_CODES.some((code) => codes.has(code)) || /proxy/i.test(text))) {
    const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
    return new NoonError(
      'proxy',
      `The proxy ${proxy.host} could not be used to reach ${host} (${shortReason(codes, text)}).`,
      {
        host: proxyHost,
        cause: error,
      },
    );
  }

  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN') || codes.has('EAI_NONAME') || codes.has('EAI_FAIL')) {
    return new NoonError('dns', `The gateway host ${host} could not be found (DNS).`, { host, cause: error });
  }
  if (codes.has('ECONNREFUSED')) {
    return new NoonError('refused', `${host} refused the connection.`, { host, cause: error });
  }

  const tlsCode = [...codes].find((code) => code in TLS_REASONS);
  if (tlsCode || [...codes].some((code) => code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    const reason = tlsCode ? TLS_REASONS[tlsCode] : 'the secure connection could not be set up';
    return new NoonError('tls', `The secure connection to ${host} failed: ${reason}.`, {
      host,
      cause: error,
      hint: proxy
        ? 'If your proxy inspects HTTPS, add its certificate authority to the system trust store; ' +
          'turning off http.proxyStrictSSL is the last resort.'
        : DEFAULT_HINTS.tls + ' (NODE_EXTRA_CA_CERTS can add a company CA).',
    });
  }

  if ([...codes].some((code) => NETWORK_CODES.has(code)) || /socket hang up/i.test(text)) {
    return new NoonError('network', `The connection to ${host} broke (${shortReason(codes, text)}).`, {
      host,
      cause: error,
    });
  }
  return new NoonError('network', `The request to ${host} failed (${shortReason(codes, text)}).`, {
    host,
    cause: error,
  });
}

/** The error's own code and those of its causes. */
function errorCodes(error: unknown): Set<string> {
  const codes = new Set<string>();
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    if (typeof current.code === 'string') codes.add(current.code);
    if (current.name === 'AbortError' || current.name === 'CanceledError') codes.add('ERR_CANCELED');
    current = current.cause;
  }
  return codes;
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    if (typeof current.message === 'string') parts.push(current.message);
    current = current.cause;
  }
  return parts.join(' ');
}

/** A reason short enough for a notification: the system code when there is one, else the first words. */
function shortReason(codes: Set<string>, text: string): string {
  const code = [...codes].find((candidate) => candidate !== 'ERR_BAD_REQUEST' && candidate !== 'ERR_NETWORK');
  if (code) return code;
  return plainServerText(text).slice(0, 80) || 'unknown error';
}
