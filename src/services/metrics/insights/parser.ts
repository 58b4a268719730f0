/**
 * @module services/metrics/insights/parser
 * Metrics Insights SQL → `InsightsQuery`:
 *
 *   SELECT FUNC(metric) FROM namespace | SCHEMA(namespace[, key…])
 *   [WHERE cond] [GROUP BY key[, key…]] [ORDER BY FUNC() [ASC|DESC]] [LIMIT n]
 *
 * where cond combines `key = 'v'`, `key != 'v'`, `key [NOT] LIKE 'pat%'`, `key [NOT] IN ('a', …)`
 * with AND, OR (AND binds tighter) and parentheses. Keywords are case-insensitive; identifiers
 * are not. Every failure is a `ValidationError`.
 */
import { queryError, tokenize, type Token } from './lexer.js';
import type { Condition, InsightsFunction, InsightsQuery } from './types.js';

export const INSIGHTS_FUNCTIONS: readonly InsightsFunction[] = ['AVG', 'COUNT', 'MAX', 'MIN', 'SUM'];

/** AWS's documented maximum for LIMIT, and the cap on series a query returns without one. */
export const MAX_LIMIT = 500;

/**
 * The words this grammar gives a meaning to. AWS reserves several hundred SQL words and requires
 * them to be double-quoted when used as names; only these are enforced, because quoting a name
 * is always allowed and rejecting a name AWS accepts would be worse than accepting one it rejects.
 */
const RESERVED = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'BY', 'LIMIT', 'AND', 'OR', 'NOT', 'IN', 'LIKE',
  'ASC', 'DESC', 'SCHEMA', ...INSIGHTS_FUNCTIONS,
]);

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): InsightsQuery {
    this.keyword('SELECT');
    const func = this.func();
    this.op('(');
    const metricName = this.name('a metric name');
    this.op(')');
    this.keyword('FROM');
    const q: InsightsQuery = { func, metricName, namespace: '', groupBy: [] };
    if (this.atKeyword('SCHEMA')) {
      this.next();
      this.op('(');
      q.namespace = this.name('a namespace');
      q.schema = [];
      while (this.atOp(',')) {
        this.next();
        q.schema.push(this.name('a dimension name'));
      }
      this.op(')');
    } else {
      q.namespace = this.name('a namespace');
    }
    if (this.atKeyword('WHERE')) {
      this.next();
      q.where = this.or();
    }
    if (this.atKeyword('GROUP')) {
      this.next();
      this.keyword('BY');
      q.groupBy.push(this.name('a label key'));
      while (this.atOp(',')) {
        this.next();
        q.groupBy.push(this.name('a label key'));
      }
    }
    if (this.atKeyword('ORDER')) {
      this.next();
      this.keyword('BY');
      const by = this.func();
      this.op('(');
      this.op(')');
      let order: 'ASC' | 'DESC' = 'ASC';
      if (this.atKeyword('ASC') || this.atKeyword('DESC')) order = this.next().text.toUpperCase() as 'ASC' | 'DESC';
      q.orderBy = { func: by, order };
    }
    if (this.atKeyword('LIMIT')) {
      this.next();
      q.limit = this.limit();
    }
    const t = this.peek();
    if (t.kind !== 'eof') throw this.fail(t, `unexpected ${this.show(t)}`);
    return q;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private show(t: Token): string {
    return t.kind === 'eof' ? 'end of query' : `"${t.text}"`;
  }

  private fail(t: Token, why: string) {
    return queryError(this.text, t.pos, why);
  }

  private atKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private atOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === op;
  }

  private keyword(word: string): void {
    const t = this.next();
    if (t.kind !== 'word' || t.text.toUpperCase() !== word) throw this.fail(t, `expected ${word} but found ${this.show(t)}`);
  }

  private op(op: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== op) throw this.fail(t, `expected "${op}" but found ${this.show(t)}`);
  }

  private func(): InsightsFunction {
    const t = this.next();
    const f = t.text.toUpperCase() as InsightsFunction;
    if (t.kind !== 'word' || !INSIGHTS_FUNCTIONS.includes(f)) {
      throw this.fail(t, `expected one of ${INSIGHTS_FUNCTIONS.join(', ')} but found ${this.show(t)}`);
    }
    return f;
  }

  /** A namespace, metric name or label key: a bare word that is not reserved, or "quoted". */
  private name(what: string): string {
    const t = this.next();
    if (t.kind === 'quoted') {
      if (t.text === '') throw this.fail(t, `${what} cannot be empty`);
      return t.text;
    }
    if (t.kind === 'word') {
      if (RESERVED.has(t.text.toUpperCase())) throw this.fail(t, `${t.text} is a reserved word; write "${t.text}" to use it as ${what}`);
      return t.text;
    }
    if (t.kind === 'string') throw this.fail(t, `expected ${what}; single quotes are for label values, names take double quotes`);
    throw this.fail(t, `expected ${what} but found ${this.show(t)}`);
  }

  private value(): string {
    const t = this.next();
    if (t.kind === 'string') return t.text;
    if (t.kind === 'quoted') throw this.fail(t, 'label values take single quotes');
    throw this.fail(t, `expected a label value in single quotes but found ${this.show(t)}`);
  }

  private limit(): number {
    const t = this.next();
    const n = Number(t.text);
    if (t.kind !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw this.fail(t, `LIMIT must be a whole number from 1 to ${MAX_LIMIT}`);
    }
    return n;
  }

  private or(): Condition {
    let left = this.and();
    while (this.atKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.atom();
    while (this.atKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.atom() };
    }
    return left;
  }

  private atom(): Condition {
    if (this.atOp('(')) {
      this.next();
      const c = this.or();
      this.op(')');
      return c;
    }
    const key = this.name('a label key');
    const t = this.next();
    if (t.kind === 'op' && t.text === '=') return { kind: 'eq', key, value: this.value() };
    if (t.kind === 'op' && t.text === '!=') return { kind: 'ne', key, value: this.value() };
    let negated = false;
    let word = t.kind === 'word' ? t.text.toUpperCase() : '';
    if (word === 'NOT') {
      negated = true;
      const u = this.next();
      word = u.kind === 'word' ? u.text.toUpperCase() : '';
      if (word !== 'LIKE' && word !== 'IN') throw this.fail(u, `expected LIKE or IN after NOT but found ${this.show(u)}`);
    }
    if (word === 'LIKE') return { kind: 'like', key, pattern: this.value(), negated };
    if (word === 'IN') {
      this.op('(');
      const values = [this.value()];
      while (this.atOp(',')) {
        this.next();
        values.push(this.value());
      }
      this.op(')');
      return { kind: 'in', key, values, negated };
    }
    throw this.fail(t, `expected =, !=, LIKE or IN after ${key} but found ${this.show(t)}`);
  }
}

/** Parses a Metrics Insights query; throws `ValidationError` when it is malformed. */
export function parseInsightsQuery(text: string): InsightsQuery {
  if (typeof text !== 'string' || text.trim() === '') throw queryError(String(text ?? ''), 0, 'the query is empty');
  return new Parser(text, tokenize(text)).parse();
}

/** Whether an Expression is Metrics Insights SQL rather than metric math (it starts with SELECT). */
export function isInsightsQuery(expression: string): boolean {
  return /^\s*SELECT\b/i.test(expression);
}
