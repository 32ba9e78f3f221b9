import { formatBytes, formatMs } from '../core/body';
import type { ResponseMeta } from '../core/protocol';
import { el } from './dom';

function statusClass(status: number): string {
  if (status >= 500) return 'status-server-error';
  if (status >= 400) return 'status-client-error';
  if (status >= 300) return 'status-redirect';
  return 'status-ok';
}

/** Method, URL, status, timings and sizes on one line. */
export function statusLine(meta: ResponseMeta): HTMLElement {
  const line = el('div', 'status-line');
  const status = el('span', `status ${statusClass(meta.status)}`, `${meta.status} ${meta.statusText}`.trim());
  const { totalMs, loginMs } = meta.timings;
  const time = loginMs !== undefined ? `${formatMs(totalMs)} (login ${formatMs(loginMs)})` : formatMs(totalMs);
  const sizes =
    meta.receivedBytes === meta.bodyBytes
      ? formatBytes(meta.bodyBytes)
      : `${formatBytes(meta.receivedBytes)} received, ${formatBytes(meta.bodyBytes)} decoded`;
  line.append(
    el('span', 'method', meta.request.method),
    el('span', 'url', meta.request.url),
    status,
    el('span', 'time', time),
    el('span', 'size', sizes),
  );
  line.querySelector('.url')?.setAttribute('title', meta.request.url);
  return line;
}
