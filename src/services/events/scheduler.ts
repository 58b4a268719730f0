/**
 * @module services/events/scheduler
 * Fires schedule rules (`rate()`, `cron()`) as `Scheduled Event`s, under the injectable clock.
 *
 * Each enabled schedule rule keeps its next firing time in its row. A firing commits the jobs of
 * the rule's targets and the following firing time in one transaction, so a firing is neither
 * lost nor repeated by a restart. Firings missed while Signalbox was stopped are not made up: the
 * rule fires once, late, then keeps its rhythm (AWS does not back-fill either). The timer never
 * sleeps longer than a second, so a clock that tests move by hand is noticed within a second, and
 * `tick()` fires whatever is due at once.
 */
import { randomUUID } from 'node:crypto';
import type { NewJob } from '../../core/deliveries/types.js';
import type { EventsDeps } from './deps.js';
import { isoSeconds } from './model.js';
import { ruleDimensions, targetJob } from './route.js';
import { nextFire, parseSchedule } from './schedule.js';
import { scheduledRules, setNextFire, type RuleRow } from './store.js';

const MAX_SLEEP_MS = 1000;

export function scheduledEvent(rule: { arn: string; accountId: string; region: string }, at: number): Record<string, unknown> {
  return {
    version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: rule.accountId,
    time: isoSeconds(at), region: rule.region, resources: [rule.arn], detail: {},
  };
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> | undefined;

  constructor(private readonly d: EventsDeps) {}

  start(): void {
    this.running = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy;
  }

  /** A schedule rule changed: look again now. */
  wake(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick().finally(() => this.plan()), 0);
    this.timer.unref();
  }

  private plan(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick().finally(() => this.plan()), MAX_SLEEP_MS);
    this.timer.unref();
  }

  /** Fires every enabled schedule rule that is due by the clock; answers how many fired. */
  async tick(): Promise<number> {
    while (this.busy) await this.busy;
    let fired = 0;
    this.busy = (async () => {
      try {
        await this.d.index.ready();
        const now = this.d.clock.ms();
        for (const row of await scheduledRules(this.d.store)) {
          if (row.state === 'DISABLED' || row.next_fire_at === null || row.next_fire_at > now) continue;
          await this.fire(row, now);
          fired++;
        }
      } catch (e) {
        this.d.log.error({ err: e }, 'events: firing schedule rules failed');
      }
    })();
    await this.busy;
    this.busy = undefined;
    return fired;
  }

  private async fire(row: RuleRow, now: number): Promise<void> {
    const d = this.d;
    const s = parseSchedule(row.schedule_expression ?? '');
    const rule = d.index.get(row.arn);
    const due = row.next_fire_at!;
    // the next firing after now (missed ones are not made up); a rate keeps its phase
    const next = s ? nextFire(s, now, s.kind === 'rate' ? due : now) : null;
    const jobs: NewJob[] = [];
    if (rule && rule.targets.length > 0) {
      const event = scheduledEvent(rule, due);
      const json = JSON.stringify(event);
      for (const t of rule.targets) jobs.push(targetJob(rule, t, event, json, now));
      d.metrics.record({ accountId: rule.accountId, region: rule.region }, 'AWS/Events', 'TriggeredRules', ruleDimensions(rule));
    }
    await d.store.transaction(async (tx) => {
      if (jobs.length) await d.deliveries.enqueue(jobs, tx);
      await setNextFire(tx, row.arn, next);
    });
    if (jobs.length) d.deliveries.wake();
  }
}
