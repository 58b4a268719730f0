/**
 * @module services/functions/model/paging
 * Marker / MaxItems paging. A marker is opaque to clients (base64url JSON of where the page
 * ended), so listing stays a keyset query whatever is created or deleted between pages.
 */
import { invalid, optInt, optString, validation, type Input } from './input.js';
import { MAX_PAGE } from './limits.js';

/** The page size: MaxItems within its model range, never more than Lambda's page limit. */
export function pageSize(input: Input, modelMax = 10_000): number {
  const n = optInt(input, 'MaxItems');
  if (n === undefined) return MAX_PAGE;
  if (n < 1) throw validation(n, 'maxItems', 'Member must have value greater than or equal to 1');
  if (n > modelMax) throw validation(n, 'maxItems', `Member must have value less than or equal to ${modelMax}`);
  return Math.min(n, MAX_PAGE);
}

export function encodeMarker(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position a Marker names, or undefined for the first page. */
export function readMarker<T>(input: Input, check: (v: unknown) => v is T): T | undefined {
  const raw = optString(input, 'Marker');
  if (raw === undefined || raw === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (!check(v)) throw invalid('Invalid Marker. Use the NextMarker of the previous page.');
  return v;
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Cuts one extra row off a query that asked for `size + 1`: the page and its NextMarker. */
export function page<T>(rows: T[], size: number, position: (last: T) => unknown): { items: T[]; next?: string } {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, next: encodeMarker(position(items[items.length - 1])) };
}
