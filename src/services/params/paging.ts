/**
 * @module services/params/paging
 * NextToken and MaxResults for the listing operations.
 *
 * Pages are keyset pages (the last name or version returned), not offsets, so a parameter
 * written or deleted between two calls does not shift the following pages. The token is opaque
 * to callers but self-describing here: which operation minted it and where to resume, so a token
 * from another operation or a mangled one is refused with InvalidNextToken rather than read.
 */
import { awsError } from '../../core/errors.js';
import { Violations } from './validation.js';

type TokenKind = 'path' | 'describe' | 'history';

interface TokenBody {
  k: TokenKind;
  /** resume after this name (path, describe) */
  n?: string;
  /** resume after this version (history) */
  v?: number;
}

export function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function invalid(): never {
  throw awsError('InvalidNextToken', 'The specified token is not valid.');
}

export function decodeNameToken(token: string | undefined, kind: 'path' | 'describe'): string | undefined {
  if (token === undefined) return undefined;
  const body = parse(token);
  if (body.k !== kind || typeof body.n !== 'string') invalid();
  return body.n;
}

export function decodeVersionToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const body = parse(token);
  if (body.k !== 'history' || typeof body.v !== 'number' || !Number.isSafeInteger(body.v) || body.v < 0) invalid();
  return body.v;
}

function parse(token: string): TokenBody {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) invalid();
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid();
    return body as TokenBody;
  } catch (e) {
    if ((e as { code?: string }).code === 'InvalidNextToken') throw e;
    return invalid();
  }
}

/** MaxResults within the operation's range, or its default when absent. */
export function pageSize(maxResults: number | undefined, max: number, fallback: number): number {
  const v = new Violations();
  v.range(maxResults, 'maxResults', 1, max);
  v.throwIfAny();
  return maxResults ?? fallback;
}
