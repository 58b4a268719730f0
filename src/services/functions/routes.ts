/**
 * @module services/functions/routes
 * Signalbox's own unsigned Lambda routes: `GET /_signalbox/lambda/code/<id>?expires=…&signature=…`
 * answers the zip a GetFunction Code.Location (or a layer's Content.Location) points at, while
 * the link is valid. Function URLs (`/_signalbox/lambda/url/…`) are served by the invoke path.
 */
import type { WireRequest, WireResponse } from '../../protocols/codec.js';
import { CodePackages } from './code/packages.js';
import type { FunctionsDeps } from './deps.js';
import { CODE_ROUTE_PREFIX, verifyCodeLocation } from './model/code-location.js';

function text(status: number, message: string): WireResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message };
}

export async function serveCode(d: FunctionsDeps, req: WireRequest): Promise<WireResponse | undefined> {
  if (!req.path.startsWith(CODE_ROUTE_PREFIX)) return undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed');
  const id = req.path.slice(CODE_ROUTE_PREFIX.length);
  if (!CodePackages.isId(id) || !verifyCodeLocation(d.secrets, id, req.rawQuery, d.clock.ms())) {
    return text(403, 'this code location is not valid or has expired: ask GetFunction for a fresh one');
  }
  let zip: Buffer;
  try {
    zip = await d.packages.readZip(id);
  } catch {
    return text(404, 'no such code package');
  }
  return { status: 200, headers: { 'content-type': 'application/zip', 'content-length': String(zip.length) }, body: zip };
}
