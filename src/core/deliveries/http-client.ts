/**
 * @module core/deliveries/http-client
 * The one HTTP POST that senders use (SNS http/https, webhooks, chat), so that every delivery
 * shares keep-alive connection pools and the same reading of an answer:
 * - 2xx: delivered;
 * - 429 and 503: retryable, after `Retry-After` (seconds or an HTTP date) when given;
 * - 408, other 5xx, 3xx (a webhook is not redirected: Standard Webhooks), timeouts, connection
 *   errors: retryable;
 * - other 4xx: permanent (retrying a 400 or a 410 cannot succeed).
 * The result is an `Outcome` with the status and up to 512 characters of the response body.
 */
import { createRequire } from 'node:module';
import type { Agent } from 'undici';
import type { Outcome } from './types.js';

export interface PostOptions {
  headers?: Record<string, string>;
  body: string | Buffer;
  /** for the answer's headers, then again for its body; default 15 s */
  timeoutMs?: number;
}

export const EXCERPT_CHARS = 512;
/** a body longer than this is not read to the end: the connection is dropped instead */
const MAX_READ_BYTES = 64 * 1024;

/**
 * One dispatcher for the process: a pool per origin, up to 128 keep-alive connections each (a
 * lane's concurrency is 32 by default, and several lanes may share an origin).
 */
let agent: Agent | undefined;
function dispatcher(): Agent {
  // undici is loaded with the first delivery: start-up is faster without it
  return (agent ??= new (createRequire(import.meta.url)('undici') as typeof import('undici')).Agent({ connections: 128, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 }));
}

/** closes the shared pools (tests, shutdown); the next post opens new ones */
export async function closeHttpPools(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

/** URL parsing is not free at 20k posts/s: remember the split of the URLs we post to. */
const parsed = new Map<string, { origin: string; path: string }>();
function split(url: string): { origin: string; path: string } {
  let p = parsed.get(url);
  if (!p) {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an http(s) URL: ${url}`);
    p = { origin: u.origin, path: `${u.pathname}${u.search}` };
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(url, p);
  }
  return p;
}

/** `Retry-After` in ms from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(v: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export async function postHttp(url: string, opts: PostOptions): Promise<Outcome> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let target: { origin: string; path: string };
  try {
    target = split(url);
  } catch (e) {
    return { ok: false, retryable: false, error: (e as Error).message };
  }
  try {
    const res = await dispatcher().request({
      origin: target.origin,
      path: target.path,
      method: 'POST',
      headers: opts.headers,
      body: opts.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const excerpt = await readExcerpt(res.body);
    const status = res.statusCode;
    if (status >= 200 && status < 300) return excerpt ? { ok: true, status, excerpt } : { ok: true, status };
    const error = `HTTP ${status}`;
    if (status === 429 || status === 503) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      return retryAfterMs === undefined
        ? { ok: false, retryable: true, status, error, excerpt }
        : { ok: false, retryable: true, status, error, excerpt, retryAfterMs };
    }
    const retryable = status >= 500 || status === 408 || status < 200 || (status >= 300 && status < 400);
    return { ok: false, retryable, status, error, excerpt };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { ok: false, retryable: true, error: `${err.code ?? err.name}: ${err.message}`.slice(0, EXCERPT_CHARS) };
  }
}

/** The first 512 characters of the body; the rest is read and discarded (up to 64 KiB) so the connection can be reused. */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (kept < EXCERPT_CHARS * 4) {
      chunks.push(chunk);
      kept += chunk.length;
    }
    if (read > MAX_READ_BYTES) {
      body.destroy();
      break;
    }
  }
  if (chunks.length === 0) return '';
  const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
  return text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text;
}
