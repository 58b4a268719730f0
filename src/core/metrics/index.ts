/**
 * @module core/metrics
 * The metrics port: how services reach the metric store without importing it.
 *
 * The metrics service provides the implementation (`hub.provide`); alarms read through it
 * (GetMetricData semantics, so a metric alarm and a metric-math alarm are one code path) and
 * listen to what arrives (`onIngest`: an alarm whose outcome a new datapoint already decides
 * fires at once instead of at the period boundary); every service may put its own AWS-named
 * metrics (AWS/SNS NumberOfNotificationsDelivered…) with `put`.
 */

export interface MetricScope {
  accountId: string;
  region: string;
}

export interface Dimension {
  Name: string;
  Value: string;
}

/** GetMetricData's MetricDataQuery, as the API receives it. */
export interface MetricDataQuery {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
    Period: number;
    Stat: string;
    Unit?: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  /** newest first unless asked otherwise, as GetMetricData answers */
  Timestamps: Date[];
  Values: number[];
  /** per value, the number of samples behind it (MetricStat queries only; for low-sample percentiles) */
  SampleCounts?: number[];
  StatusCode: 'Complete' | 'InternalError' | 'PartialData' | 'Forbidden';
  Messages?: Array<{ Code: string; Value: string }>;
}

export interface MetricDataRequest {
  queries: MetricDataQuery[];
  /** epoch ms, inclusive */
  start: number;
  /** epoch ms, exclusive */
  end: number;
  order?: 'TimestampDescending' | 'TimestampAscending';
  /** count of samples per value in MetricStat results */
  withSampleCounts?: boolean;
}

/** One datum put by a service about itself. */
export interface OwnDatum {
  MetricName: string;
  Dimensions?: Dimension[];
  /** one of Value and StatisticValues */
  Value?: number;
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Unit?: string;
  /** epoch ms; now when absent */
  Timestamp?: number;
}

/** What arrived for one series in one PutMetricData call. */
export interface IngestNotice {
  /** seriesKey(scope, namespace, metricName, dimensions) */
  key: string;
  scope: MetricScope;
  namespace: string;
  metricName: string;
  /** sorted by name */
  dimensions: Dimension[];
}

export interface MetricsProvider {
  getMetricData(scope: MetricScope, req: MetricDataRequest): Promise<MetricDataResult[]>;
  /** Validates one MetricDataQuery as GetMetricData would (member names under `path`); throws the AWS error. */
  checkQuery(query: Record<string, unknown>, path: string): MetricDataQuery;
  put(scope: MetricScope, namespace: string, data: OwnDatum[]): Promise<void>;
}

export type IngestListener = (notices: readonly IngestNotice[]) => void;

function sortedByName(dims: readonly Dimension[]): readonly Dimension[] {
  for (let i = 1; i < dims.length; i++) {
    if (dims[i - 1].Name > dims[i].Name) return [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }
  return dims;
}

/**
 * The key of a metric (namespace, name, dimension set) in one account and region, equal however
 * the dimensions are ordered. Built on every datapoint's hot path, so plain concatenation with
 * separators no name may contain (AWS names are printable).
 */
export function seriesKey(scope: MetricScope, namespace: string, metricName: string, dimensions: readonly Dimension[]): string {
  return `${namespaceKey(scope, namespace)}\u0000${seriesSuffix(metricName, dimensions)}`;
}

/** The part of a series key that names a namespace in one account and region. */
export function namespaceKey(scope: MetricScope, namespace: string): string {
  return `${scope.accountId}\u0000${scope.region}\u0000${namespace}`;
}

/** The part of a series key that names a metric within its namespace. */
export function seriesSuffix(metricName: string, dimensions: readonly Dimension[]): string {
  let k = metricName;
  for (const d of sortedByName(dimensions)) k += `\u0000${d.Name}\u0001${d.Value}`;
  return k;
}

/** The metric name and dimensions (sorted by name) a `seriesSuffix` was built from. */
export function parseSeriesSuffix(suffix: string): { metricName: string; dimensions: Dimension[] } {
  const [metricName, ...dims] = suffix.split('\u0000');
  return {
    metricName,
    dimensions: dims.map((d) => {
      const at = d.indexOf('\u0001');
      return { Name: d.slice(0, at), Value: d.slice(at + 1) };
    }),
  };
}

/** how often `record`ed observations are put (one put per namespace and account) */
const RECORD_FLUSH_MS = 1000;

interface Pending {
  scope: MetricScope;
  namespace: string;
  datum: OwnDatum & { StatisticValues: NonNullable<OwnDatum['StatisticValues']> };
}

export class MetricsHub {
  private provider: MetricsProvider | undefined;
  private readonly listeners: IngestListener[] = [];
  private pending = new Map<string, Pending>();
  private flushTimer: NodeJS.Timeout | undefined;

  provide(p: MetricsProvider): void {
    this.provider = p;
  }

  onIngest(l: IngestListener): void {
    this.listeners.push(l);
  }

  /** Called by the metrics service after a put is committed. */
  emitIngest(notices: readonly IngestNotice[]): void {
    for (const l of this.listeners) l(notices);
  }

  getMetricData(scope: MetricScope, req: MetricDataRequest): Promise<MetricDataResult[]> {
    if (!this.provider) return Promise.reject(new Error('no metrics service is running'));
    return this.provider.getMetricData(scope, req);
  }

  checkQuery(query: Record<string, unknown>, path: string): MetricDataQuery {
    if (!this.provider) throw new Error('no metrics service is running');
    return this.provider.checkQuery(query, path);
  }

  /**
   * Counts one observation a service makes about itself (AWS/SNS NumberOfMessagesPublished…).
   * Observations are summed per series and put once a second as a statistic set, so a hot path
   * pays a map update, not a write. They are observations, not accepted work: the last second's
   * are lost if the process dies.
   */
  record(scope: MetricScope, namespace: string, metricName: string, dimensions: Dimension[], value = 1, unit = 'Count'): void {
    if (!this.provider) return;
    const key = `${unit}\u0000${seriesKey(scope, namespace, metricName, dimensions)}`;
    const p = this.pending.get(key);
    if (p) {
      const s = p.datum.StatisticValues;
      s.SampleCount++;
      s.Sum += value;
      if (value < s.Minimum) s.Minimum = value;
      if (value > s.Maximum) s.Maximum = value;
    } else {
      this.pending.set(key, { scope, namespace, datum: { MetricName: metricName, Dimensions: dimensions, Unit: unit, StatisticValues: { SampleCount: 1, Sum: value, Minimum: value, Maximum: value } } });
    }
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flushRecorded(), RECORD_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  /** Puts what `record` collected (also called at stop). */
  async flushRecorded(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    const groups = new Map<string, { scope: MetricScope; namespace: string; data: OwnDatum[] }>();
    for (const p of batch.values()) {
      const k = `${p.scope.accountId}|${p.scope.region}|${p.namespace}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { scope: p.scope, namespace: p.namespace, data: [] }));
      g.data.push(p.datum);
    }
    for (const g of groups.values()) {
      // observations must never break the service observed
      await this.put(g.scope, g.namespace, g.data).catch(() => undefined);
    }
  }

  /** Puts a service's own metrics; without a metrics service they are dropped. */
  async put(scope: MetricScope, namespace: string, data: OwnDatum[]): Promise<void> {
    if (this.provider) await this.provider.put(scope, namespace, data);
  }
}
