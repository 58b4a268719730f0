/**
 * @module services/metrics/math/lexer
 * Splits a metric math expression into tokens. Identifiers keep their case: on AWS, functions and
 * keywords are upper case and query ids start with a lower-case letter, and the parser relies on
 * that to tell `AVG(m1)` from a reference to a query named `avg`.
 */
import { awsError, type ServiceError } from '../../../core/errors.js';

export type TokenKind = 'number' | 'ident' | 'string' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** offset in the expression, for error messages */
  pos: number;
  value?: number;
}

/** Two-character operators first, so `<=` is not read as `<` then `=`. */
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '^', '<', '>', '(', ')', '[', ']', ','];

/**
 * Quote pairs accepted around METRICS' filter: ASCII double and single quotes, and the
 * typographic pair AWS's own documentation prints (`METRICS(“4xx”)`), which users paste.
 */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d' };

export function syntaxError(text: string, pos: number, why: string): ServiceError {
  return awsError('ValidationError', `Invalid metric math expression "${text}": ${why} at position ${pos + 1}.`);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw syntaxError(text, i, `unexpected "${c}"`);
      i += m[0].length;
      // "5m1" is a number glued to an identifier, never a valid expression
      if (i < text.length && /[A-Za-z_]/.test(text[i])) throw syntaxError(text, i, 'unexpected identifier after number');
      tokens.push({ kind: 'number', text: m[0], pos: start, value: Number(m[0]) });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      i += m[0].length;
      tokens.push({ kind: 'ident', text: m[0], pos: start });
      continue;
    }
    const close = QUOTES[c];
    if (close) {
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw syntaxError(text, i, 'unterminated string');
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw syntaxError(text, i, `unexpected "${c}"`);
    tokens.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}
