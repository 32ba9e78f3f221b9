import { el } from './dom';

/** Must match `.row` height in media/viewer.css. */
export const ROW_HEIGHT = 18;
/** Browsers cap element heights; beyond this the scrollbar is scaled instead of 1:1. */
const MAX_SCROLL_PX = 4_000_000;

/**
 * A fixed-row-height scroller that keeps only the visible rows in the DOM. Rows are recycled
 * elements filled by `fill`; nothing outside the viewport is ever built.
 */
export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private rows = 0;
  private first = 0;
  private frame = 0;

  constructor(private readonly fill: (visibleRow: number, element: HTMLElement) => void) {
    this.element = el('div', 'scroller');
    this.element.tabIndex = 0;
    this.spacer = el('div', 'spacer');
    this.layer = el('div', 'layer');
    this.element.append(this.spacer, this.layer);
    this.element.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  get rowCount(): number {
    return this.rows;
  }

  get firstRow(): number {
    return this.first;
  }

  setRowCount(rows: number): void {
    if (rows === this.rows) return;
    this.rows = rows;
    this.spacer.style.height = `${Math.min(rows * ROW_HEIGHT, MAX_SCROLL_PX)}px`;
    this.schedule();
  }

  /** Scrolls so `row` is visible; `top` puts it first, otherwise only scrolls when it is off screen. */
  scrollToRow(row: number, top = false): void {
    const view = this.viewRows();
    if (!top && row >= this.first && row < this.first + view - 1) return;
    const target = top ? row : Math.max(0, row - Math.floor(view / 3));
    const max = this.maxScroll();
    this.element.scrollTop = this.scaled() ? (target / Math.max(1, this.rows - view)) * max : target * ROW_HEIGHT;
    this.render();
  }

  /** Redraws now (after the content of rows changed). */
  render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const view = this.viewRows();
    const scrollTop = this.element.scrollTop;
    let offset: number;
    if (this.scaled()) {
      const fraction = this.maxScroll() > 0 ? scrollTop / this.maxScroll() : 0;
      this.first = Math.round(fraction * Math.max(0, this.rows - view + 1));
      offset = scrollTop;
    } else {
      this.first = Math.floor(scrollTop / ROW_HEIGHT);
      offset = this.first * ROW_HEIGHT;
    }
    this.first = Math.max(0, Math.min(this.first, this.rows - 1));
    const count = Math.max(0, Math.min(view + 1, this.rows - this.first));
    while (this.pool.length < count) this.pool.push(this.layer.appendChild(el('div', 'row')));
    for (let i = 0; i < this.pool.length; i++) {
      const row = this.pool[i];
      if (i < count) {
        row.hidden = false;
        this.fill(this.first + i, row);
      } else {
        row.hidden = true;
      }
    }
    this.layer.style.transform = `translateY(${offset}px)`;
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private scaled(): boolean {
    return this.rows * ROW_HEIGHT > MAX_SCROLL_PX;
  }

  private maxScroll(): number {
    return Math.max(0, this.element.scrollHeight - this.element.clientHeight);
  }

  private viewRows(): number {
    return Math.max(1, Math.ceil(this.element.clientHeight / ROW_HEIGHT));
  }
}
