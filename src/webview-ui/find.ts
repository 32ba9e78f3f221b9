import { IntList } from './intList';
import { nextTask, SLICE_MS } from './scheduler';

/** Past this many hits the count stops; navigation still works over the hits found. */
const MAX_MATCHES = 2_000_000;

/**
 * Text search over the whole body (not only the rendered rows), in time slices. Case is
 * ignored unless the query has capitals. Offsets refer to the body text.
 */
export class Finder {
  query = '';
  matches = new IntList();
  current = -1;
  done = true;
  private lowered?: string;
  private run = 0;

  constructor(
    private readonly text: string,
    private readonly onProgress: () => void,
  ) {}

  get capped(): boolean {
    return this.matches.length >= MAX_MATCHES;
  }

  /** Starts a new search; progress and completion are reported through onProgress. */
  async search(query: string): Promise<void> {
    const run = ++this.run;
    this.query = query;
    this.matches = new IntList();
    this.current = -1;
    this.done = query.length === 0;
    this.onProgress();
    if (this.done) return;
    const haystack = this.haystackFor(query);
    const needle = haystack === this.text ? query : query.toLowerCase();
    let from = 0;
    while (from >= 0) {
      const deadline = performance.now() + SLICE_MS;
      while (performance.now() < deadline) {
        for (let n = 0; n < 256 && from >= 0; n++) {
          const hit = haystack.indexOf(needle, from);
          if (hit < 0 || this.matches.length >= MAX_MATCHES) {
            from = -1;
          } else {
            this.matches.push(hit);
            from = hit + needle.length;
          }
        }
        if (from < 0) break;
      }
      if (this.current < 0 && this.matches.length > 0) this.current = 0;
      if (from >= 0) {
        this.onProgress();
        await nextTask();
        if (run !== this.run) return;
      }
    }
    this.done = true;
    this.onProgress();
  }

  /** Moves to the next (+1) or previous (-1) hit, wrapping around. Returns its body offset. */
  step(direction: 1 | -1): number | undefined {
    const total = this.matches.length;
    if (total === 0) return undefined;
    this.current = (this.current + direction + total) % total;
    return this.matches.get(this.current);
  }

  currentOffset(): number | undefined {
    return this.current >= 0 ? this.matches.get(this.current) : undefined;
  }

  /** Hits overlapping [start, end) as [offset, isCurrent] pairs. */
  hitsIn(start: number, end: number): Array<[number, boolean]> {
    if (!this.query || this.matches.length === 0) return [];
    const out: Array<[number, boolean]> = [];
    let k = Math.max(0, this.matches.lastAtMost(start - this.query.length) + 1);
    for (; k < this.matches.length && this.matches.get(k) < end; k++) {
      out.push([this.matches.get(k), k === this.current]);
    }
    return out;
  }

  private haystackFor(query: string): string {
    if (query !== query.toLowerCase()) return this.text;
    // Lower-casing can change the length of some characters; then offsets would not line up.
    this.lowered ??= this.text.toLowerCase();
    return this.lowered.length === this.text.length ? this.lowered : this.text;
  }
}
