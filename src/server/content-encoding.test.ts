/**
 * `Content-Encoding: gzip` request bodies: inflated for the RPC protocols (JSON, RPC v2 CBOR,
 * Query) and left alone for REST; SigV4 still verifies over the bytes sent; the body limit holds
 * for the inflated size (413); bad gzip is a 400 in the client's protocol, through the real
 * HTTP front end and the gateway's error rendering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadConfig } from '../config/load.js';
import { ManualClock } from '../core/clock.js';
import { createLogger } from '../core/log.js';
import type { AuditTrail } from '../core/audit/trail.js';
import type { WireRequest, WireResponse } from '../protocols/codec.js';
import { verifySigV4 } from './auth/sigv4.js';
import { decodeRequestBody } from './content-encoding.js';
import { Gateway } from './gateway.js';
import { HttpFrontend } from './http.js';

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' };
const QUERY_HEADERS = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

const wire = (headers: Record<string, string>, body: Buffer, path = '/'): WireRequest => ({ method: 'POST', path, rawQuery: '', headers, body });

describe('decodeRequestBody', () => {
  test('inflates a gzip JSON, CBOR or Query body and keeps the bytes sent as rawBody', async () => {
    const text = JSON.stringify({ Namespace: 'N', MetricData: [{ MetricName: 'm', Value: 1 }] });
    const cases = [
      wire({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, gzipSync(text)),
      wire({ 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'content-encoding': 'GZIP' }, gzipSync(text), '/service/S/operation/Op'),
      wire({ ...QUERY_HEADERS, 'content-encoding': 'x-gzip' }, gzipSync(text)),
    ];
    for (const w of cases) {
      const sent = w.body;
      assert.equal(await decodeRequestBody(w, 1 << 20), undefined);
      assert.equal(w.body.toString(), text);
      assert.equal(w.rawBody, sent);
    }
  });

  test('gzip applied twice is undone twice; identity is ignored', async () => {
    const w = wire({ ...QUERY_HEADERS, 'content-encoding': 'gzip, identity, gzip' }, gzipSync(gzipSync('Action=ListMetrics')));
    assert.equal(await decodeRequestBody(w, 1 << 20), undefined);
    assert.equal(w.body.toString(), 'Action=ListMetrics');
  });

  test('leaves alone: no header, identity, other encodings, an empty body, and REST requests (S3 object encoding)', async () => {
    const gz = gzipSync('{}');
    const untouched = [
      wire(JSON_HEADERS, Buffer.from('{}')),
      wire({ ...JSON_HEADERS, 'content-encoding': 'identity' }, Buffer.from('{}')),
      wire({ ...JSON_HEADERS, 'content-encoding': 'br' }, gz),
      wire({ ...JSON_HEADERS, 'content-encoding': 'gzip, br' }, gz),
      wire({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, Buffer.alloc(0)),
      wire({ 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' }, gz, '/bucket/key.json.gz'),
    ];
    for (const w of untouched) {
      const before = w.body;
      assert.equal(await decodeRequestBody(w, 1 << 20), undefined);
      assert.equal(w.body, before);
      assert.equal(w.rawBody, undefined);
    }
  });

  test('a body that inflates past the limit is RequestEntityTooLargeException (413)', async () => {
    const bomb = gzipSync(Buffer.alloc(5 << 20)); // 5 MiB of zeros, ~5 KiB on the wire
    assert.ok(bomb.length < 10_000);
    const w = wire({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, bomb);
    const err = await decodeRequestBody(w, 1 << 20);
    assert.equal(err?.code, 'RequestEntityTooLargeException');
    assert.equal(err?.status, 413);
    assert.equal(w.body, bomb);
    // exactly at the limit is fine
    const w2 = wire({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, gzipSync(Buffer.alloc(1 << 20)));
    assert.equal(await decodeRequestBody(w2, 1 << 20), undefined);
    assert.equal(w2.body.length, 1 << 20);
  });

  test('malformed gzip: SerializationException for JSON and CBOR, MalformedQueryString for Query', async () => {
    const truncated = gzipSync('{"Namespace":"N"}').subarray(0, 12);
    const bad = [
      [wire({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, Buffer.from('{"not":"gzip"}')), 'SerializationException'],
      [wire({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, truncated), 'SerializationException'],
      [wire({ 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'content-encoding': 'gzip' }, truncated, '/service/S/operation/Op'), 'SerializationException'],
      [wire({ ...QUERY_HEADERS, 'content-encoding': 'gzip' }, Buffer.from('Action=ListMetrics')), 'MalformedQueryString'],
    ] as const;
    for (const [w, code] of bad) {
      const err = await decodeRequestBody(w, 1 << 20);
      assert.equal(err?.code, code);
      assert.equal(err?.status, 400);
    }
  });
});

describe('SigV4 over a gzip body', () => {
  const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
  const signer = new SignatureV4({ service: 'monitoring', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  const sign = async (body: Buffer): Promise<WireRequest> => {
    const headers = { host: '127.0.0.1:4566', ...JSON_HEADERS, 'content-encoding': 'gzip' };
    const s = (await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', query: {}, headers, body } as never, { signingDate: new Date(NOW) })) as unknown as { headers: Record<string, string> };
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.headers)) h[k.toLowerCase()] = v;
    return wire(h, body);
  };
  const opts = { secretFor: (id: string) => (id === 'test' ? 'test' : undefined), nowMs: NOW, maxSkewSeconds: 900 };
  const text = '{"Namespace":"N","MetricData":[{"MetricName":"m","Value":1}]}';

  test('signed over the compressed bytes (as the SDK signs): verifies after the body is inflated', async () => {
    const w = await sign(gzipSync(text));
    assert.equal(await decodeRequestBody(w, 1 << 20), undefined);
    assert.equal(w.body.toString(), text);
    assert.deepEqual((await verifySigV4(w, opts)).ok, true);
  });

  test('signed over the inflated bytes: refused, since those are not the bytes sent', async () => {
    const signedPlain = await sign(Buffer.from(text));
    const w = wire(signedPlain.headers as Record<string, string>, gzipSync(text));
    assert.equal(await decodeRequestBody(w, 1 << 20), undefined);
    const v = await verifySigV4(w, opts);
    assert.equal(v.ok, false);
    // the signer states the payload hash in x-amz-content-sha256: the bytes sent do not match it
    assert.equal(!v.ok && v.failure.kind, 'payload-hash');
    delete w.headers['x-amz-content-sha256'];
    const without = await verifySigV4(w, opts);
    assert.equal(!without.ok && without.failure.kind, 'bad-signature');
  });
});

describe('HttpFrontend with gzip bodies', () => {
  let http: HttpFrontend;
  let url: string;
  let seen: WireRequest | undefined;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sbx-gzip-'));
    const log = createLogger('silent');
    const gateway = new Gateway({ config: loadConfig({ dataDir }, {}), services: [], audit: {} as AuditTrail, clock: new ManualClock(), log });
    // what reaches the gateway is all this test needs; errors still go through its real renderer
    gateway.handle = async (req): Promise<WireResponse> => {
      seen = req;
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: req.body };
    };
    http = new HttpFrontend({ maxBodyBytes: 64 * 1024, log, gateway });
    const a = await http.listen('127.0.0.1', 0);
    url = `http://127.0.0.1:${a.port}`;
  });
  after(async () => {
    await http?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (headers: Record<string, string>, body: Buffer) => fetch(url, { method: 'POST', headers, body: new Uint8Array(body) });

  test('the gateway receives the inflated body and the bytes sent', async () => {
    const text = JSON.stringify({ big: 'x'.repeat(40_000) });
    const gz = gzipSync(text);
    const r = await post({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, gz);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), text);
    assert.deepEqual(seen?.rawBody, gz);
  });

  test('inflating past maxBodyBytes: 413 RequestEntityTooLargeException in the request protocol', async () => {
    const r = await post({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, gzipSync(Buffer.alloc(1 << 20, 'a')));
    assert.equal(r.status, 413);
    assert.match(String((await r.json()).__type), /RequestEntityTooLargeException/);
    assert.ok(r.headers.get('x-amzn-requestid'));
  });

  test('malformed gzip: 400 as JSON for a JSON client, as XML for a Query client', async () => {
    const j = await post({ ...JSON_HEADERS, 'content-encoding': 'gzip' }, Buffer.from('{}'));
    assert.equal(j.status, 400);
    assert.match(String((await j.json()).__type), /SerializationException/);
    const q = await post({ ...QUERY_HEADERS, 'content-encoding': 'gzip' }, Buffer.from('Action=ListMetrics&Version=2010-08-01'));
    assert.equal(q.status, 400);
    const xml = await q.text();
    assert.match(xml, /<Code>MalformedQueryString<\/Code>/);
  });
});
