import type { ConnectionOptions } from 'node:tls';
import { explainHttpFailure, NoonError } from './errors';
import { cancelled, Exchanger, type Outgoing } from './exchanger';
import { header, requestHeaders } from './headers';
import { signLoginToken } from './jwt';
import { redactUrl } from './redact';
import { parseRetryAfter } from './retryAfter';
import { SessionJar } from './session';
import type { ApiRequest, ApiResponse, CoreLog, HeaderList, Identity, NoonKey } from './types';
import { silentLog } from './types';

export interface ClientOptions {
  /** https://noon-api-gateway.noon.partners or a custom one; no trailing slash needed. */
  gatewayUrl: string;
  /** Sent on every request, e.g. noon-vscode/0.1.0. */
  userAgent: string;
  key: NoonKey;
  /** Per HTTP exchange; default 30000. */
  timeoutMs?: number;
  /** From resolveProxy; undefined = direct. */
  proxyUrl?: URL;
  /** Default true; only the user turning http.proxyStrictSSL off makes it false. */
  strictSSL?: boolean;
  /** Extra trusted CA (PEM), for the test gateway and the demo; the extension relies on the system's trust. */
  ca?: string;
  /** A serialized jar from serializeSession(), to resume without logging in. */
  session?: string;
  /** The jar changed (login, cookie set/expired, sign-out); undefined = no session cookie left. */
  onSessionChanged?: (session: string | undefined) => void;
  log?: CoreLog;
  /** Clock, for tests. */
  now?: () => number;
}

export const LOGIN_PATH = '/identity/public/v1/api/login';
export const WHOAMI_PATH = '/identity/v1/whoami';

const DEFAULT_TIMEOUT_MS = 30_000;

/** A login shared by every caller that needs one; it is aborted only when all of them have given up. */
interface LoginFlight {
  promise: Promise<number>;
  controller: AbortController;
  waiters: number;
}

/**
 * Talks to one Noon gateway with one key: signs in (JWT -> session cookie), keeps the cookie jar, signs in again
 * once when a call answers 401, follows redirects like a browser, and returns every answer as raw bytes.
 */
export class NoonClient {
  readonly gatewayUrl: string;
  private readonly origin: string;
  /** The gateway's host name, for errors. */
  private readonly host: string;
  private readonly key: NoonKey;
  private readonly timeoutMs: number;
  private readonly log: CoreLog;
  private readonly now: () => number;
  private readonly onSessionChanged?: (session: string | undefined) => void;
  private readonly session: SessionJar;
  private readonly wire: Exchanger;
  private flight?: LoginFlight;
  /** Counts successful logins, so a 401 for a request sent before the latest login does not log in again. */
  private loginGeneration = 0;
  /** Fingerprint of the jar as last reported to onSessionChanged. */
  private lastSession: string | undefined;
  private closed = false;
  private readonly cookieValues = new Set<string>();

  constructor(opts: ClientOptions) {
    const gateway = parseGateway(opts.gatewayUrl);
    this.gatewayUrl = gateway.href.replace(/\/+$/, '');
    this.origin = gateway.origin;
    this.host = gateway.hostname;
    this.key = opts.key;
    this.timeoutMs = positiveOr(opts.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.log = opts.log ?? silentLog;
    this.now = opts.now ?? Date.now;
    this.onSessionChanged = opts.onSessionChanged;
    this.session = new SessionJar(gateway, opts.session, this.log);
    this.lastSession = this.session.fingerprint();
    const tls: ConnectionOptions = { rejectUnauthorized: opts.strictSSL !== false };
    if (opts.ca) tls.ca = opts.ca;
    this.wire = new Exchanger({
      origin: this.origin,
      userAgent: opts.userAgent.trim() || 'noon-vscode',
      proxyUrl: opts.proxyUrl,
      tls,
      session: this.session,
      log: this.log,
      now: this.now,
      onCookiesStored: () => this.sessionMayHaveChanged(),
    });
  }

  /** True when a non-expired cookie for the gateway exists. */
  hasSession(): boolean {
    return this.session.hasSession();
  }

  /**
   * Logs in afresh, then asks who we are.
   *
   * @returns the identity and the milliseconds the login took
   */
  async signIn(signal?: AbortSignal): Promise<{ identity: Identity; loginMs: number }> {
    const loginMs = await this.joinLogin(signal);
    const identity = await this.whoami(signal);
    return { identity, loginMs };
  }

  /** `GET /identity/v1/whoami`; logs in first when there is no session, and again once on 401. */
  async whoami(signal?: AbortSignal): Promise<Identity> {
    const response = await this.send({ method: 'GET', path: WHOAMI_PATH }, { signal });
    const text = utf8(response.body);
    if (response.status !== 200) {
      throw this.failure('whoami', response.status, text, response.headers);
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    if (typeof fields.user_code !== 'string' || typeof fields.username !== 'string') {
      throw new NoonError('bad-response', 'The gateway answered whoami without a user_code and username.', {
        status: response.status,
        host: this.host,
      });
    }
    return { userCode: fields.user_code, username: fields.username };
  }

  /**
   * Sends any request to the gateway and returns the answer, whatever its status.
   *
   * @throws NoonError for transport failures (dns, refused, timeout, tls, proxy, network, cancelled), a failed
   *   (re)login, a request for another origin (bad-request), or 401 again after signing in anew (unauthenticated)
   */
  async send(req: ApiRequest, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ApiResponse> {
    const started = this.now();
    const url = this.resolveUrl(req.path);
    const timeoutMs = positiveOr(opts.timeoutMs, this.timeoutMs);
    const outgoing = this.outgoing(req);
    let loginMs: number | undefined;

    // Requests made while a login runs would carry the dead cookie; they wait for the new one instead.
    if (this.flight || !this.session.hasSession()) {
      loginMs = await this.joinLogin(opts.signal);
    }

    const generation = this.loginGeneration;
    let result = await this.wire.request(url, outgoing, opts.signal, timeoutMs);
    if (result.status === 401 && result.url.origin === this.origin) {
      this.log.info('The gateway answered 401; signing in again.');
      const reloginMs = await this.reloginAfter(generation, opts.signal);
      loginMs = (loginMs ?? 0) + reloginMs;
      result = await this.wire.request(url, outgoing, opts.signal, timeoutMs);
      if (result.status === 401 && result.url.origin === this.origin) {
        throw this.failure('request', 401, utf8(result.body), result.headers);
      }
    }

    return {
      request: {
        method: result.method,
        url: redactUrl(result.url.href),
        headers: result.sentHeaders,
        body: result.method === outgoing.method ? req.body : undefined,
      },
      status: result.status,
      statusText: result.statusText,
      headers: result.headers,
      body: result.body,
      receivedBytes: result.receivedBytes,
      timings: { totalMs: this.now() - started, loginMs },
    };
  }

  /** Forgets the session: clears the jar and reports that no session is left. */
  signOut(): void {
    this.flight?.controller.abort();
    this.session.clear();
    this.lastSession = undefined;
    this.notify(undefined);
  }

  /** The jar as text for secret storage, or undefined when no session cookie is left. */
  serializeSession(): string | undefined {
    return this.session.serialize();
  }

  /**
   * The Cookie header this client would send to `url` on the gateway, for an explicit user action such as
   * copying a request with its cookie. Never log the result.
   */
  cookieHeaderFor(url: string): string | undefined {
    return this.session.cookieHeader(this.resolveUrl(url).href);
  }

  /**
   * Resolves a gateway-relative path (or a full URL on the gateway's origin).
   *
   * @throws NoonError('bad-request') for a URL on another origin or one that cannot be parsed
   */
  resolveUrl(path: string): URL {
    const trimmed = path.trim();
    let url: URL;
    try {
      url = /^[a-z][a-z0-9+.-]*:/i.test(trimmed)
        ? new URL(trimmed)
        : new URL(`${this.gatewayUrl}${trimmed.startsWith('/') ? '' : '/'}${trimmed}`);
    } catch {
      throw new NoonError('bad-request', `“${trimmed.slice(0, 200)}” is not a valid path or URL.`, {
        hint: 'Use a path such as /identity/v1/whoami, or a full URL on the configured gateway.',
      });
    }
    if (url.origin !== this.origin) {
      throw new NoonError('bad-request', `${url.origin} is not the configured gateway (${this.origin}).`, {
        host: url.hostname,
        hint: 'Use a path on the configured gateway, or change noon.gateway / noon.customGatewayUrl.',
      });
    }
    return url;
  }

  /** Closes pooled connections. */
  dispose(): void {
    this.closed = true;
    this.flight?.controller.abort();
    this.wire.dispose();
  }

  /** Joins the login in flight, or starts one. Resolves with the milliseconds this caller waited. */
  private joinLogin(signal?: AbortSignal): Promise<number> {
    if (!this.flight) {
      const controller = new AbortController();
      const flight: LoginFlight = { controller, waiters: 0, promise: this.login(controller.signal) };
      this.flight = flight;
      // Every waiter may have left (cancelled) by the time it settles; the rejection is theirs, not unhandled.
      flight.promise
        .catch(() => undefined)
        .finally(() => {
          if (this.flight === flight) this.flight = undefined;
        });
    }
    return this.wait(this.flight, signal);
  }

  /** After a 401: log in again unless a login finished since that request was sent. */
  private reloginAfter(generation: number, signal?: AbortSignal): Promise<number> {
    if (this.loginGeneration !== generation && !this.flight) return Promise.resolve(0);
    return this.joinLogin(signal);
  }

  private wait(flight: LoginFlight, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(cancelled(this.host));
    const started = this.now();
    flight.waiters += 1;

    return new Promise<number>((resolve, reject) => {
      const leave = (): void => {
        signal?.removeEventListener('abort', onAbort);
        flight.waiters -= 1;
      };
      const onAbort = (): void => {
        leave();
        if (flight.waiters === 0) flight.controller.abort();
        reject(cancelled(this.host));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        () => {
          if (signal?.aborted) return;
          leave();
          resolve(this.now() - started);
        },
        (error: unknown) => {
          if (signal?.aborted) return;
          leave();
          reject(error);
        },
      );
    });
  }

  /** Posts a fresh JWT and keeps the cookies the gateway sets. */
  private async login(signal: AbortSignal): Promise<number> {
    const started = this.now();
    const url = this.resolveUrl(LOGIN_PATH);
    // The old cookie is known to be dead (401) or the user asked for a fresh session.
    this.session.clear();
    try {
      const token = await signLoginToken(this.key, this.now());
      const body = JSON.stringify({ token, default_project_code: this.key.projectCode });
      const outgoing: Outgoing = {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: Buffer.from(body, 'utf8'),
      };
      const result = await this.wire.request(url, outgoing, signal, this.timeoutMs, { noCrossOrigin: true });
      if (result.status < 200 || result.status > 299) {
        throw this.failure('sign-in', result.status, utf8(result.body), result.headers, [token]);
      }
      if (!this.session.hasSession()) {
        throw new NoonError('bad-response', `Sign-in answered HTTP ${result.status} but set no session cookie.`, {
          status: result.status,
          host: url.hostname,
        });
      }
      this.loginGeneration += 1;
      const ms = this.now() - started;
      this.log.info(`Signed in to ${url.host} in ${ms} ms.`);
      return ms;
    } catch (error) {
      const reason = error instanceof NoonError ? `${error.kind}: ${error.message}` : 'unexpected error';
      this.log.warn(`Sign-in to ${url.host} failed (${reason}).`);
      throw error;
    } finally {
      this.sessionMayHaveChanged();
    }
  }

  private failure(
    phase: 'sign-in' | 'whoami' | 'request',
    status: number,
    body: string,
    headers: HeaderList,
    secrets: string[] = [],
  ): NoonError {
    const nowMs = this.now();
    return explainHttpFailure({
      phase,
      status,
      body,
      host: this.host,
      date: header(headers, 'date'),
      retryAfterSeconds: parseRetryAfter(header(headers, 'retry-after'), nowMs),
      nowMs,
      // A server may echo a cookie it was sent, the current one or one it just replaced: masked like the token.
      secrets: [...secrets, ...this.rememberCookieValues()],
    });
  }

  private outgoing(req: ApiRequest): Outgoing {
    const headers = requestHeaders(req.headers);
    const body = req.body === undefined || req.body === '' ? undefined : Buffer.from(req.body, 'utf8');
    if (body && !('content-type' in headers)) headers['content-type'] = 'application/json';
    return { method: req.method, headers, body };
  }

  /** Reports the jar when it differs from what was last reported. */
  /** Every cookie value this client has held; kept in memory only, to mask echoes of them. */
  private rememberCookieValues(): string[] {
    for (const value of this.session.values()) this.cookieValues.add(value);
    return [...this.cookieValues];
  }

  private sessionMayHaveChanged(): void {
    this.rememberCookieValues();
    const current = this.session.fingerprint();
    if (current === this.lastSession) return;
    this.lastSession = current;
    this.notify(current === undefined ? undefined : this.session.serialize());
  }

  private notify(session: string | undefined): void {
    // A request still on the wire when the client was disposed must not report cookies any more.
    if (this.closed) return;
    try {
      this.onSessionChanged?.(session);
    } catch {
      this.log.warn('A session listener failed.');
    }
  }
}

function parseGateway(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new NoonError('bad-request', `“${value.slice(0, 200)}” is not an http(s) gateway URL.`, {
      hint: 'Set noon.gateway, or noon.customGatewayUrl to a URL such as https://noon-api-gateway.noon.partners.',
    });
  }
  url.search = '';
  url.hash = '';
  return url;
}

/** A caller's timeout when it is a positive number, otherwise the fallback. */
function positiveOr(ms: number | undefined, fallback: number): number {
  return ms && ms > 0 ? ms : fallback;
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}
