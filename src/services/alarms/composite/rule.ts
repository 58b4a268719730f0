/**
 * @module services/alarms/composite/rule
 * The composite alarm `AlarmRule` language, parsed into a small tree.
 *
 * What AWS documents (PutCompositeAlarm, "Create a composite alarm"):
 * - functions `ALARM(x)`, `OK(x)`, `INSUFFICIENT_DATA(x)` where x is an alarm name or ARN,
 *   optionally in double quotes; constants `TRUE` and `FALSE`; operators `AND`, `OR`, `NOT`;
 *   parentheses to group;
 * - since November 2025, `AT_LEAST(M, STATE, (a, b, …))` where M is a count or a percentage
 *   (`2`, `50%`, `"50%"`) and STATE is `ALARM`, `OK`, `INSUFFICIENT_DATA` or `NOT` one of them;
 * - at most 10240 characters and 500 elements (child alarms, TRUE/FALSE and parenthesis pairs).
 *
 * What AWS does not document, and how this parser decides:
 * - precedence: NOT binds tighter than AND, AND tighter than OR (`a OR b AND c` is
 *   `a OR (b AND c)`), the usual boolean convention; the docs only show NOT applying to the
 *   function right after it;
 * - quoting: a quoted name runs to the next matching quote and has no escapes (names with a
 *   double quote can be written in single quotes, which a third-party capture shows AWS also
 *   accepts); an unquoted name ends at whitespace or `)` (AWS reports
 *   `Unsupported token 'Oldest' at char 67, must be: ')'` for an unquoted name with spaces);
 * - keywords are matched case-insensitively. AWS's own docs suggest changing a rule to
 *   "False"/"false" to break a cycle; refusing a spelling AWS accepts would block a user,
 *   accepting one it refuses only loses a warning.
 *
 * Errors are `ValidationError` "Error in AlarmRule [Unsupported token 'X' at char N…]" with N the
 * zero-based offset, the message AWS returns (captured: `Unsupported token ')' at char 1` for
 * the rule `()`).
 */
import { awsError } from '../../../core/errors.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type RuleExpr =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: AlarmState; ref: string }
  | { kind: 'not'; operand: RuleExpr }
  | { kind: 'and'; operands: RuleExpr[] }
  | { kind: 'or'; operands: RuleExpr[] }
  | { kind: 'atLeast'; threshold: { count: number } | { percent: number }; state: AlarmState; negate: boolean; refs: string[] };

export const ALARM_RULE_MAX_LENGTH = 10240;
export const ALARM_RULE_MAX_ELEMENTS = 500;

const STATES: readonly AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];
const START = "'(', 'NOT', AT_LEAST, TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA";
/** characters that end a bare word at the expression level */
const WORD_END = /[\s()"',]/;

class RuleParser {
  private pos = 0;
  /** child alarms, TRUE/FALSE and parenthesis pairs, as AWS counts them */
  elements = 0;

  constructor(private readonly text: string) {}

  parse(): RuleExpr {
    const expr = this.orExpr();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(this.tokenAt(this.pos), this.pos);
    return expr;
  }

  private orExpr(): RuleExpr {
    const operands = [this.andExpr()];
    while (this.keyword('OR')) operands.push(this.andExpr());
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private andExpr(): RuleExpr {
    const operands = [this.unary()];
    while (this.keyword('AND')) operands.push(this.unary());
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private unary(): RuleExpr {
    if (this.keyword('NOT')) return { kind: 'not', operand: this.unary() };
    return this.primary();
  }

  private primary(): RuleExpr {
    this.skipSpace();
    const at = this.pos;
    if (this.text[at] === '(') {
      this.pos++;
      this.elements++;
      const inner = this.orExpr();
      this.expect(')');
      return inner;
    }
    const word = this.word();
    const upper = word.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') {
      this.elements++;
      return { kind: 'const', value: upper === 'TRUE' };
    }
    if ((STATES as readonly string[]).includes(upper)) {
      this.expect('(');
      const ref = this.name(false);
      this.expect(')');
      this.elements++;
      return { kind: 'state', state: upper as AlarmState, ref };
    }
    if (upper === 'AT_LEAST') return this.atLeast();
    // AWS lists what may start an operand for an unknown word, but not for a stray `)` (captured)
    const token = word || this.tokenAt(at);
    this.fail(token, at, token === ')' || token === '<EOF>' ? undefined : START);
  }

  /** `AT_LEAST(M, [NOT] STATE, (ref, ref…))` */
  private atLeast(): RuleExpr {
    this.expect('(');
    const threshold = this.threshold();
    this.expect(',');
    this.skipSpace();
    const at = this.pos;
    let word = this.word().toUpperCase();
    const negate = word === 'NOT';
    if (negate) {
      this.skipSpace();
      word = this.word().toUpperCase();
    }
    if (!(STATES as readonly string[]).includes(word)) this.fail(this.tokenAt(at), at, "'NOT', ALARM, OK, or INSUFFICIENT_DATA");
    this.expect(',');
    this.expect('(');
    const refs = [this.name(true)];
    while (this.peek() === ',') {
      this.pos++;
      refs.push(this.name(true));
    }
    this.expect(')');
    this.expect(')');
    this.elements += refs.length;
    if ('count' in threshold && threshold.count > refs.length) this.fail(String(threshold.count), at);
    return { kind: 'atLeast', threshold, state: word as AlarmState, negate, refs };
  }

  private threshold(): { count: number } | { percent: number } {
    this.skipSpace();
    const at = this.pos;
    const quote = this.text[at] === '"' || this.text[at] === "'" ? this.text[at] : undefined;
    const raw = quote ? this.quoted(quote) : this.word();
    const m = /^(\d+)(%?)$/.exec(raw);
    const n = m ? Number(m[1]) : NaN;
    if (!m || n < 1 || (m[2] === '%' && n > 100) || (quote && m[2] !== '%')) this.fail(raw || this.tokenAt(at), at);
    return m[2] === '%' ? { percent: n } : { count: n };
  }

  /** An alarm name or ARN: quoted, or a bare run up to whitespace, `)` (or `,` in a list). */
  private name(inList: boolean): string {
    this.skipSpace();
    const at = this.pos;
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const name = this.quoted(c);
      if (name === '') this.fail(`${c}${c}`, at);
      return name;
    }
    const stop = inList ? /[\s(),"]/ : /[\s()"]/;
    let end = at;
    while (end < this.text.length && !stop.test(this.text[end])) end++;
    if (end === at) this.fail(this.tokenAt(at), at);
    this.pos = end;
    return this.text.slice(at, end);
  }

  private quoted(q: string): string {
    const start = this.pos;
    const close = this.text.indexOf(q, start + 1);
    if (close < 0) this.fail(this.text.slice(start), start, q);
    this.pos = close + 1;
    return this.text.slice(start + 1, close);
  }

  /** Consumes `kw` when it is the next whole word (so `ORDERS(x)` is not `OR`). */
  private keyword(kw: string): boolean {
    this.skipSpace();
    const end = this.pos + kw.length;
    if (this.text.slice(this.pos, end).toUpperCase() !== kw) return false;
    if (end < this.text.length && !WORD_END.test(this.text[end])) return false;
    this.pos = end;
    return true;
  }

  private word(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !WORD_END.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== c) this.fail(this.tokenAt(this.pos), this.pos, `'${c}'`);
    this.pos++;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  /** The token AWS would quote: a bare word, else the single character; `<EOF>` at the end. */
  private tokenAt(at: number): string {
    if (at >= this.text.length) return '<EOF>';
    let end = at;
    while (end < this.text.length && !WORD_END.test(this.text[end])) end++;
    return end > at ? this.text.slice(at, end) : this.text[at];
  }

  private fail(token: string, at: number, mustBe?: string): never {
    throw awsError('ValidationError', `Error in AlarmRule [Unsupported token '${token}' at char ${at}${mustBe ? `, must be: ${mustBe}` : ''}]`);
  }
}

/**
 * Parses an AlarmRule, or throws `ValidationError` the way PutCompositeAlarm does (length
 * constraint messages first, as the model validation runs before the rule is read).
 */
export function parseAlarmRule(text: string): RuleExpr {
  if (text.length < 1 || text.length > ALARM_RULE_MAX_LENGTH) {
    const bound = text.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${ALARM_RULE_MAX_LENGTH}`;
    throw awsError('ValidationError', `1 validation error detected: Value '${text}' at 'alarmRule' failed to satisfy constraint: Member must have length ${bound}`);
  }
  const parser = new RuleParser(text);
  const rule = parser.parse();
  if (parser.elements > ALARM_RULE_MAX_ELEMENTS) {
    throw awsError('ValidationError', `Error in AlarmRule [The alarm rule has ${parser.elements} elements, the maximum is ${ALARM_RULE_MAX_ELEMENTS}]`);
  }
  return rule;
}
