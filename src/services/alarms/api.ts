/**
 * @module services/alarms/api
 * The alarm operations of the CloudWatch API, one handler each.
 */
import { awsError } from '../../core/errors.js';
import type { MetricsHub } from '../../core/metrics/index.js';
import type { Handler, RequestContext } from '../service.js';
import type { AlarmEngine } from './engine.js';
import { describeAlarm, type AlarmRecord, alarmArn } from './model.js';
import { readCompositeAlarm, readMetricAlarm } from './put.js';
import * as db from './store.js';
import type { Store } from '../../store/store.js';
import type { AlarmState } from './evaluation/index.js';
import { parseAlarmRule, ruleAlarmRefs } from './composite/index.js';

type Input = Record<string, unknown>;

const STATES = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const TYPES = new Set(['MetricAlarm', 'CompositeAlarm']);
const HISTORY_TYPES = new Set(['ConfigurationUpdate', 'StateUpdate', 'Action']);

const invalid = (msg: string) => awsError('InvalidParameterValue', msg);

function names(v: unknown, name: string, max = 100): string[] {
  const list = Array.isArray(v) ? v.map(String) : [];
  if (list.length > max) throw invalid(`The collection ${name} must not have a size greater than ${max}.`);
  return list;
}

function maxRecords(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw invalid(`The value ${String(v)} for parameter MaxRecords must be between 1 and 100.`);
  return n;
}

function pageToken(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = Number(Buffer.from(String(v), 'base64url').toString('utf8').replace(/^a:/, ''));
  if (!Number.isInteger(n) || n < 0) throw awsError('InvalidNextToken', 'The service couldn\'t process your request because the NextToken is not valid.');
  return n;
}
const token = (n: number) => Buffer.from(`a:${n}`).toString('base64url');

function requireAlarm(engine: AlarmEngine, ctx: RequestContext, name: unknown): AlarmRecord {
  if (name === undefined || name === null || name === '') throw awsError('MissingParameter', 'The parameter AlarmName is required.');
  const a = engine.get(ctx, String(name));
  if (!a) throw awsError('ResourceNotFound', `Alarm ${String(name)} not found`);
  return a;
}

function alarmByArn(engine: AlarmEngine, ctx: RequestContext, arn: unknown): AlarmRecord {
  const s = String(arn ?? '');
  if (!s) throw awsError('MissingParameter', 'The parameter ResourceARN is required.');
  const a = s.startsWith('arn:aws:cloudwatch:') ? engine.lookup(ctx, s) : undefined;
  if (!a || a.accountId !== ctx.accountId) throw awsError('ResourceNotFoundException', `${s} not found`, undefined, { status: 404 });
  return a;
}

export function createAlarmHandlers(engine: AlarmEngine, metrics: MetricsHub, store: Store): Record<string, Handler> {
  const put = async (ctx: RequestContext, kind: AlarmRecord['kind'], read: { config: AlarmRecord['config']; tags: AlarmRecord['tags'] }) => {
    const existing = engine.get(ctx, read.config.AlarmName);
    if (existing && existing.kind !== kind) {
      throw invalid(`The alarm ${read.config.AlarmName} already exists as a ${existing.kind === 'MetricAlarm' ? 'metric' : 'composite'} alarm.`);
    }
    const now = ctx.now.getTime();
    const rec: AlarmRecord = {
      arn: alarmArn(ctx.region, ctx.accountId, read.config.AlarmName),
      accountId: ctx.accountId,
      region: ctx.region,
      name: read.config.AlarmName,
      kind,
      config: read.config,
      // on update AWS ignores the Tags parameter
      tags: existing ? existing.tags : read.tags,
      state: existing?.state ?? { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: now, transitionedAt: now },
      configUpdatedAt: now,
    };
    await engine.put(rec, !existing);
    return {};
  };

  return {
    PutMetricAlarm: (input: Input, ctx) => put(ctx, 'MetricAlarm', readMetricAlarm(input, ctx.region, metrics)),
    PutCompositeAlarm: (input: Input, ctx) => {
      const read = readCompositeAlarm(input, ctx.region);
      // AWS refuses a rule that names an alarm that does not exist (yet)
      const missing = ruleAlarmRefs(parseAlarmRule(read.config.AlarmRule ?? '')).filter((r) => !engine.lookup(ctx, r));
      if (missing.length > 0) throw awsError('ValidationError', `Could not save the composite alarm as alarms [${missing.join(', ')}] in the alarm rule do not exist`);
      return put(ctx, 'CompositeAlarm', read);
    },

    DescribeAlarms(input: Input, ctx) {
      const alarmNames = names(input.AlarmNames, 'AlarmNames');
      const prefix = input.AlarmNamePrefix === undefined ? undefined : String(input.AlarmNamePrefix);
      if (alarmNames.length > 0 && prefix !== undefined) {
        throw awsError('InvalidParameterCombination', 'The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.');
      }
      const types = names(input.AlarmTypes, 'AlarmTypes');
      for (const t of types) if (!TYPES.has(t)) throw invalid(`The value ${t} for parameter AlarmTypes is not valid.`);
      const state = input.StateValue === undefined ? undefined : String(input.StateValue);
      if (state !== undefined && !STATES.has(state)) throw invalid(`The value ${state} for parameter StateValue is not valid.`);
      const children = input.ChildrenOfAlarmName === undefined ? undefined : String(input.ChildrenOfAlarmName);
      const parents = input.ParentsOfAlarmName === undefined ? undefined : String(input.ParentsOfAlarmName);
      if (children !== undefined && parents !== undefined) {
        throw awsError('InvalidParameterCombination', 'The parameters ChildrenOfAlarmName and ParentsOfAlarmName are mutually exclusive and you have specified both.');
      }
      const actionPrefix = input.ActionPrefix === undefined ? undefined : String(input.ActionPrefix);
      const limit = maxRecords(input.MaxRecords, 50);
      // without AlarmTypes only metric alarms are listed (AWS), except for the family filters
      const wanted = types.length > 0 ? new Set(types) : children !== undefined || parents !== undefined ? TYPES : new Set(['MetricAlarm']);
      let list = engine.list(ctx);
      if (children !== undefined) {
        const parent = engine.get(ctx, children);
        const refs = parent ? engine.refsOf(parent) : [];
        list = list.filter((a) => refs.some((r) => r === a.arn || r === a.name));
      }
      if (parents !== undefined) {
        const child = engine.get(ctx, parents);
        const ps = new Set(child ? engine.parentsOf(child).map((p) => p.arn) : []);
        list = list.filter((a) => ps.has(a.arn));
      }
      list = list.filter((a) =>
        wanted.has(a.kind) &&
        (alarmNames.length === 0 || alarmNames.includes(a.name)) &&
        (prefix === undefined || a.name.startsWith(prefix)) &&
        (state === undefined || a.state.value === state) &&
        (actionPrefix === undefined || [...a.config.AlarmActions, ...a.config.OKActions, ...a.config.InsufficientDataActions].some((x) => x.startsWith(actionPrefix))),
      );
      const from = pageToken(input.NextToken);
      const page = list.slice(from, from + limit);
      const out: Record<string, unknown> = {
        MetricAlarms: page.filter((a) => a.kind === 'MetricAlarm').map(describeAlarm),
        CompositeAlarms: page.filter((a) => a.kind === 'CompositeAlarm').map(describeAlarm),
      };
      if (from + limit < list.length) out.NextToken = token(from + limit);
      return out;
    },

    DescribeAlarmsForMetric(input: Input, ctx) {
      if (!input.MetricName) throw awsError('MissingParameter', 'The parameter MetricName is required.');
      if (!input.Namespace) throw awsError('MissingParameter', 'The parameter Namespace is required.');
      const dims = (Array.isArray(input.Dimensions) ? (input.Dimensions as Input[]) : []).map((d) => `${String(d.Name)}=${String(d.Value)}`).sort();
      const alarms = engine.list(ctx).filter((a) => {
        const c = a.config;
        if (a.kind !== 'MetricAlarm' || c.MetricName !== input.MetricName || c.Namespace !== input.Namespace) return false;
        if (input.Statistic !== undefined && c.Statistic !== input.Statistic) return false;
        if (input.ExtendedStatistic !== undefined && c.ExtendedStatistic !== input.ExtendedStatistic) return false;
        if (input.Period !== undefined && c.Period !== Number(input.Period)) return false;
        if (input.Unit !== undefined && c.Unit !== input.Unit) return false;
        if (input.Dimensions !== undefined) {
          const have = (c.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort();
          if (have.join('\n') !== dims.join('\n')) return false;
        }
        return true;
      });
      return { MetricAlarms: alarms.map(describeAlarm) };
    },

    async DescribeAlarmHistory(input: Input, ctx) {
      const given = names(input.AlarmTypes, 'AlarmTypes');
      for (const t of given) if (!TYPES.has(t)) throw invalid(`The value ${t} for parameter AlarmTypes is not valid.`);
      // without AlarmTypes only metric alarms' history is listed (AWS)
      const types = given.length > 0 ? given : ['MetricAlarm'];
      const itemType = input.HistoryItemType === undefined ? undefined : String(input.HistoryItemType);
      if (itemType !== undefined && !HISTORY_TYPES.has(itemType)) throw invalid(`The value ${itemType} for parameter HistoryItemType is not valid.`);
      const limit = maxRecords(input.MaxRecords, 100);
      const ascending = input.ScanBy === 'TimestampAscending';
      const after = input.NextToken ? pageToken(input.NextToken) : undefined;
      const rows = await db.listHistory(store, {
        accountId: ctx.accountId,
        region: ctx.region,
        alarmName: input.AlarmName === undefined ? undefined : String(input.AlarmName),
        alarmTypes: types,
        itemType,
        start: input.StartDate instanceof Date ? input.StartDate.getTime() : undefined,
        end: input.EndDate instanceof Date ? input.EndDate.getTime() : undefined,
        ascending,
        after,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const out: Record<string, unknown> = {
        AlarmHistoryItems: page.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: h.alarmType,
          Timestamp: new Date(h.timestamp),
          HistoryItemType: h.itemType,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
      };
      if (rows.length > limit) out.NextToken = token(page[page.length - 1].seq);
      return out;
    },

    async SetAlarmState(input: Input, ctx) {
      const a = requireAlarm(engine, ctx, input.AlarmName);
      const value = String(input.StateValue ?? '');
      if (!STATES.has(value)) throw invalid(`The value ${value} for parameter StateValue is not valid.`);
      if (input.StateReason === undefined || input.StateReason === null) throw awsError('MissingParameter', 'The parameter StateReason is required.');
      const reason = String(input.StateReason);
      if (reason.length > 1023) throw invalid('The parameter StateReason must be no longer than 1023 characters.');
      let reasonData: string | undefined;
      if (input.StateReasonData !== undefined && input.StateReasonData !== null) {
        reasonData = String(input.StateReasonData);
        if (reasonData.length > 4000) throw invalid('The parameter StateReasonData must be no longer than 4000 characters.');
        try {
          JSON.parse(reasonData);
        } catch {
          throw awsError('InvalidFormat', 'The value for parameter StateReasonData must be valid JSON.');
        }
      }
      await engine.setState(a.arn, value as AlarmState, reason, reasonData);
      return {};
    },

    async EnableAlarmActions(input: Input, ctx) {
      for (const n of names(input.AlarmNames, 'AlarmNames')) {
        const a = engine.get(ctx, n);
        if (a) await engine.save(a.arn, (c) => ({ ...c, config: { ...c.config, ActionsEnabled: true } }));
      }
      return {};
    },

    async DisableAlarmActions(input: Input, ctx) {
      for (const n of names(input.AlarmNames, 'AlarmNames')) {
        const a = engine.get(ctx, n);
        if (a) await engine.save(a.arn, (c) => ({ ...c, config: { ...c.config, ActionsEnabled: false } }));
      }
      return {};
    },

    async DeleteAlarms(input: Input, ctx) {
      const list = names(input.AlarmNames, 'AlarmNames');
      if (list.length === 0) throw awsError('MissingParameter', 'The parameter AlarmNames is required.');
      // AWS's current documentation: the alarms with correct names are deleted, a wrong name is no error
      const found = list.map((n) => engine.get(ctx, n)).filter((a): a is AlarmRecord => a !== undefined);
      await engine.remove(found);
      return {};
    },

    async TagResource(input: Input, ctx) {
      const a = alarmByArn(engine, ctx, input.ResourceARN);
      const tags = Array.isArray(input.Tags) ? (input.Tags as Input[]).map((t) => ({ Key: String(t.Key ?? ''), Value: String(t.Value ?? '') })) : [];
      for (const t of tags) if (!t.Key) throw invalid('A tag key must not be empty.');
      await engine.save(a.arn, (c) => {
        const merged = new Map(c.tags.map((t) => [t.Key, t.Value]));
        for (const t of tags) merged.set(t.Key, t.Value);
        if (merged.size > 50) throw awsError('LimitExceededException', 'The maximum number of tags (50) for the resource would be exceeded.');
        return { ...c, tags: [...merged].map(([Key, Value]) => ({ Key, Value })) };
      });
      return {};
    },

    async UntagResource(input: Input, ctx) {
      const a = alarmByArn(engine, ctx, input.ResourceARN);
      const keys = new Set(Array.isArray(input.TagKeys) ? input.TagKeys.map(String) : []);
      await engine.save(a.arn, (c) => ({ ...c, tags: c.tags.filter((t) => !keys.has(t.Key)) }));
      return {};
    },

    ListTagsForResource(input: Input, ctx) {
      return { Tags: alarmByArn(engine, ctx, input.ResourceARN).tags };
    },
  };
}
