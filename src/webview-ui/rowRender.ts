import { el } from './dom';
import type { Finder } from './find';
import type { FoldMap } from './foldMap';
import type { LineModel, Token } from './lineModel';

/** Longest piece of a single value drawn in a row; copy, save and open still give all of it. */
export const MAX_TOKEN_CHARS = 2000;

/** Appends `text` (starting at body offset `offset`) to `parent`, marking find hits. */
function appendMarked(parent: HTMLElement, text: string, offset: number, hits: Array<[number, boolean]>, qlen: number) {
  let pos = 0;
  for (const [hit, current] of hits) {
    const from = Math.max(hit - offset, pos);
    const to = Math.min(hit + qlen - offset, text.length);
    if (to <= from) continue;
    if (from > pos) parent.append(document.createTextNode(text.slice(pos, from)));
    parent.append(el('mark', current ? 'current' : undefined, text.slice(from, to)));
    pos = to;
  }
  if (pos < text.length) parent.append(document.createTextNode(text.slice(pos)));
}

function tokenElement(token: Token, finder: Finder | undefined): HTMLElement {
  const span = el('span', `tok-${token.cls}`);
  const shown = token.text.length > MAX_TOKEN_CHARS ? token.text.slice(0, MAX_TOKEN_CHARS) : token.text;
  const verbatim = token.cls !== 'punct';
  const hits = finder && verbatim ? finder.hitsIn(token.offset, token.offset + shown.length) : [];
  appendMarked(span, shown, token.offset, hits, finder?.query.length ?? 0);
  if (shown.length < token.text.length) {
    span.append(el('span', 'more', ` … ${(token.text.length - shown.length).toLocaleString()} more characters`));
  }
  return span;
}

/** Fills one recycled row element with model row `row`. */
export function fillRow(
  element: HTMLElement,
  model: LineModel,
  folds: FoldMap | undefined,
  row: number,
  finder: Finder | undefined,
): void {
  element.dataset.row = String(row);
  const close = model.closeOf(row);
  const folded = folds?.isFolded(row) ?? false;
  const gutter = el('span', 'gutter', close > row ? (folded ? '▸' : '▾') : ' ');
  if (close > row) gutter.classList.add('fold');
  const parts: Node[] = [gutter, document.createTextNode('  '.repeat(model.depth(row)))];
  for (const token of model.tokens(row)) parts.push(tokenElement(token, finder));
  if (folded) {
    const closing = model.tokens(close).map((t) => t.text).join('');
    parts.push(el('span', 'folded', ` … ${(close - row - 1).toLocaleString()} rows `));
    parts.push(el('span', 'tok-punct', closing));
    parts.push(document.createTextNode(model.suffix(close)));
  } else {
    parts.push(document.createTextNode(model.suffix(row)));
  }
  element.replaceChildren(...parts);
}
