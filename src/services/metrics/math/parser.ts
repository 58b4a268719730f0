/**
 * @module services/metrics/math/parser
 * Metric math text → syntax tree, with every check that needs no data: syntax, known functions,
 * argument counts, keywords in the only places they mean something. All failures are
 * `ValidationError`, which GetMetricData and PutMetricAlarm answer with before reading metrics.
 *
 * Precedence, loosest first (AWS documents the operators but not their precedence, so this is
 * the conventional order): OR / `||`, AND / `&&`, NOT, comparisons, `+ -`, `* /`, unary minus,
 * `^` (right-associative, so `-2^2` is -4 and `2^3^2` is 512).
 */
import { FUNCTIONS, KEYWORDS, UNSUPPORTED_FUNCTIONS } from './catalogue.js';
import { syntaxError, tokenize, type Token } from './lexer.js';
import type { BinaryOp, Expr } from './types.js';

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Expr {
    if (this.peek().kind === 'eof') throw syntaxError(this.text, 0, 'the expression is empty');
    const e = this.or();
    const t = this.peek();
    if (t.kind !== 'eof') throw syntaxError(this.text, t.pos, `unexpected "${t.text}"`);
    this.strayKeywords(e, false);
    return e;
  }

  /**
   * Keywords are only meaningful as a function's argument (checked per position by checkCall);
   * anywhere else (`REPEAT + 1`, a bare `ASC`) they are an error.
   */
  private strayKeywords(e: Expr, asArgument: boolean): void {
    if (e.kind === 'keyword' && !asArgument) throw syntaxError(this.text, 0, `${e.name} can only be a function argument`);
    if (e.kind === 'call') e.args.forEach((a) => this.strayKeywords(a, true));
    else if (e.kind === 'unary') this.strayKeywords(e.operand, false);
    else if (e.kind === 'binary') [e.left, e.right].forEach((x) => this.strayKeywords(x, false));
    else if (e.kind === 'array') e.items.forEach((x) => this.strayKeywords(x, false));
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === word;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text) {
      throw syntaxError(this.text, t.pos, t.kind === 'eof' ? `expected "${text}" before the end` : `expected "${text}" but found "${t.text}"`);
    }
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('OR') || this.isOp('||')) {
      this.next();
      left = { kind: 'binary', op: 'OR', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('AND') || this.isOp('&&')) {
      this.next();
      left = { kind: 'binary', op: 'AND', left, right: this.not() };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('NOT')) {
      this.next();
      return { kind: 'unary', op: 'NOT', operand: this.not() };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    let left = this.additive();
    for (let t = this.peek(); t.kind === 'op' && COMPARISONS.has(t.text); t = this.peek()) {
      this.next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: this.additive() };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as BinaryOp;
      left = { kind: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next().text as BinaryOp;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      this.next();
      return { kind: 'unary', op: '-', operand: this.unary() };
    }
    if (this.isOp('+')) {
      this.next();
      return this.unary();
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (this.isOp('^')) {
      this.next();
      // the exponent may carry its own sign (2^-1) and is itself right-associative
      return { kind: 'binary', op: '^', left: base, right: this.unary() };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.value! };
      case 'string':
        return { kind: 'string', value: t.text };
      case 'ident':
        return this.identifier(t);
      case 'op':
        if (t.text === '(') {
          const e = this.or();
          this.expect(')');
          return e;
        }
        if (t.text === '[') return this.array();
        throw syntaxError(this.text, t.pos, `unexpected "${t.text}"`);
      default:
        throw syntaxError(this.text, t.pos, 'unexpected end of expression');
    }
  }

  private array(): Expr {
    const items: Expr[] = [];
    if (this.isOp(']')) throw syntaxError(this.text, this.peek().pos, 'an array needs at least one element');
    items.push(...this.list());
    this.expect(']');
    return { kind: 'array', items };
  }

  /** One or more comma-separated expressions (array members, call arguments). */
  private list(): Expr[] {
    const items = [this.or()];
    while (this.isOp(',')) {
      this.next();
      items.push(this.or());
    }
    return items;
  }

  private identifier(t: Token): Expr {
    const name = t.text;
    if (/^[a-z]/.test(name)) {
      if (this.isOp('(')) throw syntaxError(this.text, t.pos, `unknown function "${name}" (functions are upper case)`);
      return { kind: 'id', name };
    }
    if (this.isOp('(')) {
      this.next();
      const args = this.isOp(')') ? [] : this.list();
      this.expect(')');
      return this.checkCall(t, { kind: 'call', name, args });
    }
    if (KEYWORDS.has(name)) return { kind: 'keyword', name };
    throw syntaxError(this.text, t.pos, `"${name}" is not a query id (ids start with a lower-case letter)`);
  }

  /** Arity and argument kinds, so a bad call fails here rather than half-way through evaluation. */
  private checkCall(t: Token, call: Expr & { kind: 'call' }): Expr {
    const spec = FUNCTIONS[call.name];
    if (!spec) {
      const why = UNSUPPORTED_FUNCTIONS.includes(call.name)
        ? `the function ${call.name} is not supported by Signalbox`
        : `unknown function "${call.name}"`;
      throw syntaxError(this.text, t.pos, why);
    }
    const n = call.args.length;
    if (n < spec.minArgs || n > spec.maxArgs) {
      const want = spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
      throw syntaxError(this.text, t.pos, `${call.name} takes ${want} argument(s), not ${n}`);
    }
    call.args.forEach((arg, idx) => {
      const allowed = spec.keywords?.[idx];
      if (arg.kind === 'keyword') {
        if (!allowed?.includes(arg.name)) throw syntaxError(this.text, t.pos, `${arg.name} is not valid as argument ${idx + 1} of ${call.name}`);
      } else if (spec.keywordOnly?.includes(idx)) {
        throw syntaxError(this.text, t.pos, `argument ${idx + 1} of ${call.name} must be one of ${allowed!.join(', ')}`);
      }
      const wantsString = spec.strings?.includes(idx) ?? false;
      if (wantsString !== (arg.kind === 'string')) {
        throw syntaxError(this.text, t.pos, wantsString ? `argument ${idx + 1} of ${call.name} must be a string` : `a string is not valid as argument ${idx + 1} of ${call.name}`);
      }
    });
    return call;
  }
}

/** Parses a metric math expression; throws `ValidationError` when it is malformed. */
export function parseExpression(text: string): Expr {
  if (typeof text !== 'string') throw syntaxError(String(text), 0, 'the expression must be a string');
  return new Parser(text, tokenize(text)).parse();
}

/** Walks every node once, parents before children. */
export function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'unary':
      walk(expr.operand, visit);
      break;
    case 'binary':
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case 'call':
      expr.args.forEach((a) => walk(a, visit));
      break;
    case 'array':
      expr.items.forEach((a) => walk(a, visit));
      break;
    default:
  }
}

/** The query ids an expression reads, each once, in order of first appearance. */
export function referencedIds(expr: Expr): string[] {
  const ids = new Set<string>();
  walk(expr, (e) => {
    if (e.kind === 'id') ids.add(e.name);
  });
  return [...ids];
}

/** Whether the expression calls METRICS(), which reads every metric query of the request. */
export function usesAllMetrics(expr: Expr): boolean {
  let found = false;
  walk(expr, (e) => {
    if (e.kind === 'call' && e.name === 'METRICS') found = true;
  });
  return found;
}
