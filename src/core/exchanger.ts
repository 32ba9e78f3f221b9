import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Agent as HttpAgent, ClientRequest } from 'node:http';
import type { ConnectionOptions } from 'node:tls';
import { type Agents, createAgents, type Transport, tlsTransport } from './agents';
import { decodeBody } from './decodeBody';
import { explainTransportError, NoonError } from './errors';
import { formatHeaders, header, receivedHeaders, sentHeaders } from './headers';
import { redactHeaders, redactUrl } from './redact';
import type { SessionJar } from './session';
import type { CoreLog, HeaderList, HttpMethod } from './types';

const MAX_BODY_BYTES = 200 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Credentials that must not follow a redirect to another origin. */
const CROSS_ORIGIN_DROPPED = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** One HTTP exchange as it happened on the wire (no redirects followed). */
export interface Exchange {
  url: URL;
  method: HttpMethod;
  status: number;
  statusText: string;
  headers: HeaderList;
  sentHeaders: HeaderList;
  body: Uint8Array;
  receivedBytes: number;
}

/** A request as it is about to be sent; header names are lower-case. */
export interface Outgoing {
  method: HttpMethod;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface ExchangerOptions {
  /** The gateway's origin: only requests there carry the session's cookies and keep the ones it sets. */
  origin: string;
  userAgent: string;
  /** undefined = direct. */
  proxyUrl?: URL;
  tls: ConnectionOptions;
  session: SessionJar;
  log: CoreLog;
  now: () => number;
  /** The gateway set cookies and the jar has stored them. */
  onCookiesStored: () => void;
}

/**
 * Moves requests over the wire: adds the session cookie and the User-Agent, follows redirects like a browser,
 * keeps bodies as bytes and turns transport failures into NoonErrors. Knows nothing of logging in.
 */
export class Exchanger {
  private readonly opts: ExchangerOptions;
  private readonly agents: Agents;
  private readonly transport: Transport;
  private readonly http: AxiosInstance;
  /** Requests that a proxy refused to tunnel, with the proxy's status. */
  private readonly refusedTunnels = new WeakMap<ClientRequest, number>();

  constructor(opts: ExchangerOptions) {
    this.opts = opts;
    this.agents = createAgents(opts.proxyUrl, opts.tls, (req, status) => this.refusedTunnels.set(req, status));
    this.transport = tlsTransport(opts.tls);
    this.http = axios.create({ proxy: false });
  }

  /**
   * Sends one request and follows up to five redirects the way a browser does.
   *
   * @param opts.noCrossOrigin refuse a redirect to another origin instead of following it (for the sign-in token)
   * @throws NoonError for transport failures, too many redirects, or a refused cross-origin redirect
   */
  async request(
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
      this.opts.log.debug(`Following ${result.status} to ${redactUrl(next.href)}.`);
      outgoing = redirected(outgoing, result.status, next.origin !== url.origin);
      url = next;
    }
  }

  /** Closes pooled connections. */
  dispose(): void {
    for (const agent of Object.values(this.agents) as HttpAgent[]) agent.destroy();
  }

  /** One HTTP exchange: no redirects, body kept as bytes, transport failures turned into NoonErrors. */
  private async exchange(
    url: URL,
    out: Outgoing,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<Exchange> {
    const { log, now, session } = this.opts;
    const ctx = { host: url.hostname, proxy: this.opts.proxyUrl, timeoutMs, timedOut: false, cancelled: false };
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

    const toGateway = url.origin === this.opts.origin;
    // Only codings decodeBody understands are offered, unless the user asked for something else.
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...out.headers };
    // Session cookies go to the gateway only; a hop to another origin carries none.
    const cookie = toGateway ? session.cookieHeader(url.href, out.headers.cookie) : out.headers.cookie;
    if (cookie) headers.cookie = cookie;
    else delete headers.cookie;
    headers['user-agent'] = this.opts.userAgent;
    const started = now();
    log.debug(`→ ${out.method} ${redactUrl(url.href)}`);
    try {
      const response = await this.http.request<Buffer>({
        url: url.href,
        method: out.method,
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
      log.debug(`← ${result.status} ${out.method} ${redactUrl(url.href)} in ${now() - started} ms`);
      log.debug(`  sent ${formatHeaders(result.sentHeaders)}`);
      log.debug(`  received ${formatHeaders(redactHeaders(result.headers))}`);
      const setCookies = result.headers.filter(([name]) => name === 'set-cookie').map(([, value]) => value);
      if (toGateway && setCookies.length > 0) {
        session.store(setCookies, url.href);
        this.opts.onCookiesStored();
      }
      return result;
    } catch (error) {
      const failure = explainTransportError(error, ctx);
      if (failure.kind !== 'cancelled') {
        log.warn(`✕ ${out.method} ${redactUrl(url.href)}: ${failure.kind} (${failure.message})`);
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
    const proxy = this.opts.proxyUrl;
    if (refused !== undefined && proxy) {
      throw new NoonError('proxy', `The proxy ${proxy.host} refused to connect to ${url.host} (HTTP ${refused}).`, {
        status: refused,
        host: proxy.hostname,
        hint:
          refused === 407
            ? 'The proxy wants credentials: put them in the http.proxy setting (http://user:password@host:port).'
            : undefined,
      });
    }

    const headers = receivedHeaders(response);
    const raw = Buffer.isBuffer(response.data) ? response.data : Buffer.from(response.data ?? []);
    const body = await decodeBody(raw, header(headers, 'content-encoding'), url.hostname, MAX_BODY_BYTES);
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
}

/** The error for a request its caller gave up on. */
export function cancelled(host: string): NoonError {
  return new NoonError('cancelled', 'The request was cancelled.', { host });
}

/**
 * The request a redirect leads to: 303 (except after HEAD) and a 301/302 after POST become a GET without body;
 * otherwise method and body are repeated. Credentials never cross to another origin.
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
