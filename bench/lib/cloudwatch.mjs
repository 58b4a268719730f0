/**
 * CloudWatch requests for the benchmarks: AWS JSON 1.0 (`POST /`,
 * `X-Amz-Target: GraniteServiceVersion20100801.<Op>`), SigV4-signed as `monitoring` with test/test,
 * optionally gzip-compressed (the signature covers the bytes sent, as the SDKs do). A signed
 * request is replayable for 15 minutes, so a benchmark signs before it measures and only sends
 * while it measures; the client's CPU then goes to sending, not to hashing.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { CREDENTIALS, HOST, REGION } from './common.mjs';

export const TARGET_PREFIX = 'GraniteServiceVersion20100801';

const signer = new SignatureV4({ service: 'monitoring', region: REGION, credentials: CREDENTIALS, sha256: Hash.bind(null, 'sha256') });

/**
 * `{ headers, body }` (body a Buffer) for operation `op` with `input` (an object, or a JSON string
 * already made), ready to send to `port` any number of times within 15 minutes.
 */
export async function signCloudWatch(port, op, input, { gzip = false } = {}) {
  const json = typeof input === 'string' ? input : JSON.stringify(input);
  const body = gzip ? gzipSync(json) : Buffer.from(json);
  const headers = {
    host: `${HOST}:${port}`,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `${TARGET_PREFIX}.${op}`,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  const s = await signer.sign({ method: 'POST', protocol: 'http:', hostname: HOST, port, path: '/', query: {}, headers, body });
  return { headers: { ...s.headers, 'content-length': String(body.length) }, body, jsonBytes: Buffer.byteLength(json) };
}

/**
 * Sends one signed request (on `agent`, or a fresh connection). Resolves
 * `{ status, text, sentAt, doneAt }` with times from `performance.timeOrigin + performance.now()`
 * (epoch ms, sub-millisecond) when the request was handed over and when the answer had arrived.
 * Rejects on connection errors.
 */
export function sendSigned(port, req, agent = false) {
  return new Promise((resolve, reject) => {
    const sentAt = performance.timeOrigin + performance.now();
    const r = request({ host: HOST, port, method: 'POST', path: '/', headers: req.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), sentAt, doneAt: performance.timeOrigin + performance.now() }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Signs and sends one call; throws unless it answers 200. Resolves the parsed answer. */
export async function callCloudWatch(port, op, input, agent = false) {
  const r = await sendSigned(port, await signCloudWatch(port, op, input), agent);
  if (r.status !== 200) throw new Error(`${op} answered ${r.status}: ${r.text.slice(0, 500)}`);
  return r.text ? JSON.parse(r.text) : {};
}
