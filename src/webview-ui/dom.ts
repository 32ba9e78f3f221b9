/**
 * Element helpers. Every piece of server text enters the page through textContent or a text
 * node, never as markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', 'action', label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** A two-column table of header names and values. */
export function headerTable(headers: Array<[string, string]>): HTMLElement {
  if (headers.length === 0) return el('p', 'muted', 'No headers');
  const table = el('table', 'headers');
  const body = el('tbody');
  for (const [name, value] of headers) {
    const row = el('tr');
    row.append(el('th', undefined, name), el('td', undefined, value));
    body.append(row);
  }
  table.append(body);
  return table;
}
