/**
 * @module services/functions/invoke/url
 * Function URLs: `<publicUrl>/_signalbox/lambda/url/<url-id>/<path>` invokes the function with
 * the payload format 2.0 event and maps its answer back to HTTP as Lambda does: an object with
 * `statusCode` is taken apart (headers, cookies, body, isBase64Encoded); any other JSON result is
 * the 200 body as `application/json`. A function error is 502, a throttle 429.
 */
import { randomUUID } from 'node:crypto';
import { isServiceError } from '../../../core/errors.js';
import type { WireRequest, WireResponse } from '../../../protocols/codec.js';
import { resolveFunctionUrl } from '../resolve.js';
import type { AsyncDeps } from './async.js';

export const URL_ROUTE_PREFIX = '/_signalbox/lambda/url/';

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function headerMap(req: WireRequest): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    if (k === 'cookie') cookies = (Array.isArray(v) ? v.join('; ') : v).split(/;\s*/).filter(Boolean);
    else headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return { headers, cookies };
}

function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (!rawQuery) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** The payload format 2.0 event of one request. */
export function urlEvent(req: WireRequest, urlId: string, domain: string, now: Date): Record<string, unknown> {
  const { headers, cookies } = headerMap(req);
  const path = decodeURIComponent(req.path.slice(URL_ROUTE_PREFIX.length + urlId.length)) || '/';
  const textual = req.body.length === 0 || TEXTUAL.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: req.rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(req.rawQuery ? { queryStringParameters: queryParameters(req.rawQuery) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName: domain,
      domainPrefix: urlId,
      http: { method: req.method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(req.body.length ? { body: textual ? req.body.toString('utf8') : req.body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  };
}

/** The function's result as the HTTP response Lambda makes of it. */
export function urlResponse(payload: Buffer): WireResponse {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: payload };
  }
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: payload };
  }
  const r = result as { statusCode: unknown; headers?: Record<string, unknown>; cookies?: unknown[]; body?: unknown; isBase64Encoded?: boolean };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (Array.isArray(r.cookies) && r.cookies.length) headers['set-cookie'] = r.cookies.map(String).join(', ');
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  headers['content-type'] ??= 'application/json';
  return { status: Number(r.statusCode) || 200, headers, body: r.isBase64Encoded ? Buffer.from(body, 'base64') : body };
}

export async function serveFunctionUrl(d: AsyncDeps, req: WireRequest): Promise<WireResponse | undefined> {
  if (!req.path.startsWith(URL_ROUTE_PREFIX)) return undefined;
  const urlId = req.path.slice(URL_ROUTE_PREFIX.length).split('/')[0];
  const url = await resolveFunctionUrl({ store: d.store, config: d.config }, urlId);
  if (!url) return json(404, { Message: null });
  // AWS_IAM URLs need a SigV4-verified caller, which Signalbox's own routes cannot check yet
  if (url.authType !== 'NONE') return json(403, { Message: 'Forbidden' });
  const caller = { accountId: url.scope.accountId, region: url.scope.region, principalArn: 'anonymous' };
  try {
    const fn = await d.functions.resolve(caller, url.functionName, url.qualifier);
    if (fn.state.state !== 'Active') return json(503, { Message: 'Service Unavailable' });
    const domain = new URL(d.config.publicUrl).host;
    const event = Buffer.from(JSON.stringify(urlEvent(req, urlId, domain, new Date(d.clock.ms()))));
    const out = await d.invoker.run(fn, { requestId: randomUUID(), payload: event, invokedFunctionArn: `${fn.functionArn}:${fn.qualifier}` });
    if (out.functionError) return json(502, { Message: 'Internal Server Error' });
    return urlResponse(out.payload);
  } catch (e) {
    if (isServiceError(e) && e.code === 'TooManyRequestsException') return json(429, { Message: 'Rate Exceeded.' });
    if (isServiceError(e) && e.status === 404) return json(404, { Message: null });
    throw e;
  }
}
