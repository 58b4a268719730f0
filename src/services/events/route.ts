/**
 * @module services/events/route
 * One event on one bus → the delivery jobs it causes: one per target of every enabled rule whose
 * pattern matches (the target's input already rendered), and one per archive that keeps it.
 * The caller commits the jobs (with its own writes when it has any) before it answers, so an
 * accepted event reaches its targets at least once, whatever happens to the process after.
 */
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

/** The payload of a target job: everything the sender needs, nothing it must look up. */
export interface TargetJob {
  accountId: string;
  region: string;
  bus: string;
  ruleArn: string;
  ruleName: string;
  targetId: string;
  arn: string;
  /** what the target receives */
  body: string;
  /**
   * the event itself, when the target receives something else (a dead-letter queue receives the
   * event untransformed); absent when `body` is the event, so a job row carries it once
   */
  event?: string;
  eventId: string;
  groupId?: string;
  deadLetterArn?: string;
  /** MaximumEventAgeInSeconds, ms */
  maxAgeMs: number;
  http?: { PathParameterValues?: string[]; HeaderParameters?: Record<string, string>; QueryStringParameters?: Record<string, string> };
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
