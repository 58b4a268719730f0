/**
 * @module services/metrics/put-worker
 * A worker thread that decodes and validates PutMetricData bodies (see put-decoder.ts): a plainly
 * valid JSON body takes put-fast.ts, anything else the same codec and checks the main thread
 * would run; it answers a prepared batch or the error.
 */
import { parentPort } from 'node:worker_threads';
import { isServiceError } from '../../core/errors.js';
import type { ProtocolName } from '../../protocols/codec.js';
import { getCodec } from '../../protocols/index.js';
import { loadCloudWatchModel } from '../cloudwatch/wire.js';
import { preparePut } from './put.js';
import { preparePlainPut } from './put-fast.js';

export interface DecodeJob {
  id: number;
  protocol: ProtocolName;
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  requestId: string;
  nowMs: number;
}

export type DecodeAnswer =
  | { id: number; namespace: string; series: string[]; datums: Uint8Array }
  | { id: number; error: { code: string; message: string; fields?: Record<string, unknown>; status: number; queryCode?: string } }
  | { id: number; failure: string };

const model = loadCloudWatchModel();

/** The body as JSON, or undefined: the codec then answers the bytes as they deserve. */
function parsedJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
const op = model.operations.PutMetricData;

parentPort!.on('message', (job: DecodeJob) => {
  let answer: DecodeAnswer;
  const transfer: ArrayBuffer[] = [];
  try {
    const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
    const { namespace, batch } =
      (job.protocol === 'json' ? preparePlainPut(parsedJson(body), job.nowMs) : undefined) ??
      preparePut(getCodec(job.protocol).parse({ method: job.method, path: job.path, rawQuery: job.rawQuery, headers: job.headers, body }, op, { requestId: job.requestId, service: model }), job.nowMs);
    // a small Buffer may be a slice of Node's shared pool, which must not be transferred
    const datums = batch.datums.byteLength === batch.datums.buffer.byteLength ? batch.datums : new Uint8Array(batch.datums);
    transfer.push(datums.buffer as ArrayBuffer);
    answer = { id: job.id, namespace, series: batch.series, datums };
  } catch (e) {
    answer = isServiceError(e)
      ? { id: job.id, error: { code: e.code, message: e.message, fields: e.fields, status: e.status, queryCode: e.queryCode } }
      : { id: job.id, failure: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage(answer, transfer);
});
