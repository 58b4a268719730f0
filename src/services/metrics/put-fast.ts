/**
 * @module services/metrics/put-fast
 * PutMetricData's common case, straight from a parsed AWS JSON 1.0 body to a prepared batch.
 *
 * Why: after JSON.parse, the generic route — the model-driven document walk, then validation
 * that builds a member path string for every value and a Datum object per datum, then the
 * batch encoding — cost twice what JSON.parse itself costs, on the thread every large put
 * passes through. This walk does the three in one pass and allocates little.
 *
 * It is not a second set of rules: it accepts only documents it can see are plainly valid (the
 * exact JSON types, no null, no member it does not know, every value within AWS's limits) and
 * answers undefined for anything else, which then takes the generic route and gets AWS's exact
 * error. Whatever it accepts, the generic route accepts with the same batch: put-fast.test.ts
 * holds the two side by side on generated valid and broken inputs.
 */
import { parseTimestamp } from '../../protocols/shapes.js';
import { LIMITS, STANDARD_UNIT_LIST, checkNamespace } from './model.js';
import type { PreparedPut } from './put.js';
import { HIGH_RES, KIND_SHIFT } from './samples.js';
import { Writer } from './stats/codec.js';

const DATUM_KEYS = new Set(['MetricName', 'Dimensions', 'Timestamp', 'Value', 'Values', 'Counts', 'StatisticValues', 'Unit', 'StorageResolution']);
const UNIT_CODE = new Map(STANDARD_UNIT_LIST.map((u, i) => [u, i + 1]));
const MAX_MAGNITUDE = 2 ** 360;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

type Doc = Record<string, unknown>;

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && !CONTROL.test(v);
const isValue = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_MAGNITUDE;

/** Stops the walk: the document is not plainly valid. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

function need(ok: boolean): void {
  if (!ok) throw NOT_PLAIN;
}

/** The batch of a plainly valid PutMetricData document, or undefined. */
export function preparePlainPut(doc: unknown, nowMs: number): PreparedPut | undefined {
  try {
    return walk(doc, nowMs);
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    // checkNamespace's AWS error, or anything unforeseen: the generic route decides
    return undefined;
  }
}

function walk(doc: unknown, nowMs: number): PreparedPut {
  need(isObject(doc));
  const top = doc as Doc;
  for (const k in top) need(k === 'Namespace' || k === 'MetricData');
  need(typeof top.Namespace === 'string');
  const namespace = checkNamespace(top.Namespace, 'Namespace');
  const list = top.MetricData;
  need(Array.isArray(list) && list.length > 0 && list.length <= LIMITS.maxMetricData);
  const data = list as unknown[];
  const series = new Map<string, number>();
  const w = new Writer();
  w.varuint(data.length);
  for (let i = 0; i < data.length; i++) {
    const m = data[i];
    need(isObject(m));
    const d = m as Doc;
    for (const k in d) need(DATUM_KEYS.has(k));
    const suffix = seriesOf(d);
    let ref = series.get(suffix);
    if (ref === undefined) series.set(suffix, (ref = series.size));
    w.varuint(ref);
    w.varuint(secondOf(d.Timestamp, nowMs));
    writeSample(w, d);
  }
  return { namespace, batch: { series: [...series.keys()], datums: w.finish() } };
}

/** The metric's `seriesSuffix` (core/metrics): name, then dimensions sorted by name. */
function seriesOf(d: Doc): string {
  need(isName(d.MetricName, LIMITS.maxNameLength));
  let suffix = d.MetricName as string;
  const dims = d.Dimensions;
  if (dims === undefined) return suffix;
  need(Array.isArray(dims) && dims.length <= LIMITS.maxDimensions);
  const list = dims as unknown[];
  let sorted = true;
  for (let j = 0; j < list.length; j++) {
    const x = list[j];
    need(isObject(x));
    const dim = x as Doc;
    let keys = 0;
    for (const k in dim) {
      need(k === 'Name' || k === 'Value');
      keys++;
    }
    need(keys === 2 && isName(dim.Name, LIMITS.maxNameLength) && isName(dim.Value, LIMITS.maxDimensionValueLength));
    if (j > 0) {
      const prev = (list[j - 1] as Doc).Name as string;
      need(prev !== dim.Name);
      if (prev > (dim.Name as string)) sorted = false;
    }
  }
  const ordered = (sorted ? list : [...list].sort((a, b) => ((a as Doc).Name! < (b as Doc).Name! ? -1 : 1))) as Doc[];
  for (let j = 0; j < ordered.length; j++) {
    // duplicates that were not neighbours before sorting are neighbours now
    if (j > 0) need(ordered[j - 1].Name !== ordered[j].Name);
    suffix += `\u0000${ordered[j].Name as string}\u0001${ordered[j].Value as string}`;
  }
  return suffix;
}

/** The datum's second, as the generic route computes it (epoch seconds → ms → s). */
function secondOf(t: unknown, nowMs: number): number {
  if (t === undefined) return Math.floor(nowMs / 1000);
  need(typeof t === 'number');
  const ms = parseTimestamp(t)?.getTime();
  need(ms !== undefined && ms >= nowMs - LIMITS.maxPastMs && ms <= nowMs + LIMITS.maxFutureMs);
  return Math.floor(ms! / 1000);
}

function writeSample(w: Writer, d: Doc): void {
  const res = d.StorageResolution;
  need(res === undefined || res === 1 || res === 60);
  const unit = d.Unit;
  let unitCode = 0;
  if (unit !== undefined) {
    need(typeof unit === 'string');
    unitCode = UNIT_CODE.get(unit as string) ?? -1;
    need(unitCode > 0);
  }
  const flags = res === 1 ? HIGH_RES : 0;
  const { Value: value, Values: values, Counts: counts, StatisticValues: set } = d;
  if (value !== undefined) {
    need(values === undefined && counts === undefined && set === undefined && isValue(value));
    w.u8(flags);
    w.u8(unitCode);
    w.f64(value as number);
  } else if (values !== undefined) {
    need(set === undefined && Array.isArray(values) && values.length > 0 && values.length <= LIMITS.maxValues);
    const vs = values as unknown[];
    for (let k = 0; k < vs.length; k++) need(isValue(vs[k]));
    let cs: unknown[] | undefined;
    if (counts !== undefined) {
      need(Array.isArray(counts) && counts.length === vs.length);
      cs = counts as unknown[];
      for (let k = 0; k < cs.length; k++) need(isValue(cs[k]) && (cs[k] as number) >= 0);
    }
    w.u8(flags | ((cs ? 2 : 1) << KIND_SHIFT));
    w.u8(unitCode);
    w.varuint(vs.length);
    for (let k = 0; k < vs.length; k++) w.f64(vs[k] as number);
    if (cs) for (let k = 0; k < cs.length; k++) w.f64(cs[k] as number);
  } else {
    need(counts === undefined && isObject(set));
    const s = set as Doc;
    let keys = 0;
    for (const k in s) {
      need(k === 'SampleCount' || k === 'Sum' || k === 'Minimum' || k === 'Maximum');
      keys++;
    }
    const { SampleCount: n, Sum: sum, Minimum: min, Maximum: max } = s;
    need(keys === 4 && isValue(n) && isValue(sum) && isValue(min) && isValue(max) && (n as number) > 0 && (min as number) <= (max as number));
    w.u8(flags | (3 << KIND_SHIFT));
    w.u8(unitCode);
    w.f64(n as number);
    w.f64(sum as number);
    w.f64(min as number);
    w.f64(max as number);
  }
}
