/**
 * @module services/metrics/periods
 * Stored aggregates → one aggregate per requested period: the alignment CloudWatch applies to a
 * start time, the stored resolution a period is read from, and the grouping itself. Shared by
 * GetMetricStatistics, GetMetricData (and so alarms) and Metrics Insights.
 */
import { RETENTION, type MetricStore, type Series } from './metric-store.js';
import { cloneAggregate, mergeInto, type Aggregate } from './stats/aggregate.js';

export interface PeriodValue {
  /** epoch s of the period's start */
  ts: number;
  agg: Aggregate;
  unit: string | undefined;
}

/**
 * CloudWatch rounds a start time down by its age: to the period for high-resolution periods
 * within 3 hours, to the minute within 15 days, to 5 minutes within 63 days, else to the hour.
 */
export function alignStart(startMs: number, period: number, nowMs: number): number {
  const s = Math.floor(startMs / 1000);
  const age = nowMs / 1000 - s;
  const step = period < 60 && age <= RETENTION[1] ? period : age <= RETENTION[60] ? 60 : age <= RETENTION[300] ? 300 : 3600;
  return s - (((s % step) + step) % step);
}

/** The coarsest stored resolution that divides both the period and the aligned start. */
function resolutionFor(period: number, startS: number): number {
  for (const r of [3600, 300, 60, 1]) if (period % r === 0 && startS % r === 0) return r;
  return 1;
}

/**
 * The aggregate of every period in [startS, endS) that has data, over one or more series
 * (Metrics Insights and SEARCH merge several), oldest first. `unit` keeps only data of that unit.
 */
export async function periodValues(
  store: MetricStore,
  series: readonly Series[],
  period: number,
  startS: number,
  endS: number,
  unit?: string,
): Promise<PeriodValue[]> {
  const res = resolutionFor(period, startS);
  const out = new Map<number, PeriodValue>();
  for (const s of series) {
    for (const b of await store.buckets(s.id, res, startS, endS)) {
      if (unit !== undefined && (b.unit ?? 'None') !== unit) continue;
      const ts = startS + Math.floor((b.ts - startS) / period) * period;
      const have = out.get(ts);
      if (have) {
        mergeInto(have.agg, b.agg);
        if (b.unit !== undefined) have.unit = b.unit;
      } else {
        out.set(ts, { ts, agg: cloneAggregate(b.agg), unit: b.unit });
      }
    }
  }
  return [...out.values()].sort((a, b) => a.ts - b.ts);
}
