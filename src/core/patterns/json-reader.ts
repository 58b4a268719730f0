/**
 * @module core/patterns/json-reader
 * A pull tokenizer for pattern JSON that reports errors the way AWS does.
 *
 * Why not `JSON.parse`: EventBridge and SNS compile patterns with a streaming Jackson parser (the
 * open-source aws/event-ruler), so an invalid pattern is reported at the *first* problem in
 * document order, and every message ends with Jackson's location suffix, e.g.
 * `"int" must be an object or an array\n at [Source: (String)"{"int": 42}"; line: 1, column: 11]`.
 * Reproducing those texts needs Jackson's notion of "where the parser is": a field name token
 * has already consumed the start of its value (the opening quote of a string, a bracket, or a
 * whole number/literal), a string value is consumed only when its text is asked for, and
 * numbers/literals are consumed eagerly. This reader mirrors exactly that, and nothing more
 * (trailing content after the root object is ignored, as Jackson does when the caller stops).
 */

export const enum Tok {
  StartObject, EndObject, StartArray, EndArray, FieldName, String, Number, True, False, Null, Eof,
}

/** Thrown for any invalid pattern; `reason` is AWS's text, `raw` adds Jackson's location. */
export class PatternSyntaxError extends Error {
  constructor(readonly reason: string, readonly raw: string) {
    super(raw);
    this.name = 'PatternSyntaxError';
  }
}

/** Jackson's maximum nesting depth (StreamReadConstraints); also bounds our recursion. */
const MAX_DEPTH = 1000;
const SOURCE_CHARS = 500;

interface Ctx { kind: 'root' | 'object' | 'array'; started: boolean; row: number; col: number }

export class JsonReader {
  private ptr = 0;
  private row = 1;
  private rowStart = 0;
  private readonly stack: Ctx[] = [{ kind: 'root', started: false, row: 1, col: 1 }];
  private pending: Tok | null = null;
  /** index of the first content char of a string token not read yet (Jackson's "incomplete") */
  private incomplete = -1;
  private textValue = '';
  private numberText = '';
  /** name of the last FIELD_NAME token */
  name = '';
  /** an error AWS raises only after the whole pattern compiled (no location), e.g. complexity */
  deferred: string | null = null;

  constructor(private readonly src: string) {}

  /** Jackson's `[Source: …; line: L, column: C]` for the current position. */
  location(at = this.ptr): string {
    return `[Source: ${this.sourceDesc()}; line: ${this.row}, column: ${at - this.rowStart + 1}]`;
  }

  private sourceDesc(): string {
    return this.src.length > SOURCE_CHARS
      ? `(String)"${this.src.slice(0, SOURCE_CHARS)}"[truncated ${this.src.length - SOURCE_CHARS} chars]`
      : `(String)"${this.src}"`;
  }

  /** Throws `reason` at the current position (event-ruler's `barf`). */
  fail(reason: string, at?: number): never {
    throw new PatternSyntaxError(reason, `${reason}\n at ${this.location(at)}`);
  }

  /** Records an error to raise once the document is read (first one wins). */
  defer(reason: string): void {
    this.deferred ??= reason;
  }

  /** Re-throws an error message with a second location, as event-ruler's catch-and-barf does. */
  failAgain(e: PatternSyntaxError): never {
    throw new PatternSyntaxError(e.reason, `${e.raw}\n at ${this.location()}`);
  }

  /** The text of the current string/number/literal token (completes an unread string). */
  text(tok: Tok): string {
    if (tok === Tok.String) {
      if (this.incomplete >= 0) this.finishString();
      return this.textValue;
    }
    if (tok === Tok.Number) return this.numberText;
    if (tok === Tok.True) return 'true';
    if (tok === Tok.False) return 'false';
    if (tok === Tok.Null) return 'null';
    if (tok === Tok.StartArray) return '[';
    if (tok === Tok.EndArray) return ']';
    if (tok === Tok.StartObject) return '{';
    if (tok === Tok.EndObject) return '}';
    if (tok === Tok.FieldName) return this.name;
    return '';
  }

  next(): Tok {
    const ctx = this.stack[this.stack.length - 1];
    if (this.pending !== null) {
      // the value read ahead with its field name (a string stays unread until asked for)
      const t = this.pending;
      this.pending = null;
      ctx.started = true;
      this.opened(t);
      return t;
    }
    if (this.incomplete >= 0) this.finishString();
    let c = this.skipWs();
    if (c < 0) {
      if (ctx.kind === 'root') return Tok.Eof;
      const marker = `[Source: ${this.sourceDesc()}; line: ${ctx.row}, column: ${ctx.col}]`;
      this.fail(`Unexpected end-of-input: expected close marker for ${ctx.kind === 'object' ? 'Object' : 'Array'} (start marker at ${marker})`);
    }
    if (ctx.kind !== 'root') {
      const close = ctx.kind === 'object' ? 0x7d : 0x5d;
      if (c === close) {
        this.ptr++;
        this.stack.pop();
        this.stack[this.stack.length - 1].started = true;
        return ctx.kind === 'object' ? Tok.EndObject : Tok.EndArray;
      }
      if (ctx.started) {
        if (c !== 0x2c) this.unexpected(c, `was expecting comma to separate ${ctx.kind === 'object' ? 'Object' : 'Array'} entries`);
        this.ptr++;
        c = this.skipWs();
        if (c < 0) this.fail('Unexpected end-of-input within/between ' + (ctx.kind === 'object' ? 'Object' : 'Array') + ' entries');
      }
      if (ctx.kind === 'object') return this.fieldName(c, ctx);
    }
    ctx.started = true;
    const t = this.value(c);
    this.opened(t);
    return t;
  }

  private opened(t: Tok): void {
    if (t !== Tok.StartObject && t !== Tok.StartArray) return;
    if (this.stack.length > MAX_DEPTH) {
      this.fail(`Document nesting depth (${this.stack.length}) exceeds the maximum allowed (${MAX_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`);
    }
    this.stack.push({ kind: t === Tok.StartObject ? 'object' : 'array', started: false, row: this.row, col: this.ptr - this.rowStart });
  }

  private fieldName(c: number, ctx: Ctx): Tok {
    if (c !== 0x22) this.unexpected(c, 'was expecting double-quote to start field name');
    this.ptr++;
    this.incomplete = this.ptr;
    this.finishString();
    this.name = this.textValue;
    c = this.skipWs();
    if (c !== 0x3a) this.unexpected(c, 'was expecting a colon to separate field name and value');
    this.ptr++;
    c = this.skipWs();
    // Jackson reads the start of the value together with the name: the location of errors
    // raised "at the field name" is therefore already past the value's first token.
    this.pending = this.value(c);
    ctx.started = true;
    return Tok.FieldName;
  }

  private value(c: number): Tok {
    if (c < 0) this.fail('Unexpected end-of-input: expected a value');
    switch (c) {
      case 0x22: this.ptr++; this.incomplete = this.ptr; return Tok.String;
      case 0x7b: this.ptr++; return Tok.StartObject;
      case 0x5b: this.ptr++; return Tok.StartArray;
      case 0x74: return this.literal('true', Tok.True);
      case 0x66: return this.literal('false', Tok.False);
      case 0x6e: return this.literal('null', Tok.Null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if (isIdentPart(c)) this.unrecognized(this.ptr);
        return this.unexpected(c, "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    }
  }

  private literal(word: string, tok: Tok): Tok {
    const start = this.ptr;
    if (this.src.startsWith(word, start) && !isIdentPart(this.src.charCodeAt(start + word.length))) {
      this.ptr += word.length;
      return tok;
    }
    return this.unrecognized(start);
  }

  private unrecognized(start: number): never {
    let end = start;
    while (end < this.src.length && isIdentPart(this.src.charCodeAt(end))) end++;
    this.ptr = end;
    this.fail(`Unrecognized token '${this.src.slice(start, end)}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
  }

  private number(): Tok {
    const s = this.src;
    const start = this.ptr;
    let i = start;
    if (s.charCodeAt(i) === 0x2d) i++;
    const intStart = i;
    while (isDigit(s.charCodeAt(i))) i++;
    if (i === intStart) {
      this.ptr = i;
      this.fail(`Unexpected character (${describe(s.charCodeAt(i))}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`);
    }
    if (i - intStart > 1 && s.charCodeAt(intStart) === 0x30) {
      this.ptr = intStart + 1;
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    }
    if (s.charCodeAt(i) === 0x2e) {
      i++;
      const f = i;
      while (isDigit(s.charCodeAt(i))) i++;
      if (i === f) { this.ptr = i; this.fail(`Unexpected character (${describe(s.charCodeAt(i))}) in numeric value: Decimal point not followed by a digit`); }
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      const d = i;
      while (isDigit(s.charCodeAt(i))) i++;
      if (i === d) { this.ptr = i; this.fail(`Unexpected character (${describe(s.charCodeAt(i))}) in numeric value: Exponent indicator not followed by a digit`); }
    }
    this.ptr = i;
    this.numberText = s.slice(start, i);
    return Tok.Number;
  }

  private finishString(): void {
    const s = this.src;
    let i = this.incomplete;
    this.incomplete = -1;
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= s.length) { this.ptr = i; this.fail('Unexpected end-of-input: was expecting closing quote for a string value'); }
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        out += s.slice(runStart, i);
        const esc = s.charCodeAt(i + 1);
        const simple = ESCAPES[esc];
        if (simple !== undefined) { out += simple; i += 2; }
        else if (esc === 0x75) {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) { this.ptr = i + 2; this.fail('Unexpected character in \\u escape: expected a hex-digit for character escape sequence'); }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else { this.ptr = i + 2; this.fail(`Unrecognized character escape ${describe(esc)}`); }
        runStart = i;
        continue;
      }
      if (c < 0x20) { this.ptr = i + 1; this.fail(`Illegal unquoted character (${describe(c)}): has to be escaped using backslash to be included in string value`); }
      i++;
    }
    this.textValue = out + s.slice(runStart, i);
    this.ptr = i + 1;
  }

  private skipWs(): number {
    const s = this.src;
    while (this.ptr < s.length) {
      const c = s.charCodeAt(this.ptr);
      if (c === 0x20 || c === 0x09) { this.ptr++; continue; }
      if (c === 0x0a) { this.ptr++; this.row++; this.rowStart = this.ptr; continue; }
      if (c === 0x0d) {
        this.ptr++;
        if (s.charCodeAt(this.ptr) === 0x0a) this.ptr++;
        this.row++; this.rowStart = this.ptr; continue;
      }
      return c;
    }
    return -1;
  }

  private unexpected(c: number, what: string): never {
    // Jackson reports an unexpected character at its own position (not past it).
    this.fail(`Unexpected character (${describe(c)}): ${what}`, this.ptr);
  }
}

const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

function isDigit(c: number): boolean { return c >= 0x30 && c <= 0x39; }
function isIdentPart(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c > 0x7f;
}
/** Jackson's `'x' (code 120)` / `CTRL-CHAR, code 10` rendering of a character. */
function describe(c: number): string {
  if (Number.isNaN(c) || c < 0) return '<EOF>';
  if (c < 0x20) return `CTRL-CHAR, code ${c}`;
  return `'${String.fromCharCode(c)}' (code ${c}${c > 0xff ? ` / 0x${c.toString(16)}` : ''})`;
}
