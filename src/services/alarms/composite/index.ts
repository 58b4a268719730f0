/**
 * @module services/alarms/composite
 * Composite alarms as pure functions: the AlarmRule language, its evaluation over the
 * children's states, the reason CloudWatch records, and cycle detection.
 */
export { parseAlarmRule, ALARM_RULE_MAX_ELEMENTS, ALARM_RULE_MAX_LENGTH, type AlarmState, type RuleExpr } from './rule.js';
export { compositeState, decidingRefs, evaluateRule, findCycles, refToAlarmName, ruleAlarmRefs, type AlarmGraph, type StateOf } from './evaluate.js';
export { compositeReason, type ChildAlarmState, type CompositeReason, type CompositeReasonInput } from './reason.js';
