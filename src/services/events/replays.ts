/**
 * @module services/events/replays
 * StartReplay, DescribeReplay, ListReplays, CancelReplay, and the replayer that sends archived
 * events back to their bus.
 *
 * A replay sends the archive's events whose time lies in [EventStartTime, EventEndTime), oldest
 * first, each with a top-level `replay-name`, to the rules of the bus (only the FilterArns rules
 * when given). Batch by batch, the jobs and the replay's progress (its cursor) commit together, so
 * a replay interrupted by a restart carries on where it stopped. The replayer also expires
 * archived events past their archive's retention.
 */
import { awsError } from '../../core/errors.js';
import type { NewJob } from '../../core/deliveries/types.js';
import type { RequestContext } from '../service.js';
import { archiveNotFound } from './archives.js';
import { BackgroundLoop } from './background-loop.js';
import type { EventsDeps } from './deps.js';
import { constraint, DEFAULT_BUS, NAME_RE, optionalString, page, readName, resourceArn, scopeOf, validation, withPrefix } from './model.js';
import { batchTargetJobs, routeEvent } from './route.js';
import {
  activeReplays, archivedBetween, expireArchived, getArchiveByArn, getReplay, insertReplay, listReplays as listRows, setReplayState, updateReplay,
  type ReplayRow,
} from './store.js';

type Input = Record<string, unknown>;

const BATCH = 200;
const POLL_MS = 1000;
const SWEEP_MS = 60_000;

function time(v: unknown, member: string): number {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw constraint(null, member, 'Member must not be null');
  return v.getTime();
}

export async function startReplay(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = readName(input, 'ReplayName', 'replayName', { re: NAME_RE });
  const source = optionalString(input, 'EventSourceArn');
  if (!source) throw constraint(null, 'eventSourceArn', 'Member must not be null');
  const start = time(input.EventStartTime, 'eventStartTime');
  const end = time(input.EventEndTime, 'eventEndTime');
  const dest = (input.Destination ?? {}) as { Arn?: string; FilterArns?: string[] };
  if (typeof dest.Arn !== 'string') throw constraint(null, 'destination.arn', 'Member must not be null');
  if (start >= end) throw validation('Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  if (end > d.clock.ms()) throw validation('Parameter EventEndTime is not valid. Reason: EventEndTime cannot be in the future.');
  const archive = await getArchiveByArn(d.store, source);
  const scope = scopeOf(ctx);
  if (!archive || archive.account_id !== scope.accountId || archive.region !== scope.region) throw archiveNotFound(source.slice(source.lastIndexOf('/') + 1));
  if (dest.Arn !== archive.source_arn) throw validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
  const now = d.clock.ms();
  const row: ReplayRow = {
    arn: resourceArn(scope, 'replay', name), account_id: scope.accountId, region: scope.region, name, description: optionalString(input, 'Description') ?? null,
    source_arn: source, destination: JSON.stringify({ Arn: dest.Arn, ...(dest.FilterArns?.length ? { FilterArns: dest.FilterArns } : {}) }),
    event_start: start, event_end: end, state: 'STARTING', state_reason: null, last_replayed: null, replay_start: now, replay_end: null, cursor_seq: 0,
  };
  await d.store.transaction(async (tx) => {
    if (await getReplay(tx, scope, name)) throw awsError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    await insertReplay(tx, row);
  });
  d.wakeReplays();
  return { ReplayArn: row.arn, State: row.state, ReplayStartTime: new Date(now) };
}

function describe(r: ReplayRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ReplayName: r.name, EventSourceArn: r.source_arn, State: r.state, EventStartTime: new Date(r.event_start), EventEndTime: new Date(r.event_end),
    ReplayStartTime: new Date(r.replay_start),
  };
  if (r.state_reason) out.StateReason = r.state_reason;
  if (r.last_replayed !== null) out.EventLastReplayedTime = new Date(r.last_replayed);
  if (r.replay_end !== null) out.ReplayEndTime = new Date(r.replay_end);
  return out;
}

async function requireReplay(d: EventsDeps, input: Input, ctx: RequestContext): Promise<ReplayRow> {
  const name = readName(input, 'ReplayName', 'replayName', { re: NAME_RE });
  const r = await getReplay(d.store, scopeOf(ctx), name);
  if (!r) throw awsError('ResourceNotFoundException', `Replay ${name} does not exist.`);
  return r;
}

export async function describeReplay(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireReplay(d, input, ctx);
  return { ...describe(r), ReplayArn: r.arn, Destination: JSON.parse(r.destination), ...(r.description ? { Description: r.description } : {}) };
}

export async function listReplays(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  let rows = withPrefix(await listRows(d.store, scopeOf(ctx)), input.NamePrefix);
  if (typeof input.State === 'string') rows = rows.filter((r) => r.state === input.State);
  if (typeof input.EventSourceArn === 'string') rows = rows.filter((r) => r.source_arn === input.EventSourceArn);
  const p = page(rows.map(describe), input);
  return { Replays: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

export async function cancelReplay(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const r = await requireReplay(d, input, ctx);
  if (r.state !== 'STARTING' && r.state !== 'RUNNING') throw awsError('IllegalStatusException', `Replay ${r.name} is not in a valid state for this operation.`);
  await setReplayState(d.store, r.arn, 'CANCELLING');
  d.wakeReplays();
  return { ReplayArn: r.arn, State: 'CANCELLING' };
}

export class Replayer {
  private readonly loop: BackgroundLoop;
  private lastSweep = 0;

  constructor(private readonly d: EventsDeps) {
    this.loop = new BackgroundLoop(async () => void (await this.step()), POLL_MS, (e) => d.log.error({ err: e }, 'events: replaying archives failed'));
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Advances every active replay by one batch (or to its end); answers whether work remains. */
  async step(): Promise<boolean> {
    const d = this.d;
    await d.index.ready();
    let more = false;
    for (const r of await activeReplays(d.store)) {
      if (r.state === 'CANCELLING') {
        await updateReplay(d.store, r.arn, { state: 'CANCELLED', cursor_seq: r.cursor_seq, last_replayed: r.last_replayed, replay_end: d.clock.ms(), state_reason: r.state_reason });
        continue;
      }
      const rows = await archivedBetween(d.store, r.source_arn, r.event_start, r.event_end, r.cursor_seq, BATCH);
      const dest = JSON.parse(r.destination) as { Arn: string; FilterArns?: string[] };
      const bus = dest.Arn.slice(dest.Arn.indexOf(':event-bus/') + ':event-bus/'.length) || DEFAULT_BUS;
      const only = dest.FilterArns?.length ? new Set(dest.FilterArns) : undefined;
      const jobs: NewJob[] = [];
      const now = d.clock.ms();
      let last = r.last_replayed;
      for (const a of rows) {
        const event = { ...(JSON.parse(a.body) as Record<string, unknown>), 'replay-name': r.name };
        for (const j of routeEvent(d, { accountId: r.account_id, region: r.region }, bus, event, undefined, { ingestionMs: now, ...(only ? { onlyRules: only } : {}) })) jobs.push(j);
        last = a.event_time;
      }
      const done = rows.length < BATCH;
      await d.store.transaction(async (tx) => {
        if (jobs.length) await d.deliveries.enqueue(batchTargetJobs(jobs), tx);
        await updateReplay(tx, r.arn, {
          state: done ? 'COMPLETED' : 'RUNNING', cursor_seq: rows.length ? rows[rows.length - 1].seq : r.cursor_seq, last_replayed: last, replay_end: done ? now : null,
        });
      });
      if (jobs.length) d.deliveries.wake();
      if (!done) more = true;
    }
    // inside a run, a wake-up runs it once more: the next batch
    if (more) this.loop.wake();
    await this.sweep();
    return more;
  }

  /** Archived events past their archive's retention go, once a minute. */
  private async sweep(): Promise<void> {
    const now = this.d.clock.ms();
    if (now - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = now;
    for (const a of this.d.index.allArchives()) {
      if (a.retentionDays > 0) await expireArchived(this.d.store, a.arn, now - a.retentionDays * 86_400_000);
    }
  }
}
