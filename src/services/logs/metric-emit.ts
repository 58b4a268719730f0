/**
 * @module services/logs/metric-emit
 * Metric filters at work: every event a group accepts is tested against the group's filters, and
 * what they count becomes CloudWatch metrics through the metrics port.
 *
 * For each filter and event: a match puts the transformation's `metricValue` — a number, or the
 * `$.selector` / `$field` it names in the event (skipped when that is absent or not numeric) —
 * with its dimensions taken from the event the same way; a non-match puts `defaultValue` when
 * the filter has one. Values are summed per metric, dimensions, unit and minute into statistic
 * sets, so a batch of 10,000 events costs one put per namespace, not 10,000 datapoints.
 *
 * Runs after the events are committed: a failure here is logged and never undoes or fails the
 * accepted PutLogEvents.
 */
import type { Dimension, OwnDatum } from '../../core/metrics/index.js';
import type { LogsDeps } from './context.js';
import { cachedFilterPattern, EventText, type FilterPattern, type PatternMatch } from './filter-pattern/index.js';
import { metricFiltersOf, type Scope } from './store.js';

export interface Transformation {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

const MINUTE_MS = 60_000;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMBER.test(v.trim())) return Number(v);
  return undefined;
}

/** The value a transformation puts for a matching event; undefined when the event does not supply it. */
export function metricValueOf(t: Transformation, m: PatternMatch): number | undefined {
  return t.metricValue.startsWith('$') ? asNumber(m.lookup(t.metricValue)) : asNumber(t.metricValue);
}

function dimensionsOf(t: Transformation, m: PatternMatch): Dimension[] | undefined {
  const out: Dimension[] = [];
  for (const [Name, ref] of Object.entries(t.dimensions ?? {})) {
    const v = m.lookup(ref);
    if (v === undefined || v === null || v === '' || typeof v === 'object') return undefined;
    out.push({ Name, Value: String(v) });
  }
  return out.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** Sums observations into one statistic set per metric, dimensions, unit and minute. */
class Sums {
  private readonly byNamespace = new Map<string, Map<string, OwnDatum & { StatisticValues: NonNullable<OwnDatum['StatisticValues']> }>>();

  add(t: Transformation, dims: Dimension[], ts: number, value: number): void {
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    let ns = this.byNamespace.get(t.metricNamespace);
    if (!ns) this.byNamespace.set(t.metricNamespace, (ns = new Map()));
    const key = `${t.metricName}\u0000${t.unit ?? ''}\u0000${minute}\u0000${dims.map((x) => `${x.Name}\u0001${x.Value}`).join('\u0000')}`;
    const datum = ns.get(key);
    if (!datum) {
      ns.set(key, {
        MetricName: t.metricName, Dimensions: dims, Unit: t.unit, Timestamp: minute,
        StatisticValues: { SampleCount: 1, Sum: value, Minimum: value, Maximum: value },
      });
      return;
    }
    const s = datum.StatisticValues;
    s.SampleCount++;
    s.Sum += value;
    if (value < s.Minimum) s.Minimum = value;
    if (value > s.Maximum) s.Maximum = value;
  }

  namespaces(): Array<[string, OwnDatum[]]> {
    return [...this.byNamespace].map(([ns, m]) => [ns, [...m.values()]]);
  }
}

interface CompiledFilter {
  name: string;
  pattern: FilterPattern;
  transformations: Transformation[];
}

/** Runs the group's metric filters over `events` and puts the result. */
export async function emitFilterMetrics(d: Pick<LogsDeps, 'store' | 'metrics' | 'log'>, scope: Scope, groupId: number, events: ReadonlyArray<{ ts: number; message: string }>): Promise<void> {
  if (events.length === 0) return;
  try {
    const records = await metricFiltersOf(d.store, groupId);
    if (records.length === 0) return;
    const filters: CompiledFilter[] = records.map((r) => ({
      name: r.name,
      pattern: cachedFilterPattern(r.pattern),
      transformations: JSON.parse(r.transformations) as Transformation[],
    }));
    const sums = new Sums();
    const texts = events.map((e) => new EventText(e.message));
    for (const f of filters) {
      texts.forEach((text, i) => {
        const m = f.pattern.match(text);
        for (const t of f.transformations) {
          if (!m) {
            if (t.defaultValue !== undefined) sums.add(t, [], events[i].ts, t.defaultValue);
            continue;
          }
          const value = metricValueOf(t, m);
          const dims = dimensionsOf(t, m);
          if (value !== undefined && dims) sums.add(t, dims, events[i].ts, value);
        }
      });
    }
    for (const [namespace, data] of sums.namespaces()) await d.metrics.put(scope, namespace, data);
  } catch (e) {
    d.log.error({ err: e, groupId }, 'metric filters failed on accepted log events');
  }
}
