/** A piece of a shown row, copied verbatim from the body text starting at `offset`. */
export interface Token {
  cls: string;
  text: string;
  offset: number;
}

/** A flat list of display rows over one body text, built in slices so big bodies never block. */
export interface LineModel {
  readonly text: string;
  readonly count: number;
  readonly complete: boolean;
  /** Set when the text turned out not to be what the model expects (invalid JSON). */
  readonly error?: string;
  /** Continues building until `deadline` (performance.now()); returns true once complete. */
  build(deadline: number): boolean;
  /** Body text offset where row `row` starts. */
  rowStart(row: number): number;
  /** Last row starting at or before `offset`. */
  rowAt(offset: number): number;
  depth(row: number): number;
  tokens(row: number): Token[];
  /** Text after the tokens (a comma), not part of the source span. */
  suffix(row: number): string;
  /** For a row that opens an object or array: the row that closes it, or -1 (not foldable, or not seen yet). */
  closeOf(row: number): number;
}

/** Fraction of the body laid out so far, for progress notes. */
export function progressOf(model: LineModel): number {
  if (model.complete || model.text.length === 0) return 1;
  return model.count === 0 ? 0 : model.rowStart(model.count - 1) / model.text.length;
}

/** The plain text of a row as shown (without folding markers). */
export function rowText(model: LineModel, row: number): string {
  return '  '.repeat(model.depth(row)) + model.tokens(row).map((t) => t.text).join('') + model.suffix(row);
}
