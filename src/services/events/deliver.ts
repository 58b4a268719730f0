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
import type { Job, Outcome, Sender } from '../../core/deliveries/types.js';
import type { TargetPayload } from '../../core/deliveries/senders.js';
import type { TargetMessage } from '../../core/targets/index.js';
import { invokeApiDestination } from './api-destinations.js';
import type { EventsDeps } from './deps.js';
import { ruleDimensions, SOURCE, type ArchiveJob, type TargetJob } from './route.js';
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

export function targetSender(d: EventsDeps): Sender {
  const shortest = { ...DEFAULT_POLICIES.events };
  return async (job: Job): Promise<Outcome> => {
    const p = job.payload as TargetJob;
    const scope = { accountId: p.accountId, region: p.region };
    const age = d.clock.ms() - job.createdAt;
    if (age > p.maxAgeMs) return giveUp(d, job, p, { retryable: false, code: 'EVENT_EXPIRED', message: `the event is older than ${p.maxAgeMs / 1000} s` }, 'MaximumEventAgeInSeconds');
    let r: Awaited<ReturnType<typeof invoke>>;
    try {
      r = await invoke(d, p);
    } catch (e) {
      r = { ok: false, retryable: true, code: 'SDK_CLIENT_ERROR', message: (e as Error).message };
    }
    if (r.ok) {
      d.metrics.record(scope, 'AWS/Events', 'SuccessfulInvocationAttempts', ruleDimensions({ bus: p.bus, name: p.ruleName }));
      return r.id ? { ok: true, excerpt: r.id } : { ok: true };
    }
    d.metrics.record(scope, 'AWS/Events', 'RetryInvocationAttempts', ruleDimensions({ bus: p.bus, name: p.ruleName }));
    if (!r.retryable) return giveUp(d, job, p, r);
    const maxAttempts = job.retry?.maxAttempts ?? 186;
    if (job.attempt >= maxAttempts) return giveUp(d, job, p, r, 'MaximumRetryAttempts');
    // even the shortest next retry would come too late: the age runs out now
    if (d.clock.ms() - job.createdAt + retryDelay(shortest, job.attempt, () => 1) > p.maxAgeMs) return giveUp(d, job, p, r, 'MaximumEventAgeInSeconds');
    const o: Outcome = { ok: false, retryable: true, error: `${r.code}: ${r.message}` };
    if (r.status !== undefined) o.status = r.status;
    if (r.retryAfterMs !== undefined) o.retryAfterMs = r.retryAfterMs;
    return o;
  };
}

/** The last failure of a target: to its dead-letter queue (committed before we answer) when it has one. */
async function giveUp(d: EventsDeps, job: Job, p: TargetJob, f: Failure, exhausted?: string): Promise<Outcome> {
  const error = `${f.code}: ${f.message}`;
  if (!p.deadLetterArn) return { ok: false, retryable: false, error, ...(f.status !== undefined ? { status: f.status } : {}) };
  const attributes: NonNullable<TargetMessage['attributes']> = {
    RULE_ARN: { DataType: 'String', StringValue: p.ruleArn },
    TARGET_ARN: { DataType: 'String', StringValue: p.arn },
    ERROR_CODE: { DataType: 'String', StringValue: f.code },
    ERROR_MESSAGE: { DataType: 'String', StringValue: f.message.slice(0, 1024) },
    RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(Math.max(0, job.attempt - 1)) },
  };
  if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = { DataType: 'String', StringValue: exhausted };
  const payload: TargetPayload = { arn: p.deadLetterArn, message: { body: p.event ?? p.body, attributes, sourceArn: p.ruleArn, sourceService: 'events.amazonaws.com' } };
  await d.deliveries.enqueue([{ kind: 'target', source: SOURCE, target: p.deadLetterArn, ref: p.ruleArn, payload }]);
  d.metrics.record({ accountId: p.accountId, region: p.region }, 'AWS/Events', 'DeadLetterInvocations', ruleDimensions({ bus: p.bus, name: p.ruleName }));
  return { ok: false, retryable: false, error: `${error}; sent to the dead-letter queue ${p.deadLetterArn}` };
}

export function archiveSender(d: EventsDeps): Sender {
  return async (job: Job): Promise<Outcome> => {
    const p = job.payload as ArchiveJob;
    await archiveEvent(d.store, p.archiveArn, p.eventId, p.time, p.body);
    return { ok: true };
  };
}
