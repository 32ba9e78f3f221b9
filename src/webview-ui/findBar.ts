import { button, el } from './dom';
import type { Finder } from './find';

/** The find box: query field, previous/next, and a hit count. */
export class FindBar {
  readonly element = el('div', 'findbar');
  readonly input = el('input', 'find-input');
  private readonly countLabel = el('span', 'find-count');
  private timer = 0;

  constructor(
    private readonly finder: () => Finder | undefined,
    private readonly onSearch: (query: string) => void,
    private readonly onStep: (direction: 1 | -1) => void,
  ) {
    this.input.type = 'text';
    this.input.placeholder = 'Find';
    this.input.setAttribute('aria-label', 'Find in body');
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.onSearch(this.input.value), 150);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        clearTimeout(this.timer);
        const finder = this.finder();
        if (finder?.query !== this.input.value) this.onSearch(this.input.value);
        else this.onStep(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        this.input.value = '';
        this.onSearch('');
      }
    });
    const prev = button('↑', () => this.onStep(-1), 'Previous match (Shift+Enter)');
    const next = button('↓', () => this.onStep(1), 'Next match (Enter)');
    prev.classList.add('find-prev');
    next.classList.add('find-next');
    this.element.append(this.input, prev, next, this.countLabel);
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  update(): void {
    const finder = this.finder();
    if (!finder || !finder.query) {
      this.countLabel.textContent = '';
      return;
    }
    const total = finder.matches.length;
    const more = finder.done ? (finder.capped ? '+' : '') : '…';
    this.countLabel.textContent =
      total === 0
        ? finder.done
          ? 'No results'
          : 'Searching…'
        : `${(finder.current + 1).toLocaleString()} of ${total.toLocaleString()}${more}`;
  }
}
