import type { Agent as HttpAgent, ClientRequest } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

/** The connection pools for plain and TLS requests. */
export interface Agents {
  http: HttpAgent;
  https: HttpAgent;
}

/** What axios calls to open a request; ours adds the TLS options to each request. */
export interface Transport {
  request(options: https.RequestOptions, callback: (res: http.IncomingMessage) => void): ClientRequest;
}

/**
 * Pooled agents, direct or through `proxy`, that verify certificates as `tls` says. Cookies are added per request,
 * not by the agent: VS Code's extension host replaces the agent of a request for most hosts when
 * `http.proxySupport` is `override` (its default), so nothing that must happen may depend on the agent being ours.
 *
 * @param onRefusedTunnel called for a request whose CONNECT the proxy answered with anything but 200
 */
export function createAgents(
  proxy: URL | undefined,
  tls: ConnectionOptions,
  onRefusedTunnel: (req: ClientRequest, status: number) => void,
): Agents {
  const pool = { keepAlive: true };
  if (!proxy) return { http: new http.Agent(pool), https: new https.Agent({ ...pool, ...tls }) };

  const agents = {
    http: new HttpProxyAgent(proxy, { ...pool, ...tls }),
    https: new TunnelAgent(proxy, { ...pool, ...tls }, tls),
  };
  agents.https.on('proxyConnect', (connect: { statusCode: number }, req: ClientRequest) => {
    if (connect.statusCode !== 200) onRefusedTunnel(req, connect.statusCode);
  });
  return agents;
}

/**
 * Opens requests through the http/https modules as they are at call time (VS Code may have wrapped them), with
 * our TLS options on the request itself: when the host swaps the agent, the request's own options still apply.
 */
export function tlsTransport(tls: ConnectionOptions): Transport {
  return {
    request(options, callback) {
      if (options.protocol === 'https:') return https.request({ ...options, ...tls }, callback);
      return http.request(options, callback);
    },
  };
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
