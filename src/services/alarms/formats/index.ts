/**
 * @module services/alarms/formats
 * What an alarm state change produces on the wire: the SNS notification (subject and JSON
 * message) and the EventBridge "CloudWatch Alarm State Change" event.
 */
export { alarmSnsMessage, alarmSnsSubject, triggeringChildren, SUBJECT_MAX } from './sns.js';
export { alarmStateChangeEvent, syntheticQueryId, ALARM_STATE_CHANGE, type AlarmStateChangeEvent, type EventOptions } from './event.js';
export { alarmKind, type AlarmKind, type AlarmSnapshot, type Dimension, type MetricQuery, type StateChange, type StateValue } from './types.js';
export { cwTimestamp, eventTime, humanTime, javaDouble, regionDisplayName, REGION_NAMES } from './wire.js';
