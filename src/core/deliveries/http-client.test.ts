import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { closeHttpPools, parseRetryAfter, postHttp } from './http-client.js';

let server: Server;
let base = '';
const bodies: string[] = [];

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      bodies.push(b);
      const path = req.url ?? '/';
      if (path === '/ok') return res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${b}`);
      if (path === '/long') return res.writeHead(201).end('y'.repeat(100_000));
      if (path === '/429') return res.writeHead(429, { 'retry-after': '7' }).end('slow down');
      if (path === '/503-date') return res.writeHead(503, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }).end();
      if (path === '/503') return res.writeHead(503).end();
      if (path === '/500') return res.writeHead(500).end('boom');
      if (path === '/404') return res.writeHead(404).end('no such hook');
      if (path === '/410') return res.writeHead(410).end();
      if (path === '/301') return res.writeHead(301, { location: '/ok' }).end();
      if (path === '/hang') return setTimeout(() => res.end('late'), 2000);
      res.writeHead(400).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await closeHttpPools();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('2xx is delivered, with the status, the body sent and an excerpt of the answer', async () => {
  const o = await postHttp(`${base}/ok`, { body: 'hello', headers: { 'content-type': 'text/plain' } });
  assert.deepEqual(o, { ok: true, status: 200, excerpt: 'got hello' });
  assert.equal(bodies.at(-1), 'hello');
});

test('the excerpt is at most 512 characters, and a long body does not break the connection', async () => {
  const o = await postHttp(`${base}/long`, { body: '' });
  assert.equal(o.ok, true);
  assert.equal(o.excerpt?.length, 512);
  assert.equal((await postHttp(`${base}/ok`, { body: 'again' })).ok, true);
});

test('429 and 503 are retryable and carry Retry-After (seconds or an HTTP date)', async () => {
  const a = await postHttp(`${base}/429`, { body: '' });
  assert.equal(a.ok, false);
  assert.ok(!a.ok && a.retryable && a.status === 429 && a.retryAfterMs === 7000 && a.excerpt === 'slow down', JSON.stringify(a));
  const b = await postHttp(`${base}/503-date`, { body: '' });
  assert.ok(!b.ok && b.retryable && b.status === 503, JSON.stringify(b));
  assert.ok(!b.ok && b.retryAfterMs !== undefined && b.retryAfterMs > 25_000 && b.retryAfterMs <= 30_000, JSON.stringify(b));
  const c = await postHttp(`${base}/503`, { body: '' });
  assert.ok(!c.ok && c.retryable && c.retryAfterMs === undefined);
});

test('other 5xx and 3xx are retryable; other 4xx are permanent', async () => {
  for (const [path, retryable] of [['/500', true], ['/301', true], ['/404', false], ['/410', false]] as const) {
    const o = await postHttp(`${base}${path}`, { body: '' });
    assert.equal(o.ok, false, path);
    assert.equal(!o.ok && o.retryable, retryable, path);
    assert.equal(o.status, Number(path.slice(1)), path);
  }
});

test('a timeout and a refused connection are retryable; a non-http URL is permanent', async () => {
  const t0 = Date.now();
  const o = await postHttp(`${base}/hang`, { body: '', timeoutMs: 200 });
  assert.ok(!o.ok && o.retryable && o.status === undefined, JSON.stringify(o));
  assert.ok(Date.now() - t0 < 1900, 'gave up before the answer came');
  const refused = await postHttp('http://127.0.0.1:1/x', { body: '' });
  assert.ok(!refused.ok && refused.retryable, JSON.stringify(refused));
  const bad = await postHttp('ftp://example.com/x', { body: '' });
  assert.ok(!bad.ok && !bad.retryable);
});

test('parseRetryAfter reads seconds and dates, ignores the rest', () => {
  const now = Date.UTC(2024, 0, 1, 0, 0, 0);
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});
