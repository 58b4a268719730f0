/**
 * @module services/metrics/metric-store
 * The metric store: series, ingestion and aggregates per period.
 *
 * Why this shape: PutMetricData must answer only once its datapoints are durable, yet ingest
 * hundreds of thousands of datapoints per second. Writing one row per datapoint (or per
 * series and second) would cost a statement each; instead each call is one `cw_ingest` row
 * (group-committed with every other write), folded into in-memory aggregates at once, and
 * those aggregates are merged into `cw_points` every couple of seconds, in the same transaction
 * that deletes the ingest rows they came from. Reads merge the stored points with the aggregates
 * not yet flushed, so a datapoint is readable as soon as its put has answered.
 *
 * Stored aggregates exist per resolution (1 s for high-resolution data, 60, 300 and 3600 s), so a
 * query at any period reads the coarsest resolution that divides it, and each resolution expires
 * on its own schedule (CloudWatch's retention: 3 h, 15 d, 63 d, 455 d). In memory only the 1 s
 * and 60 s periods are kept; the flush derives the 300 s and 3600 s ones from the 60 s ones.
 */
import type { Logger } from '../../core/log.js';
import { namespaceKey, parseSeriesSuffix, seriesKey, seriesSuffix, type Dimension, type IngestNotice, type MetricScope } from '../../core/metrics/index.js';
import type { Queryable, Store } from '../../store/store.js';
import { addSample, forEachDatum, logRow, readLogRow, type PreparedBatch, type Sample } from './samples.js';
import { cloneAggregate, decodeAggregate, encodeAggregate, mergeInto, type Aggregate } from './stats/aggregate.js';
import * as db from './store.js';

export const RESOLUTIONS = [1, 60, 300, 3600] as const;
/** how long each resolution is kept, seconds */
export const RETENTION: Record<number, number> = { 1: 3 * 3600, 60: 15 * 86400, 300: 63 * 86400, 3600: 455 * 86400 };

export interface Series {
  id: number;
  /** core/metrics seriesKey */
  key: string;
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  /** sorted by name */
  dimensions: Dimension[];
  lastPut: number;
  /** what alarms hear when a put touches it: one object per series, not one per put */
  notice: IngestNotice;
}

export interface Bucket {
  ts: number;
  unit: string | undefined;
  agg: Aggregate;
}

interface HotBucket extends Bucket {
  /** 1 or 60 */
  res: number;
}

/** series id → (period start × 2 + (1 s period ? 1 : 0)) → bucket: numeric keys, no strings */
type BucketMap = Map<number, Map<number, HotBucket>>;

const FLUSH_MS = 2000;
const EXPIRE_MS = 10 * 60 * 1000;

function bucketsOf(map: BucketMap, seriesId: number): Map<number, HotBucket> {
  let buckets = map.get(seriesId);
  if (!buckets) map.set(seriesId, (buckets = new Map()));
  return buckets;
}

/** Folds one datum into its period at `res` (1 or 60). */
function addSampleTo(map: BucketMap, seriesId: number, res: number, ts: number, unit: string | undefined, sample: Sample): void {
  const buckets = bucketsOf(map, seriesId);
  const start = ts - (ts % res);
  const k = start * 2 + (res === 1 ? 1 : 0);
  const b = buckets.get(k);
  if (b) {
    addSample(b.agg, sample);
    if (unit !== undefined) b.unit = unit;
  } else {
    buckets.set(k, { ts: start, res, unit, agg: addSample(undefined, sample) });
  }
}

/** Adds a copy of `b` to the period starting at `ts` of a coarser resolution (leaves `b` as it is). */
function foldInto(out: Map<number, Bucket>, ts: number, b: Bucket): void {
  const have = out.get(ts);
  if (have) {
    mergeInto(have.agg, b.agg);
    if (b.unit !== undefined) have.unit = b.unit;
  } else {
    out.set(ts, { ts, unit: b.unit, agg: cloneAggregate(b.agg) });
  }
}

/** Merges a whole bucket back (a failed flush returns its snapshot). */
function mergeBucket(map: BucketMap, seriesId: number, b: HotBucket): void {
  const buckets = bucketsOf(map, seriesId);
  const k = b.ts * 2 + (b.res === 1 ? 1 : 0);
  const have = buckets.get(k);
  if (have) {
    mergeInto(have.agg, b.agg);
    if (b.unit !== undefined) have.unit = b.unit;
  } else {
    buckets.set(k, b);
  }
}

export class MetricStore {
  /** namespaceKey → seriesSuffix → series: a put resolves each distinct series with one lookup */
  private readonly namespaces = new Map<string, Map<string, Series>>();
  private readonly byId = new Map<number, Series>();
  /** aggregates applied since the last flush began */
  private hot: BucketMap = new Map();
  private hotSeqs: number[] = [];
  /** the aggregates a running flush is writing: still read until it commits */
  private flushing: BucketMap | undefined;
  private dirtySeries = new Set<number>();
  private flushTimer: NodeJS.Timeout | undefined;
  private expireTimer: NodeJS.Timeout | undefined;
  private flushRunning: Promise<void> | undefined;
  /**
   * A flush's writes become visible in cw_points at its COMMIT, yet `flushing` is only dropped
   * once the transaction has also been synced: a read in between would count those aggregates
   * twice. So the flush drops `flushing` itself when its writes are done (COMMIT follows before
   * the store's lock is released), bumping `flushEpoch`; a read whose rows may predate that, or
   * that ran while a flush was writing, reads again.
   */
  private flushEpoch = 0;
  private flushWriting = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Loads the series and folds in the ingest rows a previous run left. */
  async load(): Promise<void> {
    for (const r of await db.allSeries(this.store)) {
      const dimensions = (JSON.parse(r.dimensions) as [string, string][]).map(([Name, Value]) => ({ Name, Value }));
      this.remember(Number(r.id), { accountId: r.account_id, region: r.region }, r.namespace, r.metric_name, dimensions, Number(r.last_put));
    }
    for (const row of await db.allIngest(this.store)) {
      const { seriesIds, datums } = readLogRow(row.batch);
      this.apply(seriesIds, datums);
      this.hotSeqs.push(Number(row.seq));
    }
  }

  private remember(id: number, scope: MetricScope, namespace: string, metricName: string, dimensions: Dimension[], lastPut: number): Series {
    const key = seriesKey(scope, namespace, metricName, dimensions);
    const { accountId, region } = scope;
    const s: Series = {
      id, key, accountId, region, namespace, metricName, dimensions, lastPut,
      notice: { key, scope: { accountId, region }, namespace, metricName, dimensions },
    };
    const nsKey = namespaceKey(scope, namespace);
    let ns = this.namespaces.get(nsKey);
    if (!ns) this.namespaces.set(nsKey, (ns = new Map()));
    ns.set(seriesSuffix(metricName, dimensions), s);
    this.byId.set(id, s);
    return s;
  }

  private forget(s: Series): void {
    this.namespaces.get(namespaceKey(s, s.namespace))?.delete(seriesSuffix(s.metricName, s.dimensions));
    this.byId.delete(s.id);
  }

  start(): void {
    this.flushTimer = setInterval(() => void this.flush(), FLUSH_MS);
    this.flushTimer.unref();
    this.expireTimer = setInterval(() => void this.expire(), EXPIRE_MS);
    this.expireTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.expireTimer);
    await this.flush();
  }

  /** Commits one put; answers what arrived per series, once it is durable and readable. */
  async ingest(scope: MetricScope, namespace: string, batch: PreparedBatch): Promise<IngestNotice[]> {
    const now = this.now();
    const n = batch.series.length;
    const seriesIds: number[] = new Array(n);
    const touched: Series[] = new Array(n);
    const created: Series[] = [];
    const seq = await this.store
      .transaction(async (tx) => {
        let ns = this.namespaces.get(namespaceKey(scope, namespace));
        for (let i = 0; i < n; i++) {
          let s = ns?.get(batch.series[i]);
          if (!s) {
            const { metricName, dimensions } = parseSeriesSuffix(batch.series[i]);
            const dims = JSON.stringify(dimensions.map((x) => [x.Name, x.Value]));
            const id = await db.insertSeries(tx, { account_id: scope.accountId, region: scope.region, namespace, metric_name: metricName, dimensions: dims, last_put: now });
            // known at once, so a put that runs next finds it; forgotten again on rollback
            s = this.remember(id, scope, namespace, metricName, dimensions, now);
            ns ??= this.namespaces.get(namespaceKey(scope, namespace));
            created.push(s);
          }
          seriesIds[i] = s.id;
          touched[i] = s;
        }
        return db.insertIngest(tx, logRow(seriesIds, batch.datums));
      })
      .catch((e: unknown) => {
        for (const s of created) this.forget(s);
        throw e;
      });
    this.apply(seriesIds, batch.datums);
    this.hotSeqs.push(seq);
    const notices: IngestNotice[] = new Array(n);
    for (let i = 0; i < n; i++) {
      touched[i].lastPut = now;
      this.dirtySeries.add(touched[i].id);
      notices[i] = touched[i].notice;
    }
    return notices;
  }

  /** Folds logged datums into the hot aggregates: their minute, and their second when high-res. */
  private apply(seriesIds: readonly number[], datums: Uint8Array): void {
    forEachDatum(datums, (ref, ts, highRes, unit, sample) => {
      addSampleTo(this.hot, seriesIds[ref], 60, ts, unit, sample);
      if (highRes) addSampleTo(this.hot, seriesIds[ref], 1, ts, unit, sample);
    });
  }

  /** Merges the hot aggregates into cw_points and deletes the ingest rows they came from. */
  flush(): Promise<void> {
    if (this.flushRunning) return this.flushRunning.then(() => this.flush());
    if (this.hot.size === 0 && this.hotSeqs.length === 0) return Promise.resolve();
    const snapshot = this.hot;
    const seqs = this.hotSeqs;
    const dirty = this.dirtySeries;
    this.hot = new Map();
    this.hotSeqs = [];
    this.dirtySeries = new Set();
    this.flushing = snapshot;
    this.flushRunning = this.store
      .transaction(async (tx) => {
        this.flushWriting = true;
        try {
          await this.writeSnapshot(tx, snapshot, dirty, seqs);
          // committed as soon as this returns: from here reads find these aggregates in cw_points
          this.flushing = undefined;
        } finally {
          this.flushWriting = false;
          this.flushEpoch++;
        }
      })
      .catch((e: unknown) => {
        // put everything back: the ingest rows are still there, and the next flush retries
        if (this.flushing === snapshot) this.flushing = undefined;
        for (const [seriesId, buckets] of snapshot) for (const b of buckets.values()) mergeBucket(this.hot, seriesId, b);
        this.hotSeqs.unshift(...seqs);
        for (const id of dirty) this.dirtySeries.add(id);
        this.log.error({ err: e }, 'metrics: flushing aggregates failed; will retry');
      })
      .finally(() => {
        if (this.flushing === snapshot) this.flushing = undefined;
        this.flushRunning = undefined;
      });
    return this.flushRunning;
  }

  /**
   * One flush's writes: the snapshot merged into cw_points (its 1 s and 60 s periods, and the
   * 300 s and 3600 s periods derived from the 60 s ones), series touched, its ingest rows deleted.
   */
  private async writeSnapshot(tx: Queryable, snapshot: BucketMap, dirty: ReadonlySet<number>, seqs: readonly number[]): Promise<void> {
    const upsert = async (seriesId: number, res: number, b: Bucket) => {
      const old = await db.getPoint(tx, seriesId, res, b.ts);
      const agg = old ? decodeAggregate(old.agg) : undefined;
      if (agg) mergeInto(agg, b.agg);
      await db.putPoint(tx, seriesId, res, { ts: b.ts, unit: b.unit ?? old?.unit ?? null, agg: encodeAggregate(agg ?? b.agg) });
    };
    for (const [seriesId, buckets] of snapshot) {
      const derived = new Map<number, Map<number, Bucket>>([[300, new Map()], [3600, new Map()]]);
      for (const b of buckets.values()) {
        await upsert(seriesId, b.res, b);
        if (b.res !== 60) continue;
        for (const [res, out] of derived) {
          foldInto(out, b.ts - (b.ts % res), b);
        }
      }
      for (const [res, out] of derived) for (const b of out.values()) await upsert(seriesId, res, b);
    }
    for (const id of dirty) {
      const s = this.byId.get(id);
      if (s) await db.touchSeries(tx, id, s.lastPut);
    }
    await db.deleteIngest(tx, seqs);
  }

  private async expire(): Promise<void> {
    const nowS = Math.floor(this.now() / 1000);
    try {
      for (const res of RESOLUTIONS) await db.expirePoints(this.store, res, nowS - RETENTION[res]);
    } catch (e) {
      this.log.error({ err: e }, 'metrics: expiring old datapoints failed');
    }
  }

  find(scope: MetricScope, namespace: string, metricName: string, dims: readonly Dimension[]): Series | undefined {
    return this.namespaces.get(namespaceKey(scope, namespace))?.get(seriesSuffix(metricName, dims));
  }

  /** Every series of an account and region (ListMetrics, SEARCH-like filters, Metrics Insights). */
  *seriesOf(scope: MetricScope): Iterable<Series> {
    for (const s of this.byId.values()) if (s.accountId === scope.accountId && s.region === scope.region) yield s;
  }

  /** The aggregates of one series at `res` with from <= ts < to (epoch s), oldest first. */
  async buckets(seriesId: number, res: number, from: number, to: number): Promise<Bucket[]> {
    let rows: db.PointRow[];
    for (;;) {
      const epoch = this.flushEpoch;
      rows = await db.pointsInRange(this.store, seriesId, res, from, to);
      // no flush wrote meanwhile: the rows and the layers below do not overlap (see flushEpoch)
      if (epoch === this.flushEpoch && !this.flushWriting) break;
    }
    const out = new Map<number, Bucket>();
    for (const r of rows) {
      out.set(Number(r.ts), { ts: Number(r.ts), unit: r.unit ?? undefined, agg: decodeAggregate(r.agg) });
    }
    // in memory: the 1 s or 60 s periods themselves, or the 60 s ones folded into 300 s / 3600 s
    const source = res === 1 ? 1 : 60;
    for (const layer of [this.flushing, this.hot]) {
      const buckets = layer?.get(seriesId);
      if (!buckets) continue;
      for (const b of buckets.values()) {
        if (b.res !== source) continue;
        const ts = b.ts - (b.ts % res);
        if (ts >= from && ts < to) foldInto(out, ts, b);
      }
    }
    return [...out.values()].sort((a, b) => a.ts - b.ts);
  }
}
