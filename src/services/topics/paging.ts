/**
 * @module services/topics/paging
 * NextToken for ListTopics (keyset on the topic ARN) and the subscription listings (keyset on
 * the subscription's insertion order). Tokens are opaque to callers but say which listing minted
 * them, so a token from another listing, or a mangled one, is InvalidParameter rather than read.
 */
import { invalid } from './model.js';

type Kind = 't' | 's' | 'st';

export function encodePageToken(kind: Kind, position: string | number): string {
  return Buffer.from(JSON.stringify([kind, position]), 'utf8').toString('base64url');
}

/** undefined when there is no token; the position otherwise. */
export function decodePageToken(token: unknown, kind: 't'): string | undefined;
export function decodePageToken(token: unknown, kind: 's' | 'st'): number | undefined;
export function decodePageToken(token: unknown, kind: Kind): string | number | undefined {
  if (token === undefined || token === '') return undefined;
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid('NextToken');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid('NextToken');
  }
  if (!Array.isArray(body) || body[0] !== kind) throw invalid('NextToken');
  const pos = body[1] as unknown;
  if (kind === 't' ? typeof pos !== 'string' : !Number.isSafeInteger(pos)) throw invalid('NextToken');
  return pos as string | number;
}
