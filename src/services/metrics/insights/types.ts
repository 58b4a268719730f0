/**
 * @module services/metrics/insights/types
 * A parsed Metrics Insights query and the ports the runner reads data through. The runner never
 * touches the store: the GetMetricData handler hands it a `InsightsSource` over whatever it keeps.
 */
import type { Series } from '../math/types.js';

export type InsightsFunction = 'AVG' | 'COUNT' | 'MAX' | 'MIN' | 'SUM';

/** A WHERE clause. Label keys are dimension names; values are compared case-sensitively. */
export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'eq' | 'ne'; key: string; value: string }
  | { kind: 'like'; key: string; pattern: string; negated: boolean }
  | { kind: 'in'; key: string; values: string[]; negated: boolean };

export interface InsightsQuery {
  func: InsightsFunction;
  metricName: string;
  namespace: string;
  /**
   * The dimension keys of `FROM SCHEMA(ns, k1, …)`: only series with exactly this set of keys
   * match (an empty list: only series without dimensions). Absent for `FROM ns`.
   */
  schema?: string[];
  where?: Condition;
  groupBy: string[];
  orderBy?: { func: InsightsFunction; order: 'ASC' | 'DESC' };
  limit?: number;
}

/** One stored aggregate: the statistic set of the observations at (or around) `t`. */
export interface InsightsPoint {
  /** epoch seconds */
  t: number;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
}

export interface InsightsSource {
  /** Every series of this metric in this namespace, whatever its dimensions. */
  series(namespace: string, metricName: string): Array<{ dimensions: Record<string, string>; points: InsightsPoint[] }>;
}

export interface InsightsOptions {
  /** inclusive, epoch seconds */
  start: number;
  /** exclusive, epoch seconds */
  end: number;
  /** bucket width in seconds */
  period: number;
}

/** An output series, with the GROUP BY values it stands for (for dynamic labels). */
export interface InsightsSeries extends Series {
  groupValues: string[];
}
