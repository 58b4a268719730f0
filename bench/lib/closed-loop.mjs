/**
 * Closed-loop HTTP load, shared by the throughput benchmarks: one worker per entry of `clients`,
 * all on one keep-alive agent, each sending the request its function hands out next (undefined
 * stops that worker) until `seconds` have passed. Every answer is timed; `onBody` sees the body of
 * each 200. Requests are `{ headers, body }` as signed beforehand (POST /).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { HOST } from './common.mjs';

export async function closedLoop({ port, clients, seconds, onBody = () => {} }) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients.length });
  const times = [];
  let ok = 0;
  let bad = 0;
  let firstBad;
  const one = (req) => new Promise((resolve) => {
    const t0 = performance.now();
    const r = request({ host: HOST, port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        times.push(performance.now() - t0);
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) {
          ok++;
          onBody(text);
        } else {
          bad++;
          firstBad ??= `${res.statusCode}: ${text.slice(0, 300)}`;
        }
        resolve();
      });
    });
    r.on('error', (e) => {
      bad++;
      firstBad ??= String(e);
      resolve();
    });
    r.end(req.body);
  });
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(clients.map(async (next) => {
    while (performance.now() < end) {
      const req = next();
      if (!req) return;
      await one(req);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const pct = (p) => (times.length ? times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] : NaN);
  return { ok, bad, firstBad, secs, p50: pct(50), p99: pct(99) };
}
