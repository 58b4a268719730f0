/**
 * @module services/metrics/insights/lexer
 * Tokens of the Metrics Insights SQL dialect. Quoting follows AWS: 'single quotes' are label
 * values, "double quotes" are identifiers (namespaces, metric names, label keys) that contain
 * anything but letters, digits and underscores, or that are reserved words; inside either, a
 * backslash escapes the next character (`"Bytes\"Input\""`).
 */
import { awsError, type ServiceError } from '../../../core/errors.js';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** the word as written, or the unescaped content of a quoted token */
  text: string;
  pos: number;
}

export function queryError(text: string, pos: number, why: string): ServiceError {
  return awsError('ValidationError', `Invalid Metrics Insights query "${text}": ${why} at position ${pos + 1}.`);
}

const OPERATORS = ['!=', '=', '(', ')', ','];

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
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]*)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) throw queryError(text, start, 'unterminated quoted text');
        const ch = text[i++];
        if (ch === c) break;
        if (ch === '\\') {
          if (i >= text.length) throw queryError(text, start, 'unterminated quoted text');
          out += text[i++];
        } else {
          out += ch;
        }
      }
      tokens.push({ kind: c === '"' ? 'quoted' : 'string', text: out, pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw queryError(text, i, `unexpected "${c}"`);
    tokens.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}
