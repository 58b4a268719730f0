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
  Value: number;
  Unit?: string;
  /** epoch ms; now when absent */
  Timestamp?: number;
}

/** What arrived for one series in one PutMetricData call. */
export interface IngestNotice {
  scope: MetricScope;
  namespace: string;
  metricName: string;
  /** sorted by name */
  dimensions: Dimension[];
  /** epoch seconds of the datapoints that arrived */
  timestamps: number[];
}

export interface MetricsProvider {
  getMetricData(scope: MetricScope, req: MetricDataRequest): Promise<MetricDataResult[]>;
  /** Validates one MetricDataQuery as GetMetricData would (member names under `path`); throws the AWS error. */
  checkQuery(query: Record<string, unknown>, path: string): MetricDataQuery;
  put(scope: MetricScope, namespace: string, data: OwnDatum[]): Promise<void>;
}

export type IngestListener = (notices: readonly IngestNotice[]) => void;

/** The key of a metric (namespace, name, dimension set), equal however the dimensions are ordered. */
export function metricKey(namespace: string, metricName: string, dimensions: readonly Dimension[]): string {
  const dims = [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return JSON.stringify([namespace, metricName, dims.map((d) => [d.Name, d.Value])]);
}

export class MetricsHub {
  private provider: MetricsProvider | undefined;
  private readonly listeners: IngestListener[] = [];

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

  /** Puts a service's own metrics; without a metrics service they are dropped. */
  async put(scope: MetricScope, namespace: string, data: OwnDatum[]): Promise<void> {
    if (this.provider) await this.provider.put(scope, namespace, data);
  }
}
