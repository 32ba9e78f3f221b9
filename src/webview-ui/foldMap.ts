import type { LineModel } from './lineModel';

/**
 * Maps visible rows to model rows while some objects/arrays are folded. Only the outermost
 * folded ranges matter; with their hidden-row prefix sums, lookups are binary searches.
 */
export class FoldMap {
  private readonly folded = new Set<number>();
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  /** hiddenBefore[k]: rows hidden by ranges 0..k-1. */
  private hiddenBefore = new Float64Array(1);

  constructor(private readonly model: LineModel) {}

  isFolded(row: number): boolean {
    return this.folded.has(row);
  }

  get hidden(): number {
    return this.hiddenBefore[this.starts.length];
  }

  visibleCount(): number {
    return this.model.count - this.hidden;
  }

  toggle(row: number): void {
    if (this.folded.has(row)) this.folded.delete(row);
    else if (this.model.closeOf(row) > row) this.folded.add(row);
    this.rebuild();
  }

  /** Folds every object/array at `depth` (1 = the children of the top-level value). */
  foldDepth(depth: number): void {
    for (let row = 0; row < this.model.count; row++) {
      if (this.model.depth(row) === depth && this.model.closeOf(row) > row) this.folded.add(row);
    }
    this.rebuild();
  }

  unfoldAll(): void {
    this.folded.clear();
    this.rebuild();
  }

  /** Unfolds whatever hides `row`, so it can be shown. */
  reveal(row: number): void {
    let changed = false;
    for (const start of this.folded) {
      if (start < row && row <= this.model.closeOf(start)) {
        this.folded.delete(start);
        changed = true;
      }
    }
    if (changed) this.rebuild();
  }

  toRow(visible: number): number {
    // Ranges before the answer satisfy start - hiddenBefore < visible (the key grows with k).
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] - this.hiddenBefore[mid] < visible) lo = mid + 1;
      else hi = mid;
    }
    return visible + this.hiddenBefore[lo];
  }

  toVisible(row: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < row) lo = mid + 1;
      else hi = mid;
    }
    // lo ranges start before row; if the last of them covers it, row shows as that range's start.
    if (lo > 0 && row <= this.ends[lo - 1]) return this.starts[lo - 1] - this.hiddenBefore[lo - 1];
    return row - this.hiddenBefore[lo];
  }

  private rebuild(): void {
    const sorted = Int32Array.from(this.folded).sort();
    const starts: number[] = [];
    const ends: number[] = [];
    let coveredTo = -1;
    for (const start of sorted) {
      if (start <= coveredTo) continue;
      const end = this.model.closeOf(start);
      starts.push(start);
      ends.push(end);
      coveredTo = end;
    }
    this.starts = Int32Array.from(starts);
    this.ends = Int32Array.from(ends);
    this.hiddenBefore = new Float64Array(starts.length + 1);
    for (let k = 0; k < starts.length; k++) this.hiddenBefore[k + 1] = this.hiddenBefore[k] + ends[k] - starts[k];
  }
}
