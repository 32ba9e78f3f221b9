import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Agent as HttpAgent, ClientRequest } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { explainHttpFailure, explainTransportError, NoonError } from './errors';
import { signLoginToken } from './jwt';
import { redactHeaders, redactUrl } from './redact';
import { parseRetryAfter } from './retryAfter';
import { SessionJar } from './session';
import type { ApiRequest, ApiResponse, CoreLog, HeaderList, HttpMethod, Identity, NoonKey } from './types';
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
const MAX_BODY_BYTES = 200 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers the client owns; a user-supplied value would be wrong or unsafe on the wire. */
const RESERVED_HEADERS = new Set(['user-agent', 'host', 'content-length', 'connection', 'transfer-encoding']);
/** Credentials that must not follow a redirect to another origin. */
const CROSS_ORIGIN_DROPPED = new Set(['authorization', 'cookie', 'proxy-authorization']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** One HTTP exchange as it happened on the wire (no redirects followed). */
interface Exchange {
  url: URL;
  method: HttpMethod;
  status: number;
  statusText: string;
  headers: HeaderList;
  sentHeaders: HeaderList;
  body: Uint8Array;
  receivedBytes: number;
}

interface Outgoing {
  method: HttpMethod;
  headers: Record<string, string>;
  body?: Buffer;
}

/** A login shared by every caller that needs one; it is aborted only when all of them have given up. */
interface LoginFlight {
  promise: Promise<number>;
  controller: AbortController;
  waiters: number;
}

interface Agents {
  http: HttpAgent;
  https: HttpAgent;
}

/** What axios calls to open a request; ours adds the TLS options to each request. */
interface Transport {
  request(options: https.RequestOptions, callback: (res: http.IncomingMessage) => void): ClientRequest;
}

/**
 * Talks to one Noon gateway with one key: signs in (JWT -> session cookie), keeps the cookie jar, signs in again
 * once when a call answers 401, follows redirects like a browser, and returns every answer as raw bytes.
 */
export class NoonClient {
  readonly gatewayUrl: string;
  private readonly origin: string;
  private readonly key: NoonKey;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly proxyUrl?: URL;
  private readonly log: CoreLog;
  private readonly now: () => number;
  private readonly onSessionChanged?: (session: string | undefined) => void;
  private readonly session: SessionJar;
  private readonly agents: Agents;
  private readonly transport: Transport;
  private readonly http: AxiosInstance;
  /** Requests that a proxy refused to tunnel, with the proxy's status. */
  private readonly refusedTunnels = new WeakMap<ClientRequest, number>();
  private flight?: LoginFlight;
  /** Counts successful logins, so a 401 for a request sent before the latest login does not log in again. */
  private loginGeneration = 0;
  /** Fingerprint of the jar as last reported to onSessionChanged. */
  private lastSession: string | undefined;

  constructor(opts: ClientOptions) {
    const gateway = parseGateway(opts.gatewayUrl);
    this.gatewayUrl = gateway.href.replace(/\/+$/, '');
    this.origin = gateway.origin;
    this.key = opts.key;
    this.userAgent = opts.userAgent.trim() || 'noon-vscode';
    this.timeoutMs = opts.timeoutMs && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_TIMEOUT_MS;
    this.proxyUrl = opts.proxyUrl;
    this.log = opts.log ?? silentLog;
    this.now = opts.now ?? Date.now;
    this.onSessionChanged = opts.onSessionChanged;
    this.session = new SessionJar(gateway, opts.session, this.log);
    this.lastSession = this.session.fingerprint();
    const tls: ConnectionOptions = { rejectUnauthorized: opts.strictSSL !== false };
    if (opts.ca) tls.ca = opts.ca;
    this.agents = this.createAgents(opts.proxyUrl, tls);
    this.transport = tlsTransport(tls);
    this.http = axios.create({ proxy: false });
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
    const text = Buffer.from(response.body).toString('utf8');
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
        host: new URL(this.gatewayUrl).hostname,
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
    const timeoutMs = opts.timeoutMs && opts.timeoutMs > 0 ? opts.timeoutMs : this.timeoutMs;
    const outgoing = this.outgoing(req);
    let loginMs: number | undefined;

    // Requests made while a login runs would carry the dead cookie; they wait for the new one instead.
    if (this.flight || !this.session.hasSession()) {
      loginMs = await this.joinLogin(opts.signal);
    }

    const generation = this.loginGeneration;
    let result = await this.request(url, outgoing, opts.signal, timeoutMs);
    if (result.status === 401 && result.url.origin === this.origin) {
      this.log.info('The gateway answered 401; signing in again.');
      const reloginMs = await this.reloginAfter(generation, opts.signal);
      loginMs = (loginMs ?? 0) + reloginMs;
      result = await this.request(url, outgoing, opts.signal, timeoutMs);
      if (result.status === 401 && result.url.origin === this.origin) {
        throw this.failure('request', 401, Buffer.from(result.body).toString('utf8'), result.headers);
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
    for (const agent of Object.values(this.agents) as HttpAgent[]) agent.destroy();
  }

  /**
   * Plain agents: cookies are added and kept per request (see exchange), not by the agent. VS Code's extension
   * host replaces the agent of a request for most hosts when `http.proxySupport` is `override` (its default),
   * so nothing that must happen may depend on the agent being ours.
   */
  private createAgents(proxy: URL | undefined, tls: ConnectionOptions): Agents {
    const pool = { keepAlive: true };
    if (!proxy) return { http: new http.Agent(pool), https: new https.Agent({ ...pool, ...tls }) };

    const agents = {
      http: new HttpProxyAgent(proxy, { ...pool, ...tls }),
      https: new TunnelAgent(proxy, { ...pool, ...tls }, tls),
    };
    agents.https.on('proxyConnect', (connect: { statusCode: number }, req: ClientRequest) => {
      if (connect.statusCode !== 200) this.refusedTunnels.set(req, connect.statusCode);
    });
    return agents;
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
    const host = new URL(this.gatewayUrl).hostname;
    if (signal?.aborted) return Promise.reject(cancelled(host));
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
        reject(cancelled(host));
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
      const result = await this.request(url, outgoing, signal, this.timeoutMs, { noCrossOrigin: true });
      if (result.status < 200 || result.status > 299) {
        throw this.failure('sign-in', result.status, Buffer.from(result.body).toString('utf8'), result.headers, [
          token,
        ]);
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
      host: new URL(this.gatewayUrl).hostname,
      date: header(headers, 'date'),
      retryAfterSeconds: parseRetryAfter(header(headers, 'retry-after'), nowMs),
      nowMs,
      secrets,
    });
  }

  private outgoing(req: ApiRequest): Outgoing {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      const lower = name.trim().toLowerCase();
      if (!HEADER_NAME.test(lower) || /[\r\n\0]/.test(value)) {
        throw new NoonError('bad-request', `The header “${name.slice(0, 100)}” has characters HTTP does not allow.`, {
          hint: 'Remove line breaks and special characters from the header name and value.',
        });
      }
      if (!RESERVED_HEADERS.has(lower)) headers[lower] = value;
    }
    const body = req.body === undefined || req.body === '' ? undefined : Buffer.from(req.body, 'utf8');
    if (body && !('content-type' in headers)) headers['content-type'] = 'application/json';
    return { method: req.method, headers, body };
  }

  /** Sends one request and follows up to five redirects the way a browser does. */
  private async request(
    start: URL,
    first: Outgoing,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    opts: { noCrossOrigin?: boolean } = {},
  ): Promise<Exchange> {
    let url = start;
    let outgoing = first;
    for (let hop = 0; ; hop++) {
      const result = await this.exchange(url, outgoing, signal, timeoutMs);
      const location = header(result.headers, 'location');
      if (!REDIRECTS.has(result.status) || location === undefined) return result;
      if (hop >= MAX_REDIRECTS) {
        throw new NoonError('bad-response', `${redactUrl(start.href)} redirected more than ${MAX_REDIRECTS} times.`, {
          status: result.status,
          host: url.hostname,
        });
      }

      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return result;
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return result;
      if (opts.noCrossOrigin && next.origin !== url.origin) {
        throw new NoonError(
          'bad-response',
          `Sign-in was redirected to ${next.host}; the sign-in token is not sent there.`,
          {
            status: result.status,
            host: next.hostname,
            hint: 'Check that noon.gateway / noon.customGatewayUrl is the gateway itself, not a page that redirects.',
          },
        );
      }
      this.log.debug(`Following ${result.status} to ${redactUrl(next.href)}.`);
      outgoing = redirected(outgoing, result.status, next.origin !== url.origin);
      url = next;
    }
  }

  /** One HTTP exchange: no redirects, body kept as bytes, transport failures turned into NoonErrors. */
  private async exchange(
    url: URL,
    out: Outgoing,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<Exchange> {
    const ctx = { host: url.hostname, proxy: this.proxyUrl, timeoutMs, timedOut: false, cancelled: false };
    if (signal?.aborted) throw cancelled(url.hostname);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      ctx.timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => {
      ctx.cancelled = true;
      controller.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const toGateway = url.origin === this.origin;
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...out.headers };
    // Session cookies go to the gateway only; a hop to another origin carries none.
    const cookie = toGateway ? this.session.cookieHeader(url.href, out.headers.cookie) : out.headers.cookie;
    if (cookie) headers.cookie = cookie;
    else delete headers.cookie;
    headers['user-agent'] = this.userAgent;
    const started = this.now();
    this.log.debug(`→ ${out.method} ${redactUrl(url.href)}`);
    try {
      const response = await this.http.request<Buffer>({
        url: url.href,
        method: out.method,
        // Only codings decodeBody understands are offered, unless the user asked for something else.
        headers,
        data: out.body,
        signal: controller.signal,
        responseType: 'arraybuffer',
        // Decoding happens below, so the bytes that crossed the wire can be counted honestly.
        decompress: false,
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        maxContentLength: MAX_BODY_BYTES,
        maxBodyLength: MAX_BODY_BYTES,
        proxy: false,
        httpAgent: this.agents.http,
        httpsAgent: this.agents.https,
        transport: this.transport,
      });
      const result = await this.toExchange(url, out.method, response);
      this.log.debug(`← ${result.status} ${out.method} ${redactUrl(url.href)} in ${this.now() - started} ms`);
      this.log.debug(`  sent ${formatHeaders(result.sentHeaders)}`);
      this.log.debug(`  received ${formatHeaders(redactHeaders(result.headers))}`);
      const setCookies = result.headers.filter(([name]) => name === 'set-cookie').map(([, value]) => value);
      if (toGateway && setCookies.length > 0) {
        this.session.store(setCookies, url.href);
        this.sessionMayHaveChanged();
      }
      return result;
    } catch (error) {
      const failure = explainTransportError(error, ctx);
      if (failure.kind !== 'cancelled') {
        this.log.warn(`✕ ${out.method} ${redactUrl(url.href)}: ${failure.kind} (${failure.message})`);
      }
      throw failure;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async toExchange(url: URL, method: HttpMethod, response: AxiosResponse<Buffer>): Promise<Exchange> {
    const req = response.request as ClientRequest;
    const refused = this.refusedTunnels.get(req);
    if (refused !== undefined && this.proxyUrl) {
      throw new NoonError(
        'proxy',
        `The proxy ${this.proxyUrl.host} refused to connect to ${url.host} (HTTP ${refused}).`,
        {
          status: refused,
          host: this.proxyUrl.hostname,
          hint:
            refused === 407
              ? 'The proxy wants credentials: put them in the http.proxy setting (http://user:password@host:port).'
              : undefined,
        },
      );
    }

    const headers = receivedHeaders(response);
    const raw = Buffer.isBuffer(response.data) ? response.data : Buffer.from(response.data ?? []);
    const body = await decodeBody(raw, header(headers, 'content-encoding'), url.hostname);
    return {
      url,
      method,
      status: response.status,
      statusText: response.statusText ?? '',
      headers,
      sentHeaders: redactHeaders(sentHeaders(req)),
      body,
      receivedBytes: raw.length,
    };
  }

  /** Reports the jar when it differs from what was last reported. */
  private sessionMayHaveChanged(): void {
    const current = this.session.fingerprint();
    if (current === this.lastSession) return;
    this.lastSession = current;
    this.notify(current === undefined ? undefined : this.session.serialize());
  }

  private notify(session: string | undefined): void {
    try {
      this.onSessionChanged?.(session);
    } catch {
      this.log.warn('A session listener failed.');
    }
  }
}

/** An HTTPS-proxy tunnel that applies our TLS settings to the gateway's certificate, not only the proxy's. */
class TunnelAgent extends HttpsProxyAgent<string> {
  private readonly targetTls: ConnectionOptions;

  constructor(
    proxy: URL,
    opts: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    targetTls: ConnectionOptions,
  ) {
    super(proxy, opts);
    this.targetTls = targetTls;
  }

  override connect(
    ...[req, opts]: Parameters<HttpsProxyAgent<string>['connect']>
  ): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(req, { ...opts, ...this.targetTls } as typeof opts);
  }
}

/**
 * Opens requests through the http/https modules as they are at call time (VS Code may have wrapped them), with
 * our TLS options on the request itself: when the host swaps the agent, the request's own options still apply.
 */
function tlsTransport(tls: ConnectionOptions): Transport {
  return {
    request(options, callback) {
      if (options.protocol === 'https:') return https.request({ ...options, ...tls }, callback);
      return http.request(options, callback);
    },
  };
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

/**
 * The request a redirect leads to: 303 (and 301/302 for anything but GET/HEAD) becomes a GET without body;
 * 307/308 repeat method and body. Credentials never cross to another origin.
 */
function redirected(out: Outgoing, status: number, crossOrigin: boolean): Outgoing {
  const toGet = status === 303 ? out.method !== 'HEAD' : (status === 301 || status === 302) && out.method === 'POST';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(out.headers)) {
    if (crossOrigin && CROSS_ORIGIN_DROPPED.has(name.toLowerCase())) continue;
    if (toGet && /^content-/i.test(name)) continue;
    headers[name] = value;
  }
  return toGet ? { method: 'GET', headers } : { method: out.method, headers, body: out.body };
}

function header(headers: HeaderList, name: string): string | undefined {
  return headers.find(([key]) => key === name)?.[1];
}

/** Response headers in wire order with repeats, names lower-cased. */
function receivedHeaders(response: AxiosResponse): HeaderList {
  // Node keeps the parsed response on the request; axios's own header object loses order and repeats.
  const raw = (response.request as { res?: http.IncomingMessage } | undefined)?.res?.rawHeaders;
  const list: HeaderList = [];
  if (raw) {
    for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i].toLowerCase(), raw[i + 1]]);
    return list;
  }
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) list.push([name.toLowerCase(), String(item)]);
  }
  return list;
}

/** The headers Node actually wrote, including the Cookie header the cookie agent added. */
function sentHeaders(req: ClientRequest | undefined): HeaderList {
  if (!req || typeof req.getRawHeaderNames !== 'function') return [];
  const list: HeaderList = [];
  for (const name of req.getRawHeaderNames()) {
    const value = req.getHeader(name);
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) list.push([name.toLowerCase(), String(item)]);
  }
  return list;
}

function formatHeaders(headers: HeaderList): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join(' | ');
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/** Undoes Content-Encoding (gzip, deflate, br; several in order); unknown codings are left as they came. */
async function decodeBody(raw: Buffer, encoding: string | undefined, host: string): Promise<Uint8Array> {
  if (!encoding || raw.length === 0) return raw;
  const limits = { maxOutputLength: MAX_BODY_BYTES };
  let body = raw;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity');
  try {
    for (const coding of codings.reverse()) {
      if (coding === 'gzip' || coding === 'x-gzip') body = await gunzip(body, limits);
      else if (coding === 'br') body = await brotli(body, limits);
      else if (coding === 'deflate') body = await inflate(body, limits).catch(() => inflateRaw(body, limits));
      else return body;
    }
  } catch (error) {
    throw new NoonError('bad-response', `${host} sent a ${encoding} body that could not be decoded.`, {
      host,
      cause: error,
    });
  }
  return body;
}

function cancelled(host: string): NoonError {
  return new NoonError('cancelled', 'The request was cancelled.', { host });
}
