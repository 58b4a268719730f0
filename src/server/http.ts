/**
 * @module server/http
 * The one HTTP port: reads each request fully (up to the body limit, which a gzip body must also
 * respect once inflated: server/content-encoding), hands it to the internal
 * routes (`/_signalbox/…`) or the AWS gateway, and writes the answer. Stopping finishes the
 * requests in flight before the caller closes the store.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsError } from '../core/errors.js';
import { newRequestId } from '../core/ids.js';
import type { Logger } from '../core/log.js';
import type { WireRequest, WireResponse } from '../protocols/codec.js';
import { decodeRequestBody } from './content-encoding.js';
import type { Gateway } from './gateway.js';

export interface InternalRoutes {
  /** undefined when the path is not an internal route */
  handle(req: WireRequest, meta: { sourceIp: string }): Promise<WireResponse> | WireResponse | undefined;
}

export interface HttpOptions {
  maxBodyBytes: number;
  log: Logger;
  /** answered with 503 until set */
  gateway?: Gateway;
  internal?: InternalRoutes;
}

export class HttpFrontend {
  readonly server: Server;
  private inFlight = 0;
  private drained?: () => void;
  gateway?: Gateway;
  internal?: InternalRoutes;

  constructor(private readonly opts: HttpOptions) {
    this.gateway = opts.gateway;
    this.internal = opts.internal;
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => this.onRequest(req, res));
    this.server.headersTimeout = 60_000;
    this.server.requestTimeout = 300_000;
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++;
    res.once('close', () => {
      if (--this.inFlight === 0 && this.drained) this.drained();
    });
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const wire: WireRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
      body: Buffer.alloc(0),
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.opts.maxBodyBytes) return this.tooLarge(wire, req, res);

    const chunks: Buffer[] = [];
    let size = 0;
    let rejected = false;
    req.on('data', (c: Buffer) => {
      if (rejected) return;
      size += c.length;
      if (size > this.opts.maxBodyBytes) {
        rejected = true;
        this.tooLarge(wire, req, res);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (rejected) return;
      wire.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      this.decodeAndAnswer(wire, req, res).catch((e) => {
        this.opts.log.error({ err: e }, 'cannot answer request');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    req.on('error', () => res.destroy());
  }

  /** A gzip body is inflated first (bounded by the body limit); one that will not inflate is answered here. */
  private async decodeAndAnswer(wire: WireRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = await decodeRequestBody(wire, this.opts.maxBodyBytes);
    if (!refused) return this.answer(wire, req, res);
    const requestId = newRequestId();
    const out = this.gateway
      ? this.gateway.renderError(refused, undefined, requestId, wire)
      : { status: refused.status, headers: { 'content-type': 'text/plain' }, body: refused.message };
    out.headers['x-amzn-RequestId'] ??= requestId;
    write(res, out, wire.method);
  }

  private async answer(wire: WireRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let out: WireResponse | undefined;
    if (wire.path.startsWith('/_signalbox/') && this.internal) out = await this.internal.handle(wire, { sourceIp: req.socket.remoteAddress ?? '' });
    if (!out) {
      if (!this.gateway) {
        out = { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"status":"starting"}' };
      } else {
        out = await this.gateway.handle(wire, { sourceIp: req.socket.remoteAddress ?? '' });
      }
    }
    write(res, out, wire.method);
  }

  /** 413 in the request's own protocol; the rest of the body is discarded and the connection closed. */
  private tooLarge(wire: WireRequest, req: IncomingMessage, res: ServerResponse): void {
    const err = awsError('RequestEntityTooLargeException', `Request body is larger than the limit of ${this.opts.maxBodyBytes} bytes.`);
    const out = this.gateway
      ? this.gateway.renderError(err, undefined, newRequestId(), wire)
      : { status: 413, headers: { 'content-type': 'text/plain' }, body: err.message };
    write(res, out);
    // Keep reading (and discarding) so that a client still uploading gets to read the 413 instead
    // of a reset connection — which is also why the connection is not closed after the answer:
    // closing it while the client still sends makes some clients (undici) drop the answer. A
    // client that will not stop is cut off after a while.
    req.resume();
    const cutOff = setTimeout(() => req.socket.destroy(), 10_000);
    cutOff.unref();
    req.once('end', () => clearTimeout(cutOff));
  }

  /** Stops accepting, waits for requests in flight (at most `graceMs`), closes idle sockets. */
  async stop(graceMs = 10_000): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((r) => (this.drained = r)),
        new Promise<void>((r) => setTimeout(r, graceMs).unref()),
      ]);
    }
    this.server.closeAllConnections();
    await closed;
  }
}

function write(res: ServerResponse, out: WireResponse, method = 'GET'): void {
  const body = typeof out.body === 'string' ? Buffer.from(out.body, 'utf8') : out.body;
  // A codec may already have set Content-Length (S3 HeadObject states the object's size); keep
  // exactly one, and on HEAD keep the stated size but send no body.
  const declared = Object.keys(out.headers).filter((k) => k.toLowerCase() === 'content-length');
  if (method === 'HEAD') {
    res.writeHead(out.status, out.headers);
    res.end();
    return;
  }
  for (const k of declared) delete out.headers[k];
  out.headers['Content-Length'] = String(body.length);
  res.writeHead(out.status, out.headers);
  res.end(body);
}
