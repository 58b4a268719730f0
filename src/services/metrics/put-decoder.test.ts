/**
 * PutMetricData decoding on worker threads answers exactly what decoding in place answers —
 * the prepared batch, or the same AWS error — over all three CloudWatch protocols, and a worker
 * that dies leaves no request unanswered.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { encode as cborEncode } from 'cbor-x';
import { createLogger } from '../../core/log.js';
import { getCodec, type ProtocolName, type WireRequest } from '../../protocols/index.js';
import { loadCloudWatchModel } from '../cloudwatch/wire.js';
import type { UndecodedInput } from '../service.js';
import { preparePut } from './put.js';
import { PutDecoder } from './put-decoder.js';
import { forEachDatum } from './samples.js';

const model = loadCloudWatchModel();
const op = model.operations.PutMetricData;
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const decoder = new PutDecoder(createLogger('silent'));
after(() => decoder.stop());

/** 1,000 datums (big enough for a worker); the one at index `bad` has an invalid StorageResolution. */
function metricData(bad?: number): Array<Record<string, unknown>> {
  return Array.from({ length: 1000 }, (_, i) => {
    const d: Record<string, unknown> = {
      MetricName: `m${i % 7}`,
      Dimensions: [{ Name: 'host', Value: `h${i % 50}` }, { Name: 'az', Value: 'a' }],
      Timestamp: new Date(NOW - (i % 5) * 1000),
      Unit: i % 2 ? 'Count' : undefined,
    };
    if (i % 3 === 0) Object.assign(d, { Values: [1, 2, i], Counts: [1, 1, 2] });
    else if (i % 3 === 1) d.Value = i / 10;
    else d.StatisticValues = { SampleCount: 2, Sum: i, Minimum: 0, Maximum: i };
    if (i === bad) d.StorageResolution = 7;
    return d;
  });
}

function wire(protocol: ProtocolName, input: { Namespace: string; MetricData: Array<Record<string, unknown>> }): WireRequest {
  if (protocol === 'json') {
    const body = JSON.stringify(input, (k, v) => (k === 'Timestamp' ? new Date(v).getTime() / 1000 : v));
    return { method: 'POST', path: '/', rawQuery: '', headers: { 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(body) };
  }
  if (protocol === 'rpcv2-cbor') {
    const clean = JSON.parse(JSON.stringify(input, (k, v) => (k === 'Timestamp' ? { $t: v } : v)), (_k, v) => (v && typeof v === 'object' && '$t' in v ? new Date(v.$t) : v));
    return { method: 'POST', path: '/service/GraniteServiceVersion20100801/operation/PutMetricData', rawQuery: '', headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' }, body: Buffer.from(cborEncode(clean)) };
  }
  const form = new URLSearchParams({ Action: 'PutMetricData', Version: '2010-08-01', Namespace: input.Namespace });
  input.MetricData.forEach((d, i) => {
    const p = `MetricData.member.${i + 1}`;
    for (const [k, v] of Object.entries(d)) {
      if (v === undefined) continue;
      if (k === 'Dimensions') {
        (v as Array<{ Name: string; Value: string }>).forEach((x, j) => {
          form.set(`${p}.Dimensions.member.${j + 1}.Name`, x.Name);
          form.set(`${p}.Dimensions.member.${j + 1}.Value`, x.Value);
        });
      }
      else if (k === 'Values' || k === 'Counts') (v as number[]).forEach((x, j) => form.set(`${p}.${k}.member.${j + 1}`, String(x)));
      else if (k === 'StatisticValues') for (const [sk, sv] of Object.entries(v as object)) form.set(`${p}.StatisticValues.${sk}`, String(sv));
      else if (k === 'Timestamp') form.set(`${p}.Timestamp`, (v as Date).toISOString());
      else form.set(`${p}.${k}`, String(v));
    }
  });
  return { method: 'POST', path: '/', rawQuery: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form.toString()) };
}

function undecoded(protocol: ProtocolName, w: WireRequest): UndecodedInput {
  return { wire: w, protocol, decode: () => getCodec(protocol).parse(w, op, { requestId: 'r', service: model }) };
}

function datums(bytes: Uint8Array): unknown[] {
  const out: unknown[] = [];
  forEachDatum(bytes, (ref, ts, highRes, unit, sample) => out.push([ref, ts, highRes, unit, structuredClone(sample)]));
  return out;
}

async function outcome(p: () => unknown): Promise<unknown> {
  try {
    const r = (await p()) as { namespace: string; batch: { series: string[]; datums: Uint8Array } };
    return { namespace: r.namespace, series: r.batch.series, datums: datums(r.batch.datums) };
  } catch (e) {
    const err = e as { code?: string; message: string; status?: number };
    return { code: err.code, message: err.message, status: err.status };
  }
}

for (const protocol of ['json', 'rpcv2-cbor', 'query'] as const) {
  describe(`over ${protocol}`, () => {
    test('a worker answers the batch that decoding in place answers', async () => {
      const w = wire(protocol, { Namespace: 'App/Decode', MetricData: metricData() });
      assert.ok(w.body.length >= 32 * 1024, 'the body is large enough to go to a worker');
      const inWorker = (await outcome(() => decoder.prepare(undecoded(protocol, w), 'r', NOW))) as { series: string[]; datums: unknown[] };
      const reference = await outcome(() => preparePut(undecoded(protocol, w).decode(), NOW));
      assert.deepEqual(inWorker, reference);
      assert.equal(inWorker.series.length, 7 * 50);
      assert.equal(inWorker.datums.length, 1000);
    });

    test('a bad datum deep in a large body gets the same AWS error as in place', async () => {
      const w = wire(protocol, { Namespace: 'App/Decode', MetricData: metricData(901) });
      const inWorker = await outcome(() => decoder.prepare(undecoded(protocol, w), 'r', NOW));
      const reference = await outcome(() => preparePut(undecoded(protocol, w).decode(), NOW));
      assert.deepEqual(inWorker, reference);
      assert.deepEqual(inWorker, {
        code: 'InvalidParameterValue',
        message: 'The value 7 for parameter MetricData.member.902.StorageResolution is invalid. Valid values are 1 and 60.',
        status: 400,
      });
    });
  });
}

test('bytes that are not JSON get the codec’s own error from the worker', async () => {
  const w = wire('json', { Namespace: 'App/Decode', MetricData: metricData() });
  const broken = { ...w, body: Buffer.concat([w.body.subarray(0, w.body.length - 10), Buffer.from('!!')]) };
  const r = (await outcome(() => decoder.prepare(undecoded('json', broken), 'r', NOW))) as { code: string; status: number };
  assert.equal(r.code, 'SerializationException');
  assert.equal(r.status, 400);
});

test('requests in flight when a worker dies are decoded in place, and the next starts a new worker', async () => {
  const own = new PutDecoder(createLogger('silent'));
  try {
    const w = wire('json', { Namespace: 'App/Decode', MetricData: metricData() });
    const first = own.prepare(undecoded('json', w), 'r', NOW);
    const slot = (own as unknown as { slots: Array<{ worker: { terminate(): Promise<number> } } | undefined> }).slots.find(Boolean)!;
    const flights = [first, own.prepare(undecoded('json', w), 'r', NOW)];
    await slot.worker.terminate();
    for (const f of flights) assert.equal((await f).batch.series.length, 350);
    const again = await own.prepare(undecoded('json', w), 'r', NOW);
    assert.equal(again.batch.series.length, 350);
  } finally {
    await own.stop();
  }
});
