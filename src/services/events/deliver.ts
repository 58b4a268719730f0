/**
 * @module services/events/deliver
 * The senders of this service's jobs: a rule's target (`events.target`) and an archive's copy of
 * an event (`events.archive`).
 *
 * Targets are reached by ARN: functions, topics and queues through core/targets (a FIFO queue
 * gets the target's MessageGroupId and the event id as deduplication id), another bus or an API
 * destination here, a log group through the logs port (one stream per event, named after it).
 *
 * Retries are the delivery engine's (exponential with jitter, up to the target's
 * MaximumRetryAttempts); this sender decides when an event is given up, because the dead-letter
 * message says why: the error, and which limit ran out (EXHAUSTED_RETRY_CONDITION). Errors that
 * retrying cannot fix (a missing queue, a refused message) go to the dead-letter queue at once.
 */
import { parseArn } from '../../core/arn.js';
import { retryDelay, DEFAULT_POLICIES } from '../../core/deliveries/policy.js';
import type { Job, NewJob, Outcome, Sender } from '../../core/deliveries/types.js';
import type { TargetPayload } from '../../core/deliveries/senders.js';
import type { TargetMessage } from '../../core/targets/index.js';
import { invokeApiDestination } from './api-destinations.js';
import type { EventsDeps } from './deps.js';
import { eventsOf, ruleDimensions, SOURCE, targetPayload, type ArchiveJob, type TargetBatchJob, type TargetJob } from './route.js';
import { archiveEvent } from './store.js';

interface Failure { retryable: boolean; code: string; message: string; status?: number; retryAfterMs?: number }

/** An AWS-ish ERROR_CODE for the dead-letter message. */
function errorCode(code: string | undefined, message: string, status?: number): string {
  if (status === 429) return 'THROTTLING';
  if (/NotFound|NonExistent|does not exist|NO_RESOURCE/i.test(`${code ?? ''} ${message}`)) return 'NO_RESOURCE';
  return code ?? 'SDK_CLIENT_ERROR';
}

async function invoke(d: EventsDeps, p: TargetJob): Promise<{ ok: true; id?: string } | ({ ok: false } & Failure)> {
  const a = parseArn(p.arn);
  if (!a) return { ok: false, retryable: false, code: 'NO_RESOURCE', message: `${p.arn} is not an ARN` };
  if (a.service === 'logs') {
    const m = /^log-group:(.+?)(?::\*)?$/.exec(a.resource);
    if (!m) return { ok: false, retryable: false, code: 'NO_RESOURCE', message: `${p.arn} is not a log group` };
    let at = Date.now();
    try {
      at = Date.parse(JSON.parse(p.event ?? p.body).time) || at;
    } catch { /* the event's own time is a nicety */ }
    await d.logs.append({ accountId: a.accountId, region: a.region }, m[1], p.eventId, [{ timestamp: at, message: p.body }]);
    return { ok: true };
  }
  if (a.service === 'events' && a.resource.startsWith('api-destination/')) {
    const o = await invokeApiDestination(d, p);
    if (o.ok) return { ok: true };
    return { ok: false, retryable: o.retryable, code: errorCode(undefined, o.error, o.status), message: o.excerpt ? `${o.error}: ${o.excerpt}` : o.error, ...(o.status !== undefined ? { status: o.status } : {}), ...(o.retryAfterMs !== undefined ? { retryAfterMs: o.retryAfterMs } : {}) };
  }
  const message: TargetMessage = { body: p.body, sourceArn: p.ruleArn, sourceService: 'events.amazonaws.com' };
  if (p.groupId !== undefined) {
    message.groupId = p.groupId;
    message.deduplicationId = p.eventId;
  }
  const r = await d.targets.send(p.arn, message);
  if (r.ok) return r.id ? { ok: true, id: r.id } : { ok: true };
  return { ok: false, retryable: r.retryable, code: errorCode(r.code, r.error), message: r.error };
}

type Result = Awaited<ReturnType<typeof invoke>>;

/** One event's attempt: an exception is a failure worth retrying. */
async function attempt(d: EventsDeps, p: TargetJob): Promise<Result> {
  try {
    return await invoke(d, p);
  } catch (e) {
    return { ok: false, retryable: true, code: 'SDK_CLIENT_ERROR', message: (e as Error).message };
  }
}

/** A rule's AWS/Events metric, one datapoint per event (as for jobs of one event). */
function countEach(d: Pick<EventsDeps, 'metrics'>, p: TargetJob | TargetBatchJob, metric: string, events: number): void {
  const scope = { accountId: p.accountId, region: p.region };
  const dims = ruleDimensions({ bus: p.bus, name: p.ruleName });
  for (let i = 0; i < events; i++) d.metrics.record(scope, 'AWS/Events', metric, dims);
}

/**
 * AWS/Events Invocations, InvocationAttempts and FailedInvocations of `events` events of a target
 * that have settled (delivered, or given up) after `attempts` attempts.
 */
export function countInvocations(d: Pick<EventsDeps, 'metrics'>, p: TargetJob | TargetBatchJob, events: number, attempts: number, failed: boolean): void {
  const scope = { accountId: p.accountId, region: p.region };
  const dims = ruleDimensions({ bus: p.bus, name: p.ruleName });
  for (let i = 0; i < events; i++) {
    d.metrics.record(scope, 'AWS/Events', 'Invocations', dims);
    d.metrics.record(scope, 'AWS/Events', 'Invocations', []);
    d.metrics.record(scope, 'AWS/Events', 'InvocationAttempts', dims, attempts);
    if (failed) {
      d.metrics.record(scope, 'AWS/Events', 'FailedInvocations', dims);
      d.metrics.record(scope, 'AWS/Events', 'FailedInvocations', []);
    }
  }
}

/** Failed events of a job, and the limit that ran out for them (when one did). */
type Ending = Array<{ p: TargetJob; f: Failure; exhausted?: string }>;

/**
 * The sender of target jobs. A job carries one event or several (one PutEvents call's, for one
 * target); each event is delivered, retried and dead-lettered on its own. When some events of a
 * job are settled (delivered, or given up) and others are to be retried, the outcome's payload
 * is the rest: the engine retries only those, keeping the job's attempt count and age. Events
 * settled early are counted here; the engine's settled listener counts those the job ends with.
 */
export function targetSender(d: EventsDeps): Sender {
  const shortest = { ...DEFAULT_POLICIES.events };
  return async (job: Job): Promise<Outcome> => {
    const p = job.payload as TargetJob | TargetBatchJob;
    const events = eventsOf(p);
    if (d.clock.ms() - job.createdAt > p.maxAgeMs) {
      const expired: Failure = { retryable: false, code: 'EVENT_EXPIRED', message: `the event is older than ${p.maxAgeMs / 1000} s` };
      return giveUp(d, job, events.map((e) => ({ p: e, f: expired, exhausted: 'MaximumEventAgeInSeconds' })));
    }
    // started in order, so a queue writes them in order (and in one transaction)
    const results = await Promise.all(events.map((e) => attempt(d, e)));
    const ids: string[] = [];
    const failures: Array<{ p: TargetJob; f: Failure }> = [];
    results.forEach((r, i) => {
      if (!r.ok) failures.push({ p: events[i], f: r });
      else if (r.id) ids.push(r.id);
    });
    const delivered = events.length - failures.length;
    countEach(d, p, 'SuccessfulInvocationAttempts', delivered);
    if (failures.length === 0) return ids.length ? { ok: true, excerpt: ids.join(' ') } : { ok: true };
    countEach(d, p, 'RetryInvocationAttempts', failures.length);
    // the limit that has run out, if any, is the job's: the same for all its events
    const exhausted = job.attempt >= (job.retry?.maxAttempts ?? 186) ? 'MaximumRetryAttempts'
      // even the shortest next retry would come too late: the age runs out now
      : d.clock.ms() - job.createdAt + retryDelay(shortest, job.attempt, () => 1) > p.maxAgeMs ? 'MaximumEventAgeInSeconds'
        : undefined;
    const retry = failures.filter((x) => x.f.retryable && !exhausted);
    const ending: Ending = failures.filter((x) => !retry.includes(x)).map((x) => ({ ...x, exhausted: x.f.retryable ? exhausted : undefined }));
    if (delivered > 0) countInvocations(d, p, delivered, job.attempt, false);
    if (retry.length === 0) {
      const o = await giveUp(d, job, ending);
      // the job ends with the events given up, which the settled listener counts
      if (delivered > 0 && !o.ok) o.payload = targetPayload(ending.map((x) => x.p));
      return o;
    }
    let error = `${retry[0].f.code}: ${retry[0].f.message}`;
    if (ending.length > 0) {
      const o = await giveUp(d, job, ending);
      if (!o.ok) error += `; given up: ${o.error}`;
      countInvocations(d, p, ending.length, job.attempt, true);
    }
    const o: Outcome = { ok: false, retryable: true, error };
    if (retry[0].f.status !== undefined) o.status = retry[0].f.status;
    const wait = Math.max(...retry.map((x) => x.f.retryAfterMs ?? 0));
    if (wait > 0) o.retryAfterMs = wait;
    if (retry.length < events.length) o.payload = targetPayload(retry.map((x) => x.p));
    return o;
  };
}

/** The last failure of events of a target: each to its dead-letter queue (committed before we answer) when it has one. */
async function giveUp(d: EventsDeps, job: Job, ending: Ending): Promise<Outcome> {
  const { p, f } = ending[0];
  const error = `${f.code}: ${f.message}${ending.length > 1 ? ` (and ${ending.length - 1} more events)` : ''}`;
  if (!p.deadLetterArn) return { ok: false, retryable: false, error, ...(f.status !== undefined ? { status: f.status } : {}) };
  await d.deliveries.enqueue(ending.map((x) => deadLetterJob(job, x.p, x.f, x.exhausted)));
  countEach(d, p, 'DeadLetterInvocations', ending.length);
  return { ok: false, retryable: false, error: `${error}; sent to the dead-letter queue ${p.deadLetterArn}` };
}

/** The dead-letter message of one event, with AWS's attributes saying why. */
function deadLetterJob(job: Job, p: TargetJob, f: Failure, exhausted?: string): NewJob {
  const attributes: NonNullable<TargetMessage['attributes']> = {
    RULE_ARN: { DataType: 'String', StringValue: p.ruleArn },
    TARGET_ARN: { DataType: 'String', StringValue: p.arn },
    ERROR_CODE: { DataType: 'String', StringValue: f.code },
    ERROR_MESSAGE: { DataType: 'String', StringValue: f.message.slice(0, 1024) },
    RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(Math.max(0, job.attempt - 1)) },
  };
  if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = { DataType: 'String', StringValue: exhausted };
  const payload: TargetPayload = { arn: p.deadLetterArn!, message: { body: p.event ?? p.body, attributes, sourceArn: p.ruleArn, sourceService: 'events.amazonaws.com' } };
  return { kind: 'target', source: SOURCE, target: p.deadLetterArn!, ref: p.ruleArn, payload };
}

export function archiveSender(d: EventsDeps): Sender {
  return async (job: Job): Promise<Outcome> => {
    const p = job.payload as ArchiveJob;
    await archiveEvent(d.store, p.archiveArn, p.eventId, p.time, p.body);
    return { ok: true };
  };
}
