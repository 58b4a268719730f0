/**
 * @module services/events/route
 * One event on one bus → the delivery jobs it causes: one per target of every enabled rule whose
 * pattern matches (the target's input already rendered), and one per archive that keeps it.
 * The caller commits the jobs (with its own writes when it has any) before it answers, so an
 * accepted event reaches its targets at least once, whatever happens to the process after.
 *
 * Events routed together (the entries of one PutEvents call) share one job per target
 * (`batchTargetJobs`): a tenth of the rows to insert, attempt, log and delete. The sender still
 * delivers, retries and dead-letters each event on its own (deliver.ts).
 */
import { parseArn } from '../../core/arn.js';
import type { NewJob } from '../../core/deliveries/types.js';
import type { Dimension } from '../../core/metrics/index.js';
import type { EventsDeps } from './deps.js';
import { DEFAULT_BUS } from './model.js';
import type { LiveRule } from './rule-index.js';
import type { Scope } from './store.js';
import { targetInput } from './transform.js';

export const TARGET_KIND = 'events.target';
export const ARCHIVE_KIND = 'events.archive';
export const SOURCE = 'events';

/** One event as a target job carries it. */
export interface TargetEvent {
  /** what the target receives */
  body: string;
  /**
   * the event itself, when the target receives something else (a dead-letter queue receives the
   * event untransformed); absent when `body` is the event, so a job row carries it once
   */
  event?: string;
  eventId: string;
}

/** The payload of a target job for one event: everything the sender needs, nothing it must look up. */
export interface TargetJob extends TargetEvent {
  accountId: string;
  region: string;
  bus: string;
  ruleArn: string;
  ruleName: string;
  targetId: string;
  arn: string;
  groupId?: string;
  deadLetterArn?: string;
  /** MaximumEventAgeInSeconds, ms */
  maxAgeMs: number;
  http?: { PathParameterValues?: string[]; HeaderParameters?: Record<string, string>; QueryStringParameters?: Record<string, string> };
}

/** The payload of a target job for several events (in the order they arrived). */
export type TargetBatchJob = Omit<TargetJob, keyof TargetEvent> & { events: TargetEvent[] };

/** Most events one job carries: a PutEvents call's worth. */
export const EVENTS_PER_JOB = 10;

/** The events of a target job's payload, each as the payload of a job of its own. */
export function eventsOf(p: TargetJob | TargetBatchJob): TargetJob[] {
  if (!('events' in p)) return [p];
  const { events, ...common } = p;
  return events.map((e) => ({ ...common, ...e }));
}

/** The payload for `events` of one target (one event: the single form, as jobs always had). */
export function targetPayload(events: readonly TargetJob[]): TargetJob | TargetBatchJob {
  if (events.length === 1) return events[0];
  const { body: _b, event: _e, eventId: _i, ...common } = events[0];
  return {
    ...common,
    events: events.map((e) => (e.event === undefined ? { body: e.body, eventId: e.eventId } : { body: e.body, event: e.event, eventId: e.eventId })),
  };
}

export interface ArchiveJob {
  archiveArn: string;
  eventId: string;
  time: number;
  body: string;
}

export const DEFAULT_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAX_AGE_S = 86_400;

export interface RouteOptions {
  /** replays with FilterArns: only these rules */
  onlyRules?: ReadonlySet<string>;
  /** when the event arrived (reserved variable aws.events.event.ingestion-time) */
  ingestionMs: number;
}

export function ruleDimensions(rule: Pick<LiveRule, 'bus' | 'name'>): Dimension[] {
  const dims: Dimension[] = [];
  if (rule.bus !== DEFAULT_BUS) dims.push({ Name: 'EventBusName', Value: rule.bus });
  dims.push({ Name: 'RuleName', Value: rule.name });
  return dims;
}

/** `eventJson`: the event's JSON text when the caller has it; built only when something matched. */
export function routeEvent(d: EventsDeps, scope: Scope, bus: string, event: Record<string, unknown>, eventJson: string | undefined, opts: RouteOptions): NewJob[] {
  let rules = d.index.match(scope.accountId, scope.region, bus, event);
  if (opts.onlyRules) rules = rules.filter((r) => opts.onlyRules!.has(r.arn));
  const archives = d.index.archivesFor(scope.accountId, scope.region, bus, event);
  if (rules.length === 0 && archives.length === 0) return [];
  const json = eventJson ?? JSON.stringify(event);
  const jobs: NewJob[] = [];
  if (rules.length > 0) d.metrics.record(scope, 'AWS/Events', 'MatchedEvents', []);
  for (const rule of rules) {
    d.metrics.record(scope, 'AWS/Events', 'TriggeredRules', ruleDimensions(rule));
    d.metrics.record(scope, 'AWS/Events', 'TriggeredRules', []);
    for (const t of rule.targets) jobs.push(targetJob(rule, t, event, json, opts.ingestionMs));
  }
  for (const a of archives) {
    const payload: ArchiveJob = { archiveArn: a.arn, eventId: String(event.id), time: Date.parse(String(event.time)) || opts.ingestionMs, body: json };
    jobs.push({ kind: ARCHIVE_KIND, source: SOURCE, target: a.arn, ref: a.arn, payload });
  }
  return jobs;
}

/** A job for one target of a rule (also used by schedule rules, which have no pattern). */
export function targetJob(rule: LiveRule, t: LiveRule['targets'][number], event: Record<string, unknown>, eventJson: string, ingestionMs: number): NewJob {
  const retries = t.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
  const maxAgeMs = (t.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
  const body = targetInput(t, event, eventJson, rule, ingestionMs);
  const payload: TargetJob = {
    accountId: rule.accountId, region: rule.region, bus: rule.bus, ruleArn: rule.arn, ruleName: rule.name, targetId: t.Id, arn: t.Arn,
    body, eventId: String(event.id), maxAgeMs,
  };
  if (body !== eventJson) payload.event = eventJson;
  if (t.SqsParameters?.MessageGroupId !== undefined) payload.groupId = t.SqsParameters.MessageGroupId;
  if (t.DeadLetterConfig?.Arn) payload.deadLetterArn = t.DeadLetterConfig.Arn;
  if (t.HttpParameters) payload.http = t.HttpParameters;
  return {
    kind: TARGET_KIND, source: SOURCE, target: t.Arn, ref: rule.arn, payload,
    // the sender decides when the event is too old (so it can dead-letter it with the reason);
    // the engine only counts attempts, and gives up a day after that age at the latest
    retry: { maxAttempts: retries + 1, maxAgeMs: maxAgeMs + 86_400_000 },
  };
}

/**
 * Merges the target jobs of events routed together into one job per rule target, at most
 * EVENTS_PER_JOB events each, in the order of the events; other jobs pass unchanged. A merged job
 * takes the retry policy and dead-letter queue of its first event's job: they differ only when
 * PutTargets changed the target while the events were being routed, and then either is right.
 * Jobs of an API destination stay one per event: its rate limit counts attempts, and one attempt
 * must be one HTTP request.
 */
export function batchTargetJobs(jobs: readonly NewJob[]): NewJob[] {
  const out: NewJob[] = [];
  const groups: Array<{ job: NewJob; events: TargetJob[] }> = [];
  const open = new Map<string, { job: NewJob; events: TargetJob[] }>();
  for (const j of jobs) {
    const p = j.payload as TargetJob;
    const key = j.kind === TARGET_KIND ? `${p.ruleArn}\u0000${p.targetId}\u0000${p.arn}` : undefined;
    let group = key === undefined ? undefined : open.get(key);
    // a target is looked at once per call: an API destination never gets a group
    if (key === undefined || (!group && isApiDestination(p.arn))) {
      out.push(j);
      continue;
    }
    if (!group || group.events.length >= EVENTS_PER_JOB) {
      group = { job: { ...j }, events: [] };
      open.set(key, group);
      groups.push(group);
      out.push(group.job);
    }
    group.events.push(p);
  }
  for (const g of groups) g.job.payload = targetPayload(g.events);
  return out;
}

function isApiDestination(arn: string): boolean {
  const a = parseArn(arn);
  return !!a && a.service === 'events' && a.resource.startsWith('api-destination/');
}
