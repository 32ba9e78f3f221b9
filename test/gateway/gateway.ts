import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { serveApi } from './apiRoutes';
import { CONTROL_PREFIX, serveControl } from './controlRoutes';
import { GatewayState, PARTNER_COOKIE, SESSION_COOKIE, SESSION_LIFETIME_S } from './gatewayState';
import { checkLogin } from './loginCheck';
import { codeForHttpStatus, rpcStatus, sendJsonText, sendRpcStatus } from './rpcStatus';
import { createTestCa } from './testCa';
import { serveTestPath } from './testPaths';

export interface TestAccount {
  keyId: string;
  publicKeyPem: string;
  projectCode: string;
  username: string;
  userCode: string;
  /** Projects `default_project_code` and `X-Project` may name; defaults to `[projectCode]`. */
  allowedProjects?: string[];
  deactivated?: boolean;
}

export interface GatewayOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** HTTPS with a throwaway CA (default) or plain HTTP. */
  tls?: boolean;
  accounts?: TestAccount[];
  /** Where ca.pem is written; a fresh temp dir (removed on close) by default. */
  dir?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string exactly as requested. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Epoch milliseconds when the request was complete. */
  at: number;
}

export interface ScriptedAnswer {
  /** Path prefix (the query string counts); by default any path but /__gateway and /exfil. */
  match?: string;
  method?: string;
  status: number;
  headers?: Record<string, string | string[]>;
  /** Sent as is. When left out, an error status gets a matching rpcStatus JSON body and others an empty body. */
  body?: string;
  /** How many requests this answer serves: default 1, Infinity allowed. */
  times?: number;
  delayMs?: number;
  /** Drop the connection without answering, like a network failure. */
  destroy?: boolean;
  /** Answer normally but add `headers` to the real answer (status and body are ignored). */
  augment?: boolean;
}

export interface GatewayStats {
  logins: number;
  failedLogins: number;
  requests: RecordedRequest[];
  exfil: RecordedRequest[];
}

export interface Gateway {
  /** e.g. https://127.0.0.1:43123 (also reachable as https://localhost:43123). */
  url: string;
  caPem: string;
  caFile: string;
  register(a: TestAccount): void;
  /** Queues a canned answer that is used before normal handling. */
  script(a: ScriptedAnswer): void;
  /** Every existing session cookie stops working; API calls then answer 401. */
  expireSessions(): void;
  setLatency(ms: number): void;
  /** Drops scripts, latency, sessions and counters; accounts stay registered. */
  reset(): void;
  stats(): GatewayStats;
  close(): Promise<void>;
}

export const LOGIN_PATH = '/identity/public/v1/api/login';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function defaultMessage(status: number): string {
  if (status === 401) {
    return 'session expired';
  }
  if (status === 429) {
    return 'rate limit exceeded';
  }
  return (http.STATUS_CODES[status] ?? `status ${status}`).toLowerCase();
}

function answerScripted(req: http.IncomingMessage, res: http.ServerResponse, a: ScriptedAnswer): void {
  if (a.destroy) {
    req.socket.destroy();
    return;
  }
  let headers: Record<string, string | string[]> = { ...a.headers };
  let body = a.body;
  if (body === undefined && a.status >= 400) {
    body = JSON.stringify(rpcStatus(codeForHttpStatus(a.status), defaultMessage(a.status)));
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers = { ...headers, 'content-type': 'application/json' };
    }
  }
  if (!res.destroyed) {
    res.writeHead(a.status, headers);
    res.end(body ?? '');
  }
}

/** Builds the request handler shared by the IPv4 and IPv6 listeners. */
function createHandler(state: GatewayState, secure: boolean, stopped: AbortSignal) {
  const cookieAttributes = `Path=/; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Lax; Max-Age=${SESSION_LIFETIME_S}`;

  async function login(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    if (req.method !== 'POST') {
      sendRpcStatus(res, 405, 'UNIMPLEMENTED', `method ${req.method} is not allowed on ${LOGIN_PATH}`);
      return;
    }
    const result = await checkLogin(state, req.headers, body);
    if (!result.ok) {
      state.failedLogins += 1;
      sendRpcStatus(res, result.httpStatus, result.code, result.message);
      return;
    }
    state.logins += 1;
    const sid = state.openSession(result.keyId, result.projectCode);
    const partnerId = randomBytes(16).toString('hex');
    // appendHeader keeps any Set-Cookie an augmenting script already added.
    res.appendHeader('set-cookie', [
      `${SESSION_COOKIE}=${sid}; ${cookieAttributes}`,
      `${PARTNER_COOKIE}=${partnerId}; ${cookieAttributes}`,
    ]);
    sendJsonText(res, 200, '{}');
  }

  function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): void {
    const method = req.method ?? 'GET';
    if (!req.headers['user-agent']) {
      sendRpcStatus(res, 400, 'INVALID_ARGUMENT', 'missing User-Agent header');
      return;
    }
    const caller = state.sessionFrom(req.headers.cookie);
    if (!caller) {
      sendRpcStatus(res, 401, 'UNAUTHENTICATED', 'session expired');
      return;
    }
    const requested = req.headers['x-project'];
    if (typeof requested === 'string' && !state.allowedProjects(caller.account).includes(requested)) {
      sendRpcStatus(res, 403, 'PERMISSION_DENIED', 'project not allowed');
      return;
    }
    const projectCode = typeof requested === 'string' ? requested : caller.projectCode;
    if (url.pathname.startsWith('/test/') && serveTestPath(method, url.pathname, url.searchParams, res)) {
      return;
    }
    const call = { method, pathname: url.pathname, query: url.searchParams, headers: req.headers, body, res };
    if (!serveApi({ ...call, account: caller.account, projectCode })) {
      sendRpcStatus(res, 404, 'NOT_FOUND', `no route for ${method} ${url.pathname}`);
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    // Only used to split path and query; nothing is ever fetched from this base.
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const body = await readBody(req);

    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      serveControl(state, method, url.pathname, body, res);
      return;
    }

    const record = { method, path: rawUrl, headers: { ...req.headers }, body, at: Date.now() };
    state.requests.push(record);
    if (url.pathname.startsWith('/exfil')) {
      state.exfil.push(record);
      res.writeHead(204).end();
      return;
    }

    const script = state.takeScript(method, rawUrl);
    const wait = state.latencyMs + (script?.delayMs ?? 0);
    if (wait > 0) {
      await delay(wait, undefined, { signal: stopped });
    }
    if (script && !script.augment) {
      if (url.pathname === LOGIN_PATH) {
        const succeeded = !script.destroy && script.status < 400;
        state[succeeded ? 'logins' : 'failedLogins'] += 1;
      }
      answerScripted(req, res, script);
      return;
    }
    for (const [name, value] of Object.entries(script?.headers ?? {})) {
      res.appendHeader(name, value);
    }
    if (url.pathname === LOGIN_PATH) {
      await login(req, res, body);
    } else {
      api(req, res, url, body);
    }
  }

  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (stopped.aborted || res.destroyed) {
        return;
      }
      if (res.headersSent) {
        res.destroy();
      } else if (err instanceof BodyTooLarge) {
        sendRpcStatus(res, 413, 'INVALID_ARGUMENT', 'request body is too large');
      } else {
        sendRpcStatus(res, 500, 'INTERNAL', `gateway error: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive and hanging (scripted) connections would otherwise hold close() open.
    server.closeAllConnections();
  });
}

/**
 * Starts a Noon-compatible gateway on loopback: login with RS256 JWTs, cookie sessions, a few
 * catalog endpoints, response-viewer fixtures, scripted answers and a control API for tests.
 */
export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
  const secure = opts.tls ?? true;
  const tlsMaterial = await createTestCa();
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'noon-gateway-')));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, tlsMaterial.caPem);

  const state = new GatewayState();
  for (const account of opts.accounts ?? []) {
    state.register(account);
  }
  const stopper = new AbortController();
  // Every delayed answer listens for the stop; many concurrent slow answers are expected here.
  setMaxListeners(0, stopper.signal);
  const handler = createHandler(state, secure, stopper.signal);
  const makeServer = (): http.Server =>
    secure
      ? https.createServer({ key: tlsMaterial.keyPem, cert: tlsMaterial.certPem }, handler)
      : http.createServer(handler);

  const servers = [makeServer()];
  const port = await listen(servers[0], opts.port ?? 0, '127.0.0.1');
  // localhost may resolve to ::1 first; serve it too when the host has IPv6 loopback and the port is free there.
  const v6 = makeServer();
  try {
    await listen(v6, port, '::1');
    servers.push(v6);
  } catch {
    v6.close();
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopper.abort();
      await Promise.all(servers.map(closeServer));
      if (ownDir) {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    return closing;
  };

  return {
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    caPem: tlsMaterial.caPem,
    caFile,
    register: (a) => state.register(a),
    script: (a) => state.addScript(a),
    expireSessions: () => state.expireSessions(),
    setLatency: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new Error('latency must be a non-negative number of milliseconds');
      }
      state.latencyMs = ms;
    },
    reset: () => state.reset(),
    stats: () => state.stats(),
    close,
  };
}
