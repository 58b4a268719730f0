/**
 * The subscriber side of bench/alarm-latency.mjs, in its own process: an HTTP endpoint for an SNS
 * topic that alarms notify. Answers every POST with 200 and confirms subscriptions by GETting
 * SubscribeURL. For each notification it records when the request arrived (its headers: the
 * handler's first line) under the alarm's name (Message.AlarmName), as epoch ms from
 * `performance.timeOrigin + performance.now()` — the clock the benchmark uses too (same machine).
 *
 *   POST /baseline   answers `{"at": <arrival>}`: the baseline's one-way time
 *   GET /arrivals    `{ "<AlarmName>": <first arrival>, ... }`, plus `count` (all notifications)
 *   GET /reset       forgets them
 *
 * Usage: node alarm-receiver.mjs <port>; prints "ready". Stops on SIGTERM.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
let arrivals = {};
let count = 0;
const now = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  const at = now();
  if (req.method === 'GET') {
    if (req.url === '/arrivals') return res.end(JSON.stringify({ count, arrivals }));
    if (req.url === '/reset') {
      arrivals = {};
      count = 0;
      return res.end('ok');
    }
    return res.end('ok');
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/baseline') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ at }));
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    const type = req.headers['x-amz-sns-message-type'];
    try {
      const m = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (type === 'SubscriptionConfirmation') {
        fetch(m.SubscribeURL).catch(() => {});
      } else if (type === 'Notification') {
        count++;
        const name = JSON.parse(m.Message).AlarmName;
        if (name && arrivals[name] === undefined) arrivals[name] = at;
      }
    } catch {
      /* not an alarm notification: counted nowhere */
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
