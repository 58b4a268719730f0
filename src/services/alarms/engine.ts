/**
 * @module services/alarms/engine
 * The alarms in memory, their evaluation, and their state changes.
 *
 * When an alarm is evaluated:
 * - at each of its period boundaries (plus a short grace for datapoints in flight), over the
 *   evaluation range that ends there — CloudWatch's own schedule;
 * - at once when a datapoint of its metric arrives and the statistic is monotone against the
 *   comparison (Sum, SampleCount, Maximum against Greater*; Minimum against Less*): the still
 *   open period can only move further past the threshold, so a breach seen now is a breach at
 *   the boundary, and the alarm goes to ALARM within milliseconds instead of at the minute;
 * - when it is created or updated, when SetAlarmState set it (the next evaluation recalculates),
 *   and — composite alarms — whenever one of their children changes state.
 *
 * Each alarm's evaluations and changes run one at a time (a per-alarm queue). A change commits
 * the new state, its history and the jobs of its actions and event in one transaction
 * (actions.ts), so the state and its effects are never apart.
 */
import type { DeliveryEngine } from '../../core/deliveries/types.js';
import type { Logger } from '../../core/log.js';
import { seriesKey, type IngestNotice, type MetricDataQuery, type MetricScope, type MetricsHub } from '../../core/metrics/index.js';
import type { Store } from '../../store/store.js';
import { changeEffects, configurationItem } from './actions.js';
import { compositeReason, compositeState, parseAlarmRule, refToAlarmName, ruleAlarmRefs, type RuleExpr } from './composite/index.js';
import { canDecideEarly, evaluateAlarm, evaluationRangeSize, type AlarmState, type PeriodSlot, type TreatMissingData } from './evaluation/index.js';
import type { StateChange } from './formats/index.js';
import { alarmPeriod, type AlarmRecord } from './model.js';
import { percentileOf } from './put.js';
import * as db from './store.js';

/** datapoints stamped just before a boundary may still be in flight when it passes */
const BOUNDARY_GRACE_MS = 1000;
const TICK_MS = 250;
const MAX_COMPOSITE_DEPTH = 20;
const HISTORY_RETENTION_MS = 30 * 86400 * 1000;

type Mode = 'boundary' | 'early';

const scopeKey = (s: MetricScope) => `${s.accountId}|${s.region}`;

export interface EngineDeps {
  store: Store;
  log: Logger;
  deliveries: DeliveryEngine;
  metrics: MetricsHub;
  now: () => number;
}

export class AlarmEngine {
  private readonly alarms = new Map<string, AlarmRecord>();
  private readonly byName = new Map<string, string>();
  private readonly byMetric = new Map<string, Set<string>>();
  private readonly rules = new Map<string, RuleExpr>();
  private readonly nextEval = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** when alarms last went into and out of ALARM (actions suppressors' wait and extension periods) */
  private readonly enteredAlarmAt = new Map<string, number>();
  private readonly leftAlarmAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private stopped = false;

  constructor(private readonly d: EngineDeps) {}

  async load(): Promise<void> {
    for (const a of await db.allAlarms(this.d.store)) this.index(a);
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.queues.values()]);
  }

  // --- lookups --------------------------------------------------------------------------------

  get(scope: MetricScope, name: string): AlarmRecord | undefined {
    const arn = this.byName.get(`${scopeKey(scope)}|${name}`);
    return arn ? this.alarms.get(arn) : undefined;
  }

  /** An alarm by name or ARN, as composite rules and tagging name them. */
  lookup(scope: MetricScope, ref: string): AlarmRecord | undefined {
    return ref.startsWith('arn:') ? this.alarms.get(ref) : this.get(scope, ref);
  }

  list(scope: MetricScope): AlarmRecord[] {
    const k = scopeKey(scope);
    return [...this.alarms.values()].filter((a) => scopeKey(a) === k).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The composites whose rule names `child` (by name or ARN). */
  parentsOf(child: AlarmRecord): AlarmRecord[] {
    const out: AlarmRecord[] = [];
    for (const a of this.alarms.values()) {
      if (a.kind !== 'CompositeAlarm' || scopeKey(a) !== scopeKey(child)) continue;
      const refs = this.refsOf(a);
      if (refs.some((r) => r === child.arn || refToAlarmName(r) === child.name)) out.push(a);
    }
    return out;
  }

  refsOf(a: AlarmRecord): string[] {
    const rule = this.rules.get(a.arn);
    return rule ? ruleAlarmRefs(rule) : [];
  }

  // --- configuration --------------------------------------------------------------------------

  /** Creates or replaces an alarm (its state and tags kept on update), then evaluates it. */
  async put(next: AlarmRecord, created: boolean): Promise<void> {
    await this.serial(next.arn, async () => {
      // the state as it is now, not as the caller read it: an evaluation queued before this put
      // may have changed it meanwhile (and sent its notifications)
      const current = this.alarms.get(next.arn);
      const rec = current ? { ...next, state: current.state, tags: current.tags } : next;
      await this.d.store.transaction(async (tx) => {
        await db.upsertAlarm(tx, rec);
        await db.insertHistory(tx, configurationItem(rec, created ? 'Create' : 'Update', rec.configUpdatedAt));
      });
      this.unindex(rec.arn);
      this.index(rec);
    });
    await this.evaluateNow(next.arn, created ? 'created' : 'updated');
  }

  /**
   * Deletes alarms after the work already queued for each of them: an evaluation in flight
   * would otherwise commit its transition after the delete and write the alarm back.
   */
  async remove(alarms: AlarmRecord[]): Promise<void> {
    const arns = [...new Set(alarms.map((a) => a.arn))];
    const inQueues = (i: number): Promise<void> => (i < arns.length ? this.serial(arns[i], () => inQueues(i + 1)) : this.removeNow(arns));
    await inQueues(0);
  }

  private async removeNow(arns: string[]): Promise<void> {
    const gone = arns.map((arn) => this.alarms.get(arn)).filter((a): a is AlarmRecord => a !== undefined);
    const at = this.d.now();
    await this.d.store.transaction(async (tx) => {
      for (const a of gone) {
        await db.deleteAlarm(tx, a.arn);
        await db.insertHistory(tx, configurationItem(a, 'Delete', at));
      }
    });
    for (const a of gone) this.unindex(a.arn);
  }

  /**
   * Saves a change that is not a state change (actions enabled, tags), applied to the alarm as it
   * is when the change runs, so that a put or a transition queued before it is not undone.
   */
  async save(arn: string, change: (current: AlarmRecord) => AlarmRecord): Promise<void> {
    await this.serial(arn, async () => {
      const current = this.alarms.get(arn);
      if (!current) return;
      const merged = { ...change(current), state: current.state };
      await db.upsertAlarm(this.d.store, merged);
      this.alarms.set(arn, merged);
    });
  }

  private index(a: AlarmRecord): void {
    this.alarms.set(a.arn, a);
    this.byName.set(`${scopeKey(a)}|${a.name}`, a.arn);
    if (a.kind === 'CompositeAlarm') {
      try {
        this.rules.set(a.arn, parseAlarmRule(a.config.AlarmRule ?? ''));
      } catch (e) {
        this.d.log.warn({ alarm: a.arn, err: e }, 'alarms: a stored alarm rule does not parse; the composite is not evaluated');
      }
      return;
    }
    for (const k of this.metricKeys(a)) {
      let set = this.byMetric.get(k);
      if (!set) this.byMetric.set(k, (set = new Set()));
      set.add(a.arn);
    }
    this.nextEval.set(a.arn, this.nextBoundary(a, this.d.now()));
  }

  private unindex(arn: string): void {
    const a = this.alarms.get(arn);
    if (!a) return;
    this.alarms.delete(arn);
    this.byName.delete(`${scopeKey(a)}|${a.name}`);
    this.rules.delete(arn);
    this.nextEval.delete(arn);
    for (const k of this.metricKeys(a)) this.byMetric.get(k)?.delete(arn);
  }

  private metricKeys(a: AlarmRecord): string[] {
    const c = a.config;
    const stats = c.Metrics ? c.Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric) : [{ Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions }];
    return stats.map((m) => seriesKey(a, m.Namespace ?? '', m.MetricName ?? '', m.Dimensions ?? []));
  }

  private nextBoundary(a: AlarmRecord, nowMs: number): number {
    const p = alarmPeriod(a.config) * 1000;
    return (Math.floor(nowMs / p) + 1) * p + BOUNDARY_GRACE_MS;
  }

  // --- evaluation -----------------------------------------------------------------------------

  /** Runs `fn` after everything queued for `arn`. */
  private serial<T>(arn: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(arn) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const settled = run.then(() => undefined, () => undefined);
    this.queues.set(arn, settled);
    void settled.then(() => {
      if (this.queues.get(arn) === settled) this.queues.delete(arn);
    });
    return run;
  }

  /** Period boundaries: every due metric alarm, one after another. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      const now = this.d.now();
      let done = 0;
      for (const [arn, due] of this.nextEval) {
        if (due > now || this.stopped) continue;
        const a = this.alarms.get(arn);
        if (!a) continue;
        this.nextEval.set(arn, this.nextBoundary(a, now));
        await this.serial(arn, () => this.evaluateMetric(arn, 'boundary')).catch((e: unknown) => this.d.log.error({ err: e, alarm: arn }, 'alarms: evaluation failed'));
        // the store answers synchronously behind its promises: without a macrotask break, ten
        // thousand evaluations would hold the event loop (and every request) for their whole run
        if (++done % 32 === 0) await new Promise<void>((r) => setImmediate(r));
      }
      if (now % 3_600_000 < TICK_MS) await db.expireHistory(this.d.store, now - HISTORY_RETENTION_MS);
    } finally {
      this.sweeping = false;
    }
  }

  /** Datapoints arrived: alarms whose outcome they already decide change now. */
  onIngest(notices: readonly IngestNotice[]): void {
    if (this.byMetric.size === 0) return;
    for (const n of notices) {
      const set = this.byMetric.get(n.key);
      if (!set) continue;
      for (const arn of set) {
        const a = this.alarms.get(arn);
        if (!a || a.config.Metrics || !canDecideEarly(a.config.Statistic ?? '', a.config.ComparisonOperator ?? '')) continue;
        void this.serial(arn, () => this.evaluateMetric(arn, 'early')).catch((e: unknown) => this.d.log.error({ err: e, alarm: arn }, 'alarms: evaluation failed'));
      }
    }
  }

  /** Evaluates now (creation, update): metric alarms over the last complete periods. */
  private evaluateNow(arn: string, cause: 'created' | 'updated'): Promise<void> {
    const a = this.alarms.get(arn);
    if (!a) return Promise.resolve();
    if (a.kind === 'CompositeAlarm') return this.serial(arn, () => this.evaluateComposite(arn, cause, undefined, 0));
    return this.serial(arn, () => this.evaluateMetric(arn, 'boundary'));
  }

  private async evaluateMetric(arn: string, mode: Mode): Promise<void> {
    const a = this.alarms.get(arn);
    if (!a || a.kind !== 'MetricAlarm') return;
    const c = a.config;
    const period = alarmPeriod(c);
    const n = c.EvaluationPeriods ?? 1;
    const now = this.d.now();
    const nowS = Math.floor(now / 1000);
    // boundary: the range ends with the last complete period; early: with the open one
    const endS = (Math.floor(nowS / period) + (mode === 'early' ? 1 : 0)) * period;
    const size = evaluationRangeSize(n, c.DatapointsToAlarm);
    const startS = endS - size * period;
    const queries: MetricDataQuery[] = c.Metrics ?? [{
      Id: 'm1',
      MetricStat: { Metric: { Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions ?? [] }, Period: period, Stat: c.Statistic ?? c.ExtendedStatistic ?? 'Average', ...(c.Unit ? { Unit: c.Unit } : {}) },
      ReturnData: true,
    }];
    const results = await this.d.metrics.getMetricData(a, { queries, start: startS * 1000, end: endS * 1000, order: 'TimestampAscending', withSampleCounts: true });
    const returned = c.Metrics ? (c.Metrics.find((m) => m.ReturnData !== false)?.Id ?? 'm1') : 'm1';
    const r = results.find((x) => x.Id === returned);
    const byTs = new Map<number, { v: number; n?: number }>();
    r?.Timestamps.forEach((t, i) => byTs.set(Math.floor(t.getTime() / 1000), { v: r.Values[i], n: r.SampleCounts?.[i] }));
    const slots: PeriodSlot[] = [];
    for (let i = 0; i < size; i++) {
      const ts = startS + i * period;
      const hit = byTs.get(ts);
      slots.push({ timestamp: ts, value: hit?.v, sampleCount: hit?.n });
    }
    const result = evaluateAlarm(
      {
        period,
        evaluationPeriods: n,
        datapointsToAlarm: c.DatapointsToAlarm,
        threshold: c.Threshold ?? 0,
        comparisonOperator: c.ComparisonOperator ?? 'GreaterThanThreshold',
        treatMissingData: c.TreatMissingData as TreatMissingData | undefined,
        evaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile as 'evaluate' | 'ignore' | undefined,
        percentile: percentileOf(c.ExtendedStatistic),
        statistic: c.Statistic ?? c.ExtendedStatistic ?? '',
        unit: c.Unit,
        namespace: c.Namespace,
      },
      slots,
      a.state.value,
      now,
    );
    if (result.retained || !result.changed) return;
    // early evaluations only ever raise an alarm: a partial period cannot prove the opposite
    if (mode === 'early' && result.state !== 'ALARM') return;
    await this.transition(a, result.state, result.reason, result.reasonDataJson, now, 0);
  }

  private async evaluateComposite(arn: string, cause: 'created' | 'updated' | 'child', triggeredBy: string | undefined, depth: number): Promise<void> {
    const a = this.alarms.get(arn);
    const rule = this.rules.get(arn);
    if (!a || !rule || a.kind !== 'CompositeAlarm') return;
    const stateOf = (ref: string) => this.lookup(a, ref)?.state.value;
    const next = compositeState(rule, stateOf);
    if (next === a.state.value) return;
    const { reason, reasonData } = compositeReason({
      compositeArn: a.arn,
      rule,
      newState: next,
      childOf: (ref) => {
        const child = this.lookup(a, ref);
        return child && { arn: child.arn, state: child.state.value, timestamp: new Date(child.state.transitionedAt) };
      },
      cause,
      triggeredBy,
    });
    await this.transition(a, next, reason, reasonData, this.d.now(), depth);
  }

  /** SetAlarmState: a real transition (actions, history, event) that the next evaluation may undo. */
  async setState(arn: string, value: AlarmState, reason: string, reasonData: string | undefined): Promise<void> {
    await this.serial(arn, async () => {
      const a = this.alarms.get(arn);
      if (!a || a.state.value === value) return;
      await this.transition(a, value, reason, reasonData, this.d.now(), 0);
    });
  }

  /**
   * Whether a composite's actions are suppressed now: its suppressor is in ALARM (`Alarm`), or
   * left ALARM less than ActionsSuppressorExtensionPeriod ago (`ExtensionPeriod`); otherwise the
   * actions wait ActionsSuppressorWaitPeriod for the suppressor to go into ALARM (`WaitPeriod`),
   * and run after it unless it did (HELD_ACTION_KIND).
   */
  private suppressionOf(a: AlarmRecord, now: number): { by: 'Alarm' | 'ExtensionPeriod' | 'WaitPeriod'; reason: string; suppressorArn: string; holdMs: number } | undefined {
    if (a.kind !== 'CompositeAlarm' || !a.config.ActionsSuppressor) return undefined;
    const s = this.lookup(a, a.config.ActionsSuppressor);
    if (!s) return undefined;
    if (s.state.value === 'ALARM') return { by: 'Alarm', reason: `Alarm is in ALARM state: ${s.arn}`, suppressorArn: s.arn, holdMs: 0 };
    const left = this.leftAlarmAt.get(s.arn);
    const extension = (a.config.ActionsSuppressorExtensionPeriod ?? 60) * 1000;
    if (left !== undefined && now - left < extension) {
      return { by: 'ExtensionPeriod', reason: `Extension period having ${extension / 1000} seconds after ${s.arn} left ALARM state`, suppressorArn: s.arn, holdMs: 0 };
    }
    const wait = (a.config.ActionsSuppressorWaitPeriod ?? 60) * 1000;
    if (wait <= 0) return undefined;
    return { by: 'WaitPeriod', reason: `Waiting up to ${wait / 1000} seconds for ${s.arn} to go into ALARM state`, suppressorArn: s.arn, holdMs: wait };
  }

  /** Whether the alarm `arn` is in ALARM, or went into ALARM at or after `since` (epoch ms). */
  wentIntoAlarm(arn: string, since: number): boolean {
    const a = this.alarms.get(arn);
    return a?.state.value === 'ALARM' || (this.enteredAlarmAt.get(arn) ?? -Infinity) >= since;
  }

  private async transition(a: AlarmRecord, value: AlarmState, reason: string, reasonData: string | undefined, now: number, depth: number): Promise<void> {
    const old = a.state;
    const suppression = this.suppressionOf(a, now);
    const suppressed = suppression !== undefined && suppression.by !== 'WaitPeriod';
    const next: AlarmRecord = {
      ...a,
      state: {
        value,
        reason,
        reasonData,
        updatedAt: now,
        transitionedAt: now,
        ...(suppression ? { suppressedBy: suppression.by, suppressedReason: suppression.reason } : {}),
      },
    };
    const change: StateChange = {
      oldValue: old.value,
      newValue: value,
      reason,
      reasonData,
      timestamp: new Date(now),
      oldReason: old.reason,
      oldReasonData: old.reasonData,
      oldTimestamp: new Date(old.updatedAt),
    };
    if (suppression) Object.assign(change, { actionsSuppressedBy: suppression.by, actionsSuppressedReason: suppression.reason });
    const hold = suppression?.by === 'WaitPeriod' ? { suppressorArn: suppression.suppressorArn, delayMs: suppression.holdMs } : undefined;
    const { jobs, history } = changeEffects(next, change, suppressed, hold);
    await this.d.store.transaction(async (tx) => {
      await db.upsertAlarm(tx, next);
      for (const h of history) await db.insertHistory(tx, h);
      await this.d.deliveries.enqueue(jobs, tx);
    });
    this.d.deliveries.wake();
    this.alarms.set(a.arn, next);
    if (value === 'ALARM') this.enteredAlarmAt.set(a.arn, now);
    else if (old.value === 'ALARM') this.leftAlarmAt.set(a.arn, now);
    if (depth >= MAX_COMPOSITE_DEPTH) return; // a cycle of composites stops here, as in AWS
    for (const parent of this.parentsOf(next)) {
      void this.serial(parent.arn, () => this.evaluateComposite(parent.arn, 'child', next.arn, depth + 1)).catch((e: unknown) =>
        this.d.log.error({ err: e, alarm: parent.arn }, 'alarms: composite evaluation failed'),
      );
    }
  }
}
