import type { ResponseMeta } from '../core/protocol';
import { el, headerTable } from './dom';

/** The Headers tab: response headers in the order received. */
export function responseHeadersView(meta: ResponseMeta): HTMLElement[] {
  return [headerTable(meta.headers)];
}

/** The Request tab: the request as sent, with secrets already masked by the extension. */
export function requestView(meta: ResponseMeta): HTMLElement[] {
  const { request } = meta;
  const parts: HTMLElement[] = [
    el('p', 'request-line', `${request.method} ${request.url}`),
    headerTable(request.headers),
  ];
  if (request.body !== undefined && request.body !== '') {
    parts.push(el('h3', undefined, 'Body'), el('pre', 'request-body', request.body));
  }
  return parts;
}
