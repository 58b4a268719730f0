/**
 * @module services/events/targets
 * PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget. A rule holds at most five
 * targets; each names exactly one way to shape its input, an optional retry policy (0–185
 * retries, 60–86,400 s) and an optional dead-letter queue.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import type { EventsDeps } from './deps.js';
import { busNameOf, constraint, LIMITS, NAME_RE, page, readName, ruleNotFound, scopeOf, validation } from './model.js';
import { deleteTarget, getRule, nextTargetSeq, rulesOfBus, rulesTargeting, targetsOf, upsertTarget } from './store.js';
import { checkInput, type InputSpec } from './transform.js';

type Input = Record<string, unknown>;

/** A Target as PutTargets received it (the members Signalbox acts on are typed). */
export interface TargetSpec extends InputSpec {
  Arn: string;
  RoleArn?: string;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  SqsParameters?: { MessageGroupId?: string };
  HttpParameters?: { PathParameterValues?: string[]; HeaderParameters?: Record<string, string>; QueryStringParameters?: Record<string, string> };
  [member: string]: unknown;
}

function readTarget(v: unknown, i: number): TargetSpec {
  const t = (v ?? {}) as Record<string, unknown>;
  const at = `targets.${i + 1}.member`;
  const id = readName(t, 'Id', `${at}.id`, { re: NAME_RE });
  if (typeof t.Arn !== 'string' || t.Arn.length < 1 || t.Arn.length > 1600) throw constraint(t.Arn ?? null, `${at}.arn`, 'Member must have length between 1 and 1600');
  const spec = { ...t, Id: id, Arn: t.Arn } as TargetSpec;
  const rp = spec.RetryPolicy;
  if (rp) {
    const n = rp.MaximumRetryAttempts;
    if (n !== undefined && (n < 0 || n > 185)) throw constraint(n, `${at}.retryPolicy.maximumRetryAttempts`, n < 0 ? 'Member must have value greater than or equal to 0' : 'Member must have value less than or equal to 185');
    const age = rp.MaximumEventAgeInSeconds;
    if (age !== undefined && (age < 60 || age > 86_400)) throw constraint(age, `${at}.retryPolicy.maximumEventAgeInSeconds`, age < 60 ? 'Member must have value greater than or equal to 60' : 'Member must have value less than or equal to 86400');
  }
  const dlq = spec.DeadLetterConfig?.Arn;
  if (dlq !== undefined && !/^arn:[^:]+:sqs:[^:]*:\d{12}:.+$/.test(dlq)) throw validation(`The DeadLetterConfig Arn of target ${id} must be the ARN of an SQS queue.`);
  checkInput(spec);
  return spec;
}

async function requireRule(d: EventsDeps, input: Input, ctx: RequestContext) {
  const name = readName(input, 'Rule', 'rule', { re: NAME_RE });
  const bus = busNameOf(input.EventBusName);
  const rule = await getRule(d.store, scopeOf(ctx), bus, name);
  if (!rule) throw ruleNotFound(name, bus);
  return rule;
}

export async function putTargets(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const list = input.Targets;
  if (!Array.isArray(list)) throw constraint(null, 'targets', 'Member must not be null');
  if (list.length < 1 || list.length > LIMITS.targetsPerRequest) throw constraint(list, 'targets', `Member must have length ${list.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`);
  const specs = list.map(readTarget);
  const rule = await requireRule(d, input, ctx);
  await d.store.transaction(async (tx) => {
    const current = await targetsOf(tx, rule.arn);
    const ids = new Set(current.map((t) => t.id));
    for (const s of specs) ids.add(s.Id);
    if (ids.size > LIMITS.targetsPerRule) throw awsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    let seq = await nextTargetSeq(tx, rule.arn);
    for (const s of specs) await upsertTarget(tx, { rule_arn: rule.arn, id: s.Id, arn: s.Arn, spec: JSON.stringify(s), seq: seq++ });
  });
  await refreshRule(d, rule.arn, rule);
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export async function removeTargets(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ids = input.Ids;
  if (!Array.isArray(ids) || ids.length < 1) throw constraint(ids ?? null, 'ids', 'Member must have length greater than or equal to 1');
  if (ids.length > LIMITS.targetsPerRequest) throw constraint(ids, 'ids', 'Member must have length less than or equal to 100');
  const rule = await requireRule(d, input, ctx);
  await d.store.transaction(async (tx) => {
    for (const id of ids) if (typeof id === 'string') await deleteTarget(tx, rule.arn, id);
  });
  await refreshRule(d, rule.arn, rule);
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export async function listTargetsByRule(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const rule = await requireRule(d, input, ctx);
  const rows = await targetsOf(d.store, rule.arn);
  const p = page(rows.map((r) => JSON.parse(r.spec) as TargetSpec), input);
  return { Targets: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

export async function listRuleNamesByTarget(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const arn = input.TargetArn;
  if (typeof arn !== 'string' || arn === '') throw constraint(null, 'targetArn', 'Member must not be null');
  const bus = busNameOf(input.EventBusName);
  const onBus = new Map((await rulesOfBus(d.store, scopeOf(ctx), bus)).map((r) => [r.arn, r.name]));
  const names = (await rulesTargeting(d.store, arn)).map((r) => onBus.get(r.rule_arn)).filter((n): n is string => n !== undefined).sort();
  const p = page(names, input);
  return { RuleNames: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

/** After a committed write: the index takes the rule as the tables now hold it. */
export async function refreshRule(d: EventsDeps, arn: string, fallback?: Parameters<EventsDeps['index']['put']>[0]): Promise<void> {
  const row = fallback && fallback.arn === arn ? await getRule(d.store, { accountId: fallback.account_id, region: fallback.region }, fallback.bus_name, fallback.name) : undefined;
  if (!row) {
    d.index.remove(arn);
    return;
  }
  d.index.put(row, await targetsOf(d.store, arn));
}
