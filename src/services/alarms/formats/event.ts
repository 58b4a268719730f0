/**
 * @module services/alarms/formats/event
 * The EventBridge event CloudWatch sends for every alarm state change ("CloudWatch Alarm State
 * Change", source `aws.cloudwatch`), whether or not the alarm has actions or they are enabled.
 *
 * Shape (AWS user guide "Alarm events and EventBridge", samples for single-metric, metric-math,
 * anomaly-detection and composite-with-suppressor alarms):
 * - envelope `time` is second precision with `Z`; the inner timestamps are
 *   `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`;
 * - `detail`: alarmName, state, previousState, configuration; `previousState.reasonData` is
 *   absent when the previous state had none (the initial "Unchecked: Initial alarm creation");
 * - metric alarms: `configuration.metrics` in camelCase with `dimensions` as an object map
 *   (unlike the SNS message's `[{value, name}]` list); a single-metric alarm becomes one
 *   `metricStat` query with a generated id;
 * - composite alarms: `configuration.alarmRule` and the suppressor settings, and
 *   `state.actionsSuppressedBy`/`actionsSuppressedReason` while actions are held back.
 */
import { createHash, randomUUID } from 'node:crypto';
import { alarmKind, type AlarmSnapshot, type Dimension, type MetricQuery, type StateChange } from './types.js';
import { cwTimestamp, eventTime } from './wire.js';

export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

export interface AlarmEventState {
  actionsSuppressedBy?: string;
  actionsSuppressedReason?: string;
  value: string;
  reason?: string;
  reasonData?: string;
  timestamp?: string;
}

export interface AlarmStateChangeEvent {
  version: '0';
  id: string;
  'detail-type': typeof ALARM_STATE_CHANGE;
  source: 'aws.cloudwatch';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    alarmName: string;
    state: AlarmEventState;
    previousState: AlarmEventState;
    configuration: Record<string, unknown>;
  };
}

export interface EventOptions {
  /** the event id; a random UUID by default (tests pin it) */
  id?: string;
}

const dimensionMap = (dims: Dimension[] | undefined): Record<string, string> =>
  Object.fromEntries((dims ?? []).map((d) => [d.name, d.value]));

/**
 * The id AWS gives the one synthetic query of a single-metric alarm looks like a UUID
 * (`30b6c6b2-a864-43a2-4877-c09a1afc3b87`). Deriving it from the ARN keeps it stable across
 * the alarm's events, so consumers can correlate them.
 */
export function syntheticQueryId(arn: string): string {
  const h = createHash('sha256').update(arn).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function eventQuery(q: MetricQuery): Record<string, unknown> {
  const ms = q.metricStat;
  return {
    expression: q.expression,
    id: q.id,
    label: q.label,
    metricStat: ms && {
      metric: { dimensions: dimensionMap(ms.metric.dimensions), name: ms.metric.metricName, namespace: ms.metric.namespace },
      period: ms.period,
      stat: ms.stat,
      unit: ms.unit,
    },
    period: q.period,
    returnData: q.returnData ?? true,
    accountId: q.accountId,
  };
}

function configuration(a: AlarmSnapshot): Record<string, unknown> {
  const description = a.description ?? undefined;
  switch (alarmKind(a)) {
    case 'composite':
      return {
        alarmRule: a.alarmRule,
        description,
        actionsSuppressor: a.actionsSuppressor,
        actionsSuppressorWaitPeriod: a.actionsSuppressor === undefined ? undefined : a.actionsSuppressorWaitPeriod,
        actionsSuppressorExtensionPeriod: a.actionsSuppressor === undefined ? undefined : a.actionsSuppressorExtensionPeriod,
      };
    case 'math':
      return { description, metrics: (a.metrics ?? []).map(eventQuery) };
    case 'metric':
      return {
        description,
        metrics: [{
          id: syntheticQueryId(a.arn),
          metricStat: {
            metric: { dimensions: dimensionMap(a.dimensions), name: a.metricName, namespace: a.namespace },
            period: a.period,
            stat: a.statistic ?? a.extendedStatistic,
            unit: a.unit,
          },
          returnData: true,
        }],
      };
  }
}

/** Drops undefined members, so the event is the same object a JSON round trip would give. */
function compact<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The "CloudWatch Alarm State Change" event, as the object EventBridge delivers. */
export function alarmStateChangeEvent(a: AlarmSnapshot, c: StateChange, opts: EventOptions = {}): AlarmStateChangeEvent {
  return compact({
    version: '0',
    id: opts.id ?? randomUUID(),
    'detail-type': ALARM_STATE_CHANGE,
    source: 'aws.cloudwatch',
    account: a.accountId,
    time: eventTime(c.timestamp),
    region: a.region,
    resources: [a.arn],
    detail: {
      alarmName: a.name,
      state: {
        actionsSuppressedBy: c.actionsSuppressedBy,
        actionsSuppressedReason: c.actionsSuppressedBy === undefined ? undefined : c.actionsSuppressedReason,
        value: c.newValue,
        reason: c.reason,
        reasonData: c.reasonData,
        timestamp: cwTimestamp(c.timestamp),
      },
      previousState: {
        value: c.oldValue,
        reason: c.oldReason,
        reasonData: c.oldReasonData,
        timestamp: c.oldTimestamp && cwTimestamp(c.oldTimestamp),
      },
      configuration: configuration(a),
    },
  });
}
