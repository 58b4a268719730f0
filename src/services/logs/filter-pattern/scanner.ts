/**
 * @module services/logs/filter-pattern/scanner
 * A cursor over a pattern's text with the lexical pieces every pattern form shares: whitespace,
 * double-quoted strings (`\"` and `\\` escaped), `%regex%` and numbers.
 */
import { FilterPatternError } from './types.js';

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Whether `text` is a number as patterns and space-delimited fields spell one. */
export function isNumeric(text: string): boolean {
  return NUMBER.test(text);
}

export class Scanner {
  pos = 0;

  constructor(readonly src: string) {}

  get done(): boolean {
    return this.pos >= this.src.length;
  }

  peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  skipSpace(): void {
    while (!this.done && /\s/.test(this.src[this.pos])) this.pos++;
  }

  /** Consumes `s` when it comes next. */
  eat(s: string): boolean {
    if (!this.startsWith(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s: string, what: string): void {
    if (!this.eat(s)) this.fail(`expected ${what} at position ${this.pos + 1}`);
  }

  /** A keyword (letters only), case-insensitive, followed by a non-letter. */
  eatWord(word: string): boolean {
    const next = this.src.slice(this.pos, this.pos + word.length);
    if (next.toUpperCase() !== word) return false;
    if (/[A-Za-z]/.test(this.src[this.pos + word.length] ?? '')) return false;
    this.pos += word.length;
    return true;
  }

  /** The characters up to (not including) the first one `stop` accepts. */
  readUntil(stop: (c: string) => boolean): string {
    const start = this.pos;
    while (!this.done && !stop(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** A "…" string at the cursor, unescaped. */
  readQuoted(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    while (!this.done) {
      const c = this.src[this.pos++];
      if (c === '\\' && !this.done) {
        out += this.src[this.pos++];
      } else if (c === '"') {
        return out;
      } else {
        out += c;
      }
    }
    return this.fail(`Unterminated quoted term starting at position ${start + 1}`);
  }

  /** A %regex% at the cursor: the regex's source, a `\%` kept as an escaped percent sign. */
  readRegex(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    while (!this.done) {
      const c = this.src[this.pos++];
      if (c === '\\' && this.peek() === '%') {
        out += '%';
        this.pos++;
      } else if (c === '%') {
        return out;
      } else {
        out += c;
      }
    }
    return this.fail(`Unterminated regular expression starting at position ${start + 1}`);
  }

  fail(message: string): never {
    throw new FilterPatternError(message);
  }
}
