import { IntList } from './intList';
import type { LineModel, Token } from './lineModel';

// Row flags, kept in the low bits of `info` (the depth sits above them).
const COMMA = 1;
const OPEN = 2;
const CLOSE = 4;
const FLAG_BITS = 3;

const enum Expect {
  Value,
  Key,
  Colon,
  AfterValue,
  End,
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX = /^[0-9a-fA-F]{4}$/;
/** Work between two deadline checks, in characters. */
const BATCH = 1 << 16;

class JsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Pretty-printed JSON rows built straight from the body text by a validating scanner. Numbers,
 * strings and keys are never converted: each row points back at the source characters, so
 * what is shown and copied keeps the exact digits the server sent.
 */
export class JsonLines implements LineModel {
  private readonly starts = new IntList();
  private readonly ends = new IntList();
  private readonly info = new IntList();
  private readonly mates = new IntList();
  private readonly stack: Array<{ isObject: boolean; row: number }> = [];
  private pos: number;
  private expect = Expect.Value;
  private keyStart = -1;
  complete = false;
  error?: string;

  constructor(readonly text: string) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  get count(): number {
    return this.starts.length;
  }

  build(deadline: number): boolean {
    if (this.complete) return true;
    try {
      do {
        this.scan(Math.min(this.text.length, this.pos + BATCH));
        if (this.pos >= this.text.length) {
          this.finish();
          return true;
        }
      } while (performance.now() < deadline);
    } catch (e) {
      const offset = e instanceof JsonError ? e.offset : this.pos;
      this.error = `${e instanceof Error ? e.message : String(e)} at ${this.where(offset)}`;
      this.complete = true;
      return true;
    }
    return false;
  }

  rowStart(row: number): number {
    return this.starts.get(row);
  }

  rowAt(offset: number): number {
    return Math.max(0, this.starts.lastAtMost(offset));
  }

  depth(row: number): number {
    return this.info.get(row) >> FLAG_BITS;
  }

  closeOf(row: number): number {
    return this.info.get(row) & OPEN ? this.mates.get(row) : -1;
  }

  suffix(row: number): string {
    return this.info.get(row) & COMMA ? ',' : '';
  }

  /** Re-tokenises one row's short source span, dropping the original whitespace. */
  tokens(row: number): Token[] {
    const text = this.text;
    const end = this.ends.get(row);
    const out: Token[] = [];
    let i = this.starts.get(row);
    while (i < end) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c === 0x22) {
        const stop = this.stringEnd(i);
        let j = stop;
        while (j < end && isSpace(text.charCodeAt(j))) j++;
        const isKey = text.charCodeAt(j) === 0x3a;
        out.push({ cls: isKey ? 'key' : 'string', text: text.slice(i, stop), offset: i });
        if (isKey) {
          out.push({ cls: 'punct', text: ': ', offset: j });
          j++;
        }
        i = j;
      } else if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d) {
        out.push({ cls: 'punct', text: text[i], offset: i });
        i++;
      } else {
        let j = i;
        while (j < end && !isSpace(text.charCodeAt(j))) j++;
        const word = text.slice(i, j);
        const cls = word === 'true' || word === 'false' ? 'boolean' : word === 'null' ? 'null' : 'number';
        out.push({ cls, text: word, offset: i });
        i = j;
      }
    }
    return out;
  }

  private where(offset: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf('\n'); i >= 0 && i < offset; i = this.text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return `line ${line}, column ${offset - lineStart + 1}`;
  }

  private finish(): void {
    if (this.expect !== Expect.End) {
      throw new JsonError(this.count === 0 ? 'No JSON value' : 'Unexpected end of JSON', this.text.length);
    }
    this.complete = true;
  }

  private addRow(start: number, end: number, flags: number): number {
    this.starts.push(start);
    this.ends.push(end);
    this.mates.push(-1);
    return this.info.push((this.stack.length << FLAG_BITS) | flags);
  }

  private afterValue(): void {
    this.expect = this.stack.length === 0 ? Expect.End : Expect.AfterValue;
  }

  private scan(limit: number): void {
    const text = this.text;
    while (this.pos < limit) {
      const at = this.pos;
      const c = text.charCodeAt(at);
      if (isSpace(c)) {
        this.pos++;
        continue;
      }
      switch (this.expect) {
        case Expect.Key:
          if (c !== 0x22) throw new JsonError('Expected a property name', at);
          this.keyStart = at;
          this.pos = this.stringEnd(at);
          this.expect = Expect.Colon;
          break;
        case Expect.Colon:
          if (c !== 0x3a) throw new JsonError("Expected ':'", at);
          this.pos++;
          this.expect = Expect.Value;
          break;
        case Expect.Value:
          this.value(at, c);
          break;
        case Expect.AfterValue:
          this.separator(at, c);
          break;
        case Expect.End:
          throw new JsonError('Unexpected text after the JSON value', at);
      }
    }
  }

  private value(at: number, c: number): void {
    const start = this.keyStart >= 0 ? this.keyStart : at;
    this.keyStart = -1;
    if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      let j = at + 1;
      while (j < this.text.length && isSpace(this.text.charCodeAt(j))) j++;
      if (this.text.charCodeAt(j) === close) {
        this.addRow(start, j + 1, 0);
        this.pos = j + 1;
        this.afterValue();
        return;
      }
      const row = this.addRow(start, at + 1, OPEN);
      this.stack.push({ isObject: c === 0x7b, row });
      this.pos = at + 1;
      this.expect = c === 0x7b ? Expect.Key : Expect.Value;
      return;
    }
    let end: number;
    if (c === 0x22) {
      end = this.stringEnd(at);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = at;
      if (!NUMBER.test(this.text)) throw new JsonError('Invalid number', at);
      end = NUMBER.lastIndex;
    } else {
      const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : '';
      if (!word || !this.text.startsWith(word, at)) throw new JsonError('Unexpected character', at);
      end = at + word.length;
    }
    this.addRow(start, end, 0);
    this.pos = end;
    this.afterValue();
  }

  private separator(at: number, c: number): void {
    const top = this.stack[this.stack.length - 1];
    if (c === 0x2c) {
      const last = this.count - 1;
      this.info.set(last, this.info.get(last) | COMMA);
      this.pos = at + 1;
      this.expect = top.isObject ? Expect.Key : Expect.Value;
      return;
    }
    if (c !== (top.isObject ? 0x7d : 0x5d)) throw new JsonError(`Expected ',' or '${top.isObject ? '}' : ']'}'`, at);
    this.stack.pop();
    const row = this.addRow(at, at + 1, CLOSE);
    this.mates.set(top.row, row);
    this.mates.set(row, top.row);
    this.pos = at + 1;
    this.afterValue();
  }

  /** Offset just past the string starting at `at`; validates escapes and control characters. */
  private stringEnd(at: number): number {
    const text = this.text;
    for (let i = at + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return i + 1;
      if (c < 0x20) throw new JsonError('Control character in string', i);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!HEX.test(text.slice(i + 2, i + 6))) throw new JsonError('Invalid \\u escape', i);
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i++;
        } else {
          throw new JsonError('Invalid escape', i);
        }
      }
    }
    throw new JsonError('Unterminated string', at);
  }
}
