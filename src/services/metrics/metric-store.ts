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
 * Every datapoint is added to each resolution it belongs to (1 s for high-resolution data, 60,
 * 300 and 3600 s), so a query at any period reads the coarsest resolution that divides it, and
 * each resolution expires on its own schedule (CloudWatch's retention: 3 h, 15 d, 63 d, 455 d).
 */
import type { Logger } from '../../core/log.js';
import type { Dimension, IngestNotice, MetricScope } from '../../core/metrics/index.js';
import type { Queryable, Store } from '../../store/store.js';
import { cloneAggregate, decodeAggregate, encodeAggregate, mergeInto, type Aggregate } from './stats/aggregate.js';
import * as db from './store.js';

export const RESOLUTIONS = [1, 60, 300, 3600] as const;
/** how long each resolution is kept, seconds */
export const RETENTION: Record<number, number> = { 1: 3 * 3600, 60: 15 * 86400, 300: 63 * 86400, 3600: 455 * 86400 };

export interface Series {
  id: number;
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  /** sorted by name */
  dimensions: Dimension[];
  lastPut: number;
}

/** One validated datapoint (or statistic set, or Values/Counts array) of a put. */
export interface Datum {
  metricName: string;
  dimensions: Dimension[];
  /** epoch s */
  ts: number;
  highRes: boolean;
  unit: string | undefined;
  agg: Aggregate;
}

export interface Bucket {
  ts: number;
  unit: string | undefined;
  agg: Aggregate;
}

type BucketMap = Map<number, Map<string, Bucket>>; // series id → "resolution:ts" → bucket

const FLUSH_MS = 2000;
const EXPIRE_MS = 10 * 60 * 1000;

function seriesKey(scope: MetricScope, namespace: string, metricName: string, dims: readonly Dimension[]): string {
  return JSON.stringify([scope.accountId, scope.region, namespace, metricName, dims.map((d) => [d.Name, d.Value])]);
}

function addTo(map: BucketMap, seriesId: number, res: number, ts: number, unit: string | undefined, agg: Aggregate): void {
  let buckets = map.get(seriesId);
  if (!buckets) map.set(seriesId, (buckets = new Map()));
  const start = ts - (ts % res);
  const k = `${res}:${start}`;
  const b = buckets.get(k);
  if (b) {
    mergeInto(b.agg, agg);
    if (unit !== undefined) b.unit = unit;
  } else {
    buckets.set(k, { ts: start, unit, agg: cloneAggregate(agg) });
  }
}

export class MetricStore {
  private readonly byKey = new Map<string, Series>();
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
      const s: Series = {
        id: Number(r.id),
        accountId: r.account_id,
        region: r.region,
        namespace: r.namespace,
        metricName: r.metric_name,
        dimensions: (JSON.parse(r.dimensions) as [string, string][]).map(([Name, Value]) => ({ Name, Value })),
        lastPut: Number(r.last_put),
      };
      this.byId.set(s.id, s);
      this.byKey.set(seriesKey(s, s.namespace, s.metricName, s.dimensions), s);
    }
    for (const row of await db.allIngest(this.store)) {
      this.apply(JSON.parse(row.batch) as BatchEntry[]);
      this.hotSeqs.push(Number(row.seq));
    }
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
  async ingest(scope: MetricScope, namespace: string, data: readonly Datum[]): Promise<IngestNotice[]> {
    const now = this.now();
    const entries: BatchEntry[] = [];
    const touched = new Map<number, IngestNotice>();
    const created: Array<[string, Series]> = [];
    const seq = await this.store
      .transaction(async (tx) => {
        for (const d of data) {
          const key = seriesKey(scope, namespace, d.metricName, d.dimensions);
          let s = this.byKey.get(key);
          if (!s) {
            const dims = JSON.stringify(d.dimensions.map((x) => [x.Name, x.Value]));
            const id = await db.insertSeries(tx, { account_id: scope.accountId, region: scope.region, namespace, metric_name: d.metricName, dimensions: dims, last_put: now });
            s = { id, accountId: scope.accountId, region: scope.region, namespace, metricName: d.metricName, dimensions: d.dimensions, lastPut: now };
            // known at once, so a put that runs next finds it; forgotten again on rollback
            this.byKey.set(key, s);
            this.byId.set(id, s);
            created.push([key, s]);
          }
          entries.push([s.id, d.ts, d.highRes ? 1 : 0, d.unit ?? null, encodeAggregate(d.agg).toString('base64')]);
          let n = touched.get(s.id);
          if (!n) touched.set(s.id, (n = { scope, namespace, metricName: d.metricName, dimensions: d.dimensions, timestamps: [] }));
          n.timestamps.push(d.ts);
        }
        return db.insertIngest(tx, JSON.stringify(entries));
      })
      .catch((e: unknown) => {
        for (const [key, s] of created) {
          this.byKey.delete(key);
          this.byId.delete(s.id);
        }
        throw e;
      });
    this.apply(entries, data);
    this.hotSeqs.push(seq);
    for (const id of touched.keys()) {
      const s = this.byId.get(id);
      if (s) s.lastPut = now;
      this.dirtySeries.add(id);
    }
    return [...touched.values()];
  }

  /** Folds a batch into the hot aggregates (decoded data may be handed in to skip decoding). */
  private apply(entries: readonly BatchEntry[], decoded?: readonly Datum[]): void {
    entries.forEach(([id, ts, highRes, unit, agg], i) => {
      const a = decoded ? decoded[i].agg : decodeAggregate(Buffer.from(agg, 'base64'));
      for (const res of RESOLUTIONS) {
        if (res === 1 && !highRes) continue;
        addTo(this.hot, id, res, ts, unit ?? undefined, a);
      }
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
        for (const [seriesId, buckets] of snapshot) {
          for (const [k, b] of buckets) addTo(this.hot, seriesId, Number(k.slice(0, k.indexOf(':'))), b.ts, b.unit, b.agg);
        }
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

  /** One flush's writes: the snapshot merged into cw_points, series touched, its ingest rows deleted. */
  private async writeSnapshot(tx: Queryable, snapshot: BucketMap, dirty: ReadonlySet<number>, seqs: readonly number[]): Promise<void> {
    for (const [seriesId, buckets] of snapshot) {
      for (const [k, b] of buckets) {
        const res = Number(k.slice(0, k.indexOf(':')));
        const old = await db.getPoint(tx, seriesId, res, b.ts);
        const agg = old ? decodeAggregate(old.agg) : undefined;
        if (agg) mergeInto(agg, b.agg);
        await db.putPoint(tx, seriesId, res, { ts: b.ts, unit: b.unit ?? old?.unit ?? null, agg: encodeAggregate(agg ?? b.agg) });
      }
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
    return this.byKey.get(seriesKey(scope, namespace, metricName, dims));
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
    for (const layer of [this.flushing, this.hot]) {
      const buckets = layer?.get(seriesId);
      if (!buckets) continue;
      for (const [k, b] of buckets) {
        if (!k.startsWith(`${res}:`) || b.ts < from || b.ts >= to) continue;
        const have = out.get(b.ts);
        if (have) {
          mergeInto(have.agg, b.agg);
          if (b.unit !== undefined) have.unit = b.unit;
        } else {
          out.set(b.ts, { ts: b.ts, unit: b.unit, agg: cloneAggregate(b.agg) });
        }
      }
    }
    return [...out.values()].sort((a, b) => a.ts - b.ts);
  }
}

/** [series id, epoch s, high-res 0|1, unit, base64 aggregate] */
type BatchEntry = [number, number, number, string | null, string];
