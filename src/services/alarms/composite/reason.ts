/**
 * @module services/alarms/composite/reason
 * StateReason and StateReasonData of a composite alarm's transition.
 *
 * Captured from AWS (SNS messages, EventBridge events, DescribeAlarms):
 * - reason `arn:aws:cloudwatch:us-east-1:123456789012:alarm:child transitioned to ALARM at
 *   Wednesday 10 November, 2021 02:45:55 UTC`, naming the child whose change moved the
 *   composite, its state and the time of that change;
 * - on creation, `arn:…:alarm:<composite> was created and its alarm rule evaluates to OK`;
 * - reasonData `{"triggeringAlarms":[{"arn":…,"state":{"value":"OK","timestamp":"2023-06-22T14:26:01.928+0000"}},…]}`,
 *   listing the children that decide the result, most recent change first (both captures with
 *   two children list the later one first), and no `version` member, unlike metric alarms.
 */
import { cwTimestamp, humanTime } from '../formats/wire.js';
import { decidingRefs, type StateOf } from './evaluate.js';
import type { AlarmState, RuleExpr } from './rule.js';

export interface ChildAlarmState {
  arn: string;
  state: AlarmState;
  /** when the child last changed state */
  timestamp: Date;
}

export interface CompositeReasonInput {
  /** the composite itself */
  compositeArn: string;
  rule: RuleExpr;
  /** the state the composite is moving to */
  newState: AlarmState;
  /** the rule's references (names or ARNs) resolved to the children's current states */
  childOf: (nameOrArn: string) => ChildAlarmState | undefined;
  /**
   * `child` when a child's change is being propagated (the default), `created` or `updated`
   * when PutCompositeAlarm made the rule evaluate to a new state. The `updated` wording is
   * inferred from the `created` one.
   */
  cause?: 'child' | 'created' | 'updated';
  /** the child whose change triggered the evaluation; otherwise the most recent decider is named */
  triggeredBy?: string;
}

export interface CompositeReason {
  reason: string;
  /** StateReasonData, as stored and sent */
  reasonData: string;
  triggering: ChildAlarmState[];
}

export function compositeReason(input: CompositeReasonInput): CompositeReason {
  const stateOf: StateOf = (ref) => input.childOf(ref)?.state;
  const byArn = new Map<string, ChildAlarmState>();
  for (const ref of decidingRefs(input.rule, stateOf)) {
    const child = input.childOf(ref);
    if (child) byArn.set(child.arn, child); // a name and its ARN are one child
  }
  const triggering = [...byArn.values()].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  const reasonData = JSON.stringify({
    triggeringAlarms: triggering.map((c) => ({ arn: c.arn, state: { value: c.state, timestamp: cwTimestamp(c.timestamp) } })),
  });

  const cause = input.cause ?? 'child';
  const trigger = (input.triggeredBy !== undefined ? input.childOf(input.triggeredBy) : undefined) ?? triggering[0];
  const reason = cause !== 'child' || !trigger
    ? `${input.compositeArn} was ${cause === 'updated' ? 'updated' : 'created'} and its alarm rule evaluates to ${input.newState}`
    : `${trigger.arn} transitioned to ${trigger.state} at ${humanTime(trigger.timestamp)}`;
  return { reason, reasonData, triggering };
}
