/**
 * Runs inside the test page before the viewer: stands in for the VS Code webview API and
 * delivers responses the way the extension does (start, 1 MB chunks, end).
 */
import { responseMessages } from '../../src/core/protocol';
import type { ApiResponse, HeaderList } from '../../src/core/types';

interface Posted {
  type: string;
  /** performance.now() when the page posted it. */
  at: number;
  [key: string]: unknown;
}

export interface HarnessApi {
  posted: Posted[];
  violations: string[];
  longTasks: Array<{ start: number; duration: number }>;
  /** performance.now() when the last delivery started. */
  deliveredAt: number;
  deliver(response: HarnessResponse): number;
  jsonOfSize(bytes: number): string;
}

export interface HarnessResponse {
  seq?: number;
  status?: number;
  statusText?: string;
  headers?: HeaderList;
  /** Text (encoded as UTF-8) or raw bytes as an array of numbers. */
  text?: string;
  bytes?: number[];
  requestHeaders?: HeaderList;
}

const STATE_KEY = 'viewer-harness-state';
const posted: Posted[] = [];
const violations: string[] = [];
const longTasks: Array<{ start: number; duration: number }> = [];
let seq = 0;

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const api: HarnessApi = {
  posted,
  violations,
  longTasks,
  deliveredAt: 0,
  deliver(r) {
    const body = r.bytes ? Uint8Array.from(r.bytes) : new TextEncoder().encode(r.text ?? '');
    const response: ApiResponse = {
      request: {
        method: 'GET',
        url: 'https://gateway.test/orders/v1/orders?limit=2',
        headers: r.requestHeaders ?? [['user-agent', 'NoonForVSCode/0.1.0'], ['cookie', 'session=<masked>']],
      },
      status: r.status ?? 200,
      statusText: r.statusText ?? 'OK',
      headers: r.headers ?? [['content-type', 'application/json']],
      body,
      receivedBytes: body.byteLength,
      timings: { totalMs: 123, loginMs: 45 },
    };
    const id = r.seq ?? ++seq;
    api.deliveredAt = performance.now();
    for (const message of responseMessages(id, response)) window.postMessage(message, '*');
    return id;
  },
  jsonOfSize(bytes) {
    const items: string[] = [];
    let size = 20;
    for (let i = 0; size < bytes; i++) {
      const item =
        `{"id": ${9007199254740993 + i}, "order_nr": "N${i}", "price": 10.10, "qty": ${i % 7}, ` +
        `"active": ${i % 2 === 0}, "note": null, "tags": ["a", "b"]}`;
      items.push(item);
      size += item.length + 2;
    }
    return `{"items": [${items.join(', ')}], "count": ${items.length}}`;
  },
};

(window as unknown as { __harness: HarnessApi }).__harness = api;
(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: (m: { type: string; [key: string]: unknown }) => posted.push({ ...m, at: performance.now() }),
  getState: () => {
    const raw = sessionStorage.getItem(STATE_KEY);
    return raw ? JSON.parse(raw) : undefined;
  },
  setState: (s: unknown) => sessionStorage.setItem(STATE_KEY, JSON.stringify(s)),
});
