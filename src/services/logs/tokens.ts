/**
 * @module services/logs/tokens
 * The paging tokens of CloudWatch Logs, opaque to callers and self-checking here.
 *
 * - GetLogEvents: `f/<56 digits>/s` (forward) and `b/<56 digits>/s` (backward), shaped like
 *   AWS's. The digits hold the stream id and a cursor, a position between two events in
 *   (timestamp, id) order: forward reads the events after it, backward the ones at or before it.
 *   A token of another stream is refused.
 * - FilterLogEvents and the Describe* listings: base64url JSON naming the operation and where to
 *   resume (a keyset position, never an offset, so writes between calls shift nothing).
 *
 * A mangled or foreign token is InvalidParameterException, as AWS answers it.
 */
import { invalidParameter } from './validation.js';
import type { Cursor } from './store.js';

/** Before every event / after every event (timestamps and ids are far below these). */
export const BEFORE_ALL: Cursor = { ts: -1, id: 0 };
export const AFTER_ALL: Cursor = { ts: 9e15, id: Number.MAX_SAFE_INTEGER };

function invalidToken(): never {
  return invalidParameter('The specified nextToken is invalid.');
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface StreamToken {
  direction: 'forward' | 'backward';
  cursor: Cursor;
}

export function encodeStreamToken(streamId: number, t: StreamToken): string {
  const digits = pad(streamId, 18) + pad(t.cursor.ts + 1, 19) + pad(t.cursor.id, 19);
  return `${t.direction === 'forward' ? 'f' : 'b'}/${digits}/s`;
}

export function decodeStreamToken(token: string, streamId: number): StreamToken {
  const m = /^([fb])\/(\d{18})(\d{19})(\d{19})\/s$/.exec(token);
  if (!m || Number(m[2]) !== streamId) invalidToken();
  return { direction: m[1] === 'f' ? 'forward' : 'backward', cursor: { ts: Number(m[3]) - 1, id: Number(m[4]) } };
}

/** `eventId` of FilterLogEvents: unique and stable, which `aws logs tail --follow` relies on to skip repeats. */
export function eventIdOf(ts: number, id: number): string {
  return pad(ts, 19) + pad(id, 19);
}

type PageKind = 'filter' | 'groups' | 'streams' | 'metricFilters';

export function encodePageToken(kind: PageKind, body: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ k: kind, ...body }), 'utf8').toString('base64url');
}

/** The token's body, or undefined when there is no token; a token of another kind is invalid. */
export function decodePageToken(token: string | undefined, kind: PageKind): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) invalidToken();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    invalidToken();
  }
  if (typeof body !== 'object' || body === null || (body as { k?: unknown }).k !== kind) invalidToken();
  return body as Record<string, unknown>;
}

export function tokenString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string') invalidToken();
  return v;
}

export function tokenNumber(body: Record<string, unknown>, key: string): number {
  const v = body[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) invalidToken();
  return v;
}
