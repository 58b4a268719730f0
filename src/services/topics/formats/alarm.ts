/**
 * @module services/topics/formats/alarm
 * Recognises the message CloudWatch publishes to a topic when an alarm changes state, and turns
 * it into a neutral summary that the Slack, Teams, Discord and e-mail renderers share, so that
 * the three chat cards say the same things in the same words.
 *
 * Input shape (see docs: the SNS message of a metric alarm): AlarmName, NewStateValue,
 * NewStateReason, StateChangeTime (`2024-05-01T10:05:40.989+0000`), Region (long name),
 * AlarmArn, OldStateValue, Trigger {MetricName, Namespace, Statistic | ExtendedStatistic,
 * Dimensions [{name, value}], Period, EvaluationPeriods, ComparisonOperator, Threshold, Unit};
 * metric-math alarms have Trigger.Metrics, composite alarms AlarmRule.
 */

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

export interface AlarmSummary {
  name: string;
  description?: string;
  state: string;
  previousState?: string;
  reason: string;
  /** ISO 8601 (Z), when the message carried a readable time */
  time?: string;
  /** the long region name as CloudWatch writes it ("US East (N. Virginia)") */
  region?: string;
  accountId?: string;
  arn?: string;
  /** "MyApp / CPUUtilization" or "metric math (3 metrics)" */
  metric?: string;
  /** "InstanceId=i-123, AutoScalingGroupName=web" */
  dimensions?: string;
  /** "Average > 80 for 2 periods of 5 minutes" */
  condition?: string;
  /** composite alarms */
  rule?: string;
}

/** Colours per state, one vocabulary per service (red / green / grey). */
export const STATE_COLOURS: Record<AlarmState, { hex: string; int: number; teams: 'Attention' | 'Good' | 'Default'; container: 'attention' | 'good' | 'emphasis' }> = {
  ALARM: { hex: '#E01E5A', int: 0xe01e5a, teams: 'Attention', container: 'attention' },
  OK: { hex: '#2EB67D', int: 0x2eb67d, teams: 'Good', container: 'good' },
  INSUFFICIENT_DATA: { hex: '#9E9E9E', int: 0x9e9e9e, teams: 'Default', container: 'emphasis' },
};

export function stateColour(state: string): (typeof STATE_COLOURS)[AlarmState] {
  return STATE_COLOURS[state as AlarmState] ?? STATE_COLOURS.INSUFFICIENT_DATA;
}

const OPERATORS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  LessThanLowerThreshold: 'below the band',
  GreaterThanUpperThreshold: 'above the band',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `2024-05-01T10:05:40.989+0000` (CloudWatch) → `2024-05-01T10:05:40.989Z`; undefined if unreadable. */
export function alarmTime(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const d = new Date(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** "AVERAGE" → "Average", "SAMPLE_COUNT" → "SampleCount" (CloudWatch's own spelling). */
function statisticName(s: string): string {
  return s.toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function describeTrigger(t: Obj, out: AlarmSummary): void {
  if (Array.isArray(t.Metrics)) {
    out.metric = `metric math (${t.Metrics.length} ${t.Metrics.length === 1 ? 'metric' : 'metrics'})`;
  } else if (str(t.MetricName)) {
    out.metric = str(t.Namespace) ? `${t.Namespace as string} / ${t.MetricName as string}` : (t.MetricName as string);
  }
  if (Array.isArray(t.Dimensions) && t.Dimensions.length > 0) {
    out.dimensions = t.Dimensions.filter(isObj)
      .map((d) => `${String(d.name ?? d.Name)}=${String(d.value ?? d.Value)}`)
      .join(', ');
  }
  const op = str(t.ComparisonOperator);
  if (!op) return;
  const stat = str(t.ExtendedStatistic) ?? (str(t.Statistic) ? statisticName(t.Statistic as string) : undefined);
  const threshold = typeof t.Threshold === 'number' ? String(t.Threshold) : str(t.ThresholdMetricId) ?? '?';
  let condition = `${stat ? stat + ' ' : ''}${OPERATORS[op] ?? op} ${threshold}`;
  const periods = typeof t.EvaluationPeriods === 'number' ? t.EvaluationPeriods : undefined;
  const period = typeof t.Period === 'number' ? t.Period : undefined;
  if (periods !== undefined && period !== undefined) {
    condition += ` for ${periods} ${periods === 1 ? 'period' : 'periods'} of ${duration(period)}`;
  }
  out.condition = condition;
}

/** The alarm in `message`, or undefined when the message is anything else. */
export function parseAlarmMessage(message: string): AlarmSummary | undefined {
  // cheap checks first: most messages are not JSON objects at all
  if (!message.startsWith('{') || !message.includes('"AlarmName"')) return undefined;
  let m: unknown;
  try {
    m = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!isObj(m) || !str(m.AlarmName) || !str(m.NewStateValue)) return undefined;
  if (!isObj(m.Trigger) && typeof m.NewStateReason !== 'string' && !str(m.AlarmRule)) return undefined;
  const out: AlarmSummary = {
    name: m.AlarmName as string,
    state: m.NewStateValue as string,
    reason: typeof m.NewStateReason === 'string' ? m.NewStateReason : '',
    description: str(m.AlarmDescription),
    previousState: str(m.OldStateValue),
    time: alarmTime(m.StateChangeTime),
    region: str(m.Region),
    accountId: str(m.AWSAccountId),
    arn: str(m.AlarmArn),
    rule: str(m.AlarmRule),
  };
  if (isObj(m.Trigger)) describeTrigger(m.Trigger, out);
  return out;
}

/** The line CloudWatch uses as the SNS subject: `ALARM: "HighCPU" in US East (N. Virginia)`. */
export function alarmHeadline(a: AlarmSummary): string {
  return `${a.state}: "${a.name}"${a.region ? ` in ${a.region}` : ''}`;
}

/** "ALARM (was OK)" */
export function stateLine(a: AlarmSummary): string {
  return a.previousState ? `${a.state} (was ${a.previousState})` : a.state;
}

/** Name/value pairs in display order, for fact lists and embed fields. Empty values left out. */
export function alarmFacts(a: AlarmSummary): Array<[string, string]> {
  const facts: Array<[string, string | undefined]> = [
    ['State', stateLine(a)],
    ['Alarm', a.name],
    ['Metric', a.metric],
    ['Dimensions', a.dimensions],
    ['Condition', a.condition],
    ['Rule', a.rule],
    ['Time', a.time ? a.time.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : undefined],
    ['Region', a.region],
    ['Account', a.accountId],
  ];
  return facts.filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '');
}

/** Cuts `s` to at most `max` characters, marking the cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return s.slice(0, Math.max(0, max - 1)) + '…';
}
