import * as http from 'node:http';
import * as https from 'node:https';
import type { GatewayStats, ScriptedAnswer, TestAccount } from './gateway';

/**
 * Steers a gateway running in another process through its `/__gateway/*` API. Uses plain node
 * http(s) with the gateway's CA so it stays independent of the HTTP stack under test.
 */
export class GatewayControl {
  private readonly base: URL;

  constructor(
    url: string,
    private readonly caPem: string,
  ) {
    this.base = new URL(url);
  }

  async script(a: ScriptedAnswer): Promise<void> {
    // JSON cannot carry Infinity, so it travels as a string the gateway understands.
    const times = a.times === Infinity ? 'Infinity' : a.times;
    await this.call('POST', 'script', { ...a, times });
  }

  async expireSessions(): Promise<void> {
    await this.call('POST', 'expire', {});
  }

  async setLatency(ms: number): Promise<void> {
    await this.call('POST', 'latency', { ms });
  }

  async reset(): Promise<void> {
    await this.call('POST', 'reset', {});
  }

  async register(a: TestAccount): Promise<void> {
    await this.call('POST', 'register', a);
  }

  async stats(): Promise<GatewayStats> {
    return (await this.call('GET', 'stats')) as GatewayStats;
  }

  private call(method: string, command: string, payload?: unknown): Promise<unknown> {
    const target = new URL(`/__gateway/${command}`, this.base);
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const options: https.RequestOptions = {
      method,
      headers:
        body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      agent: false,
    };
    return new Promise((resolve, reject) => {
      const onResponse = (res: http.IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            reject(new Error(`gateway control ${command}: HTTP ${res.statusCode}, not JSON`));
            return;
          }
          if (res.statusCode !== 200) {
            const message = (parsed as { error?: string }).error ?? `HTTP ${res.statusCode}`;
            reject(new Error(`gateway control ${command}: ${message}`));
            return;
          }
          resolve(parsed);
        });
      };
      const req =
        target.protocol === 'https:'
          ? https.request(target, { ...options, ca: this.caPem }, onResponse)
          : http.request(target, options, onResponse);
      req.on('error', reject);
      req.end(body);
    });
  }
}
