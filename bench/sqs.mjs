/**
 * SQS message throughput: SendMessage, ReceiveMessage and DeleteMessage messages/s over keep-alive
 * HTTP, against a bare node:http echo server measured in the same run with the same load loop.
 *
 * Real requests: AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.*`), SigV4-signed with test/test. Sends
 * and receives replay one signed request each (a signature is valid for 15 minutes); every
 * DeleteMessage names a different receipt handle, so those requests are all signed before the
 * timed phase and only sent during it. Each phase is bounded by time (BENCH_DURATION) and the
 * delete phase also by the handles the receive phase collected. Loopback only.
 *
 *   node bench/sqs.mjs        (after `npm run build`)
 *   BENCH_DURATION=5 BENCH_CONNECTIONS=16 (optional)
 *
 * Exits 1 when a Signalbox answer was not 200 or a request failed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  startEcho,
  CREDENTIALS, HOST, REGION, envNumber, freePort, num, requireBuild, startSignalbox, stopChild, table, track, watchdog,
} from './lib/common.mjs';
import { closedLoop } from './lib/closed-loop.mjs';

const DURATION = envNumber('BENCH_DURATION', 5); // seconds per phase
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 16);
const BODY = 'bench message 0123456789 abcdefghijklmnopqrstuvwxyz';

requireBuild();
// echo + send + receive + delete phases, plus start-up, signing and teardown
watchdog((4 * DURATION + 120) * 1000, 'sqs');

const signer = new SignatureV4({ service: 'sqs', region: REGION, credentials: CREDENTIALS, sha256: Hash.bind(null, 'sha256') });

async function signed(port, op, input) {
  const body = JSON.stringify(input);
  const s = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: HOST, port, path: '/', query: {},
    headers: { host: `${HOST}:${port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` },
    body,
  });
  return { headers: { ...s.headers, 'content-length': String(Buffer.byteLength(body)) }, body };
}

/** CONNECTIONS workers sending `next()` (undefined stops) for one phase; `onBody` sees each 200's body. */
async function load(port, next, onBody) {
  const r = await closedLoop({ port, clients: Array.from({ length: CONNECTIONS }, () => next), seconds: DURATION, onBody });
  return { ...r, seconds: r.secs };
}

let echo;
let sbx;
let failed = false;
try {
  echo = await startEcho();
  sbx = await startSignalbox();
  const port = sbx.port;
  const create = await signed(port, 'CreateQueue', { QueueName: 'bench', Attributes: { VisibilityTimeout: '43200' } });
  const created = await load1(port, create);
  const QueueUrl = JSON.parse(created).QueueUrl;

  const send = await signed(port, 'SendMessage', { QueueUrl, MessageBody: BODY });
  const echoSend = await signed(echo.port, 'SendMessage', { QueueUrl, MessageBody: BODY });
  const rows = [];

  const e = await load(echo.port, () => echoSend);
  rows.push(['node:http echo (SendMessage bytes)', e, e.ok]);

  const s = await load(port, () => send);
  rows.push(['SendMessage', s, s.ok]);

  const receive = await signed(port, 'ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 1 });
  const handles = [];
  const r = await load(port, () => receive, (text) => {
    for (const m of JSON.parse(text).Messages ?? []) handles.push(m.ReceiptHandle);
  });
  rows.push(['ReceiveMessage (1 per call)', r, handles.length]);

  // every delete names its own handle: sign them all first, then only send them
  const deletes = [];
  for (const ReceiptHandle of handles) deletes.push(await signed(port, 'DeleteMessage', { QueueUrl, ReceiptHandle }));
  let i = 0;
  const d = await load(port, () => deletes[i++]);
  rows.push([`DeleteMessage (${num(deletes.length)} handles)`, d, d.ok]);

  console.log(`SQS over keep-alive HTTP: ${CONNECTIONS} concurrent clients, up to ${DURATION} s per phase, SigV4-signed AWS JSON 1.0, ${BODY.length}-byte bodies`);
  console.log(table(
    ['target', 'messages/s', 'calls/s', 'p50 ms', 'p99 ms', 'calls', 'non-200'],
    rows.map(([name, x, messages]) => [name, num(messages / x.seconds), num(x.ok / x.seconds), num(x.p50, 2), num(x.p99, 2), num(x.ok + x.bad), num(x.bad)]),
  ));
  const ratio = (s.ok / s.seconds) / (e.ok / e.seconds);
  console.log(`\nSendMessage / echo: ${num(ratio * 100, 1)} % of echo calls/s`);
  for (const [name, x] of rows) {
    if (x.bad > 0) {
      console.log(`${name}: ${x.bad} failed calls (first: ${x.firstBad}): the measurement is not valid`);
      failed = true;
    }
  }
} catch (err) {
  console.error(`sqs: ${err.stack ?? err}${sbx ? `\n--- server output ---\n${sbx.output()}` : ''}`);
  failed = true;
} finally {
  await sbx?.dispose();
  if (echo) await stopChild(echo.child);
}
process.exit(failed ? 1 : 0);

/** One request on its own connection; the body of a 200 answer. */
function load1(port, req) {
  return new Promise((resolve, reject) => {
    const r = request({ host: HOST, port, method: 'POST', path: '/', headers: req.headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`${res.statusCode}: ${text}`));
      });
    });
    r.on('error', reject);
    r.end(req.body);
  });
}
