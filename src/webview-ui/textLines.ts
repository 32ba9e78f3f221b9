import { IntList } from './intList';
import type { LineModel, Token } from './lineModel';

/** Longer lines are cut into several rows so no single row holds megabytes of text. */
export const WRAP_CHARS = 2000;
const BATCH_ROWS = 4096;

/** Rows of plain text: one per line, long lines wrapped at WRAP_CHARS. */
export class TextLines implements LineModel {
  private readonly starts = new IntList();
  private readonly ends = new IntList();
  private pos = 0;
  complete = false;
  readonly error = undefined;

  constructor(readonly text: string) {
    if (text.length === 0) this.complete = true;
  }

  get count(): number {
    return this.starts.length;
  }

  build(deadline: number): boolean {
    const text = this.text;
    while (!this.complete) {
      for (let n = 0; n < BATCH_ROWS && !this.complete; n++) {
        const newline = text.indexOf('\n', this.pos);
        const lineEnd = newline < 0 ? text.length : newline;
        let end = lineEnd;
        if (end - this.pos > WRAP_CHARS) {
          end = this.pos + WRAP_CHARS;
          // Never split a surrogate pair across two rows.
          const c = text.charCodeAt(end);
          if (c >= 0xdc00 && c <= 0xdfff) end--;
        }
        this.starts.push(this.pos);
        this.ends.push(end > this.pos && text.charCodeAt(end - 1) === 0x0d && end === lineEnd ? end - 1 : end);
        if (end < lineEnd) {
          this.pos = end;
        } else if (newline < 0) {
          this.complete = true;
        } else {
          this.pos = newline + 1;
          if (this.pos === text.length) this.complete = true;
        }
      }
      if (performance.now() >= deadline) break;
    }
    return this.complete;
  }

  rowStart(row: number): number {
    return this.starts.get(row);
  }

  rowAt(offset: number): number {
    return Math.max(0, this.starts.lastAtMost(offset));
  }

  depth(): number {
    return 0;
  }

  closeOf(): number {
    return -1;
  }

  suffix(): string {
    return '';
  }

  tokens(row: number): Token[] {
    const start = this.starts.get(row);
    return [{ cls: 'text', text: this.text.slice(start, this.ends.get(row)), offset: start }];
  }
}
