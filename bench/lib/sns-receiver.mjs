/**
 * The subscriber side of bench/sns-delivery.mjs, in its own process: answers every POST with 200,
 * confirms SNS subscriptions by GETting SubscribeURL, and for notifications whose Message is
 * `{"sent": <epoch ms>}` records the publish → delivery latency. `GET /stats` returns
 * { count, latencies } and resets; `GET /count` returns the count only.
 * Usage: node sns-receiver.mjs <port>; prints "ready".
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
let count = 0;
let latencies = [];
let first = 0;
let last = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/count') return res.end(String(count));
    if (req.url === '/stats') {
      const out = JSON.stringify({ count, first, last, latencies });
      count = 0; latencies = []; first = 0; last = 0;
      return res.end(out);
    }
    return res.end('ok');
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    const body = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['x-amz-sns-message-type'];
    if (type === 'SubscriptionConfirmation') {
      const m = JSON.parse(body);
      fetch(m.SubscribeURL).catch(() => {});
    } else {
      count++;
      if (!first) first = now;
      last = now;
      try {
        const m = JSON.parse(body);
        const sent = JSON.parse(m.Message ?? body).sent;
        if (sent) latencies.push(now - sent);
      } catch { /* baseline posts */ }
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(); process.exit(0); });
