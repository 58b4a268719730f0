/**
 * @module services/alarms/actions
 * What one state change commits besides the new state: the history items, the jobs that run the
 * alarm's actions (an SNS topic gets CloudWatch's alarm message and subject; a function gets the
 * alarm event Lambda receives), and the `CloudWatch Alarm State Change` event for the default
 * event bus. All of it goes through the delivery engine as `target` jobs, committed with the
 * state, so nothing is lost if the process dies right after the change — and an event bus that
 * does not exist yet receives its events once it does (the `cloudwatch` retry policy keeps
 * trying for a day).
 */
import type { NewJob, RetryPolicy } from '../../core/deliveries/types.js';
import type { TargetPayload } from '../../core/deliveries/senders.js';
import { alarmSnsMessage, alarmSnsSubject, alarmStateChangeEvent, type StateChange } from './formats/index.js';
import { snapshot, type AlarmRecord, type HistoryItem } from './model.js';

const SOURCE = 'cloudwatch';
const SERVICE_PRINCIPAL = 'cloudwatch.amazonaws.com';

/** Like EventBridge's own target retries: a day, exponential with jitter. */
export const CLOUDWATCH_RETRY: RetryPolicy = {
  maxAttempts: 185,
  baseDelayMs: 1000,
  maxDelayMs: 10 * 60 * 1000,
  backoff: 'exponential',
  jitter: 0.5,
  maxAgeMs: 24 * 3600 * 1000,
};

/** The kind of an action job held for a composite's ActionsSuppressorWaitPeriod. */
export const HELD_ACTION_KIND = 'cloudwatch.held-action';

/** A held action: sent when the wait is over unless the suppressor went into ALARM since `since`. */
export interface HeldAction extends TargetPayload {
  suppressorArn: string;
  /** epoch ms: the composite's change */
  since: number;
}

/** Actions of a composite whose suppressor may still go into ALARM: held this long, then checked. */
export interface Hold {
  suppressorArn: string;
  delayMs: number;
}

function targetJob(alarm: AlarmRecord, arn: string, message: TargetPayload['message'], hold?: Hold, since?: number): NewJob {
  if (hold) {
    const payload: HeldAction = { arn, message, suppressorArn: hold.suppressorArn, since: since ?? 0 };
    return { kind: HELD_ACTION_KIND, source: SOURCE, target: arn, ref: alarm.arn, payload, delayMs: hold.delayMs };
  }
  const payload: TargetPayload = { arn, message };
  return { kind: 'target', source: SOURCE, target: arn, ref: alarm.arn, payload };
}

function actionsFor(alarm: AlarmRecord, state: string): string[] {
  const c = alarm.config;
  return state === 'ALARM' ? c.AlarmActions : state === 'OK' ? c.OKActions : c.InsufficientDataActions;
}

export interface ChangeEffects {
  jobs: NewJob[];
  history: HistoryItem[];
}

/**
 * The history, action jobs and event of `alarm` (already in its new state) changing by `change`.
 * `suppressed`: the actions do not run; `hold`: they wait for the suppressor's wait period.
 */
export function changeEffects(alarm: AlarmRecord, change: StateChange, suppressed: boolean, hold?: Hold): ChangeEffects {
  const snap = snapshot(alarm);
  const at = change.timestamp.getTime();
  const base = { accountId: alarm.accountId, region: alarm.region, alarmName: alarm.name, alarmType: alarm.kind, timestamp: at };
  const history: HistoryItem[] = [{
    ...base,
    itemType: 'StateUpdate',
    summary: `Alarm updated from ${change.oldValue} to ${change.newValue}`,
    data: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: change.oldValue, stateReason: change.oldReason ?? '', ...(change.oldReasonData ? { stateReasonData: JSON.parse(change.oldReasonData) } : {}) },
      newState: { stateValue: change.newValue, stateReason: change.reason, ...(change.reasonData ? { stateReasonData: JSON.parse(change.reasonData) } : {}) },
    }),
  }];
  const jobs: NewJob[] = [];
  const event = alarmStateChangeEvent(snap, change);
  if (alarm.config.ActionsEnabled && !suppressed) {
    for (const arn of actionsFor(alarm, change.newValue)) {
      if (arn.split(':')[2] === 'sns') {
        jobs.push(targetJob(alarm, arn, {
          body: alarmSnsMessage(snap, change),
          subject: alarmSnsSubject(alarm.name, change.newValue, alarm.region),
          sourceArn: alarm.arn,
          sourceService: SERVICE_PRINCIPAL,
        }, hold, at));
      } else {
        // the event Lambda hands a function invoked by an alarm: the state-change detail
        const e = event as unknown as { time: string; detail: Record<string, unknown> };
        const body = JSON.stringify({ source: 'aws.cloudwatch', alarmArn: alarm.arn, accountId: alarm.accountId, time: e.time, region: alarm.region, alarmData: e.detail });
        jobs.push(targetJob(alarm, arn, { body, sourceArn: alarm.arn, sourceService: SERVICE_PRINCIPAL }, hold, at));
      }
      history.push({
        ...base,
        itemType: 'Action',
        summary: `Successfully executed action ${arn}`,
        data: JSON.stringify({ actionState: 'Succeeded', stateUpdateTimestamp: at, notificationResource: arn }),
      });
    }
  }
  // state-change events go to the default bus whatever ActionsEnabled says, as in AWS
  jobs.push(targetJob(alarm, `arn:aws:events:${alarm.region}:${alarm.accountId}:event-bus/default`, {
    body: JSON.stringify(event),
    sourceArn: alarm.arn,
    sourceService: 'monitoring.amazonaws.com',
  }));
  return { jobs, history };
}

export function configurationItem(alarm: AlarmRecord, kind: 'Create' | 'Update' | 'Delete', at: number): HistoryItem {
  const verb = kind === 'Create' ? 'created' : kind === 'Update' ? 'updated' : 'deleted';
  const key = kind === 'Create' ? 'createdAlarm' : kind === 'Update' ? 'updatedAlarm' : 'deletedAlarm';
  return {
    accountId: alarm.accountId,
    region: alarm.region,
    alarmName: alarm.name,
    alarmType: alarm.kind,
    timestamp: at,
    itemType: 'ConfigurationUpdate',
    summary: `Alarm "${alarm.name}" ${verb}`,
    data: JSON.stringify({ version: '1.0', type: kind, [key]: { ...alarm.config, alarmArn: alarm.arn } }),
  };
}
