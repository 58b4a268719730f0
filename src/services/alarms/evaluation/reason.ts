/**
 * @module services/alarms/evaluation/reason
 * StateReason and StateReasonData for an evaluation, worded as CloudWatch words them.
 *
 * Every template below was matched against StateReason strings CloudWatch actually wrote, as
 * found in alarm notifications, EventBridge events and describe-alarms output quoted in public
 * repositories:
 * - `Threshold Crossed: 3 out of the last 3 datapoints [1141.0 (09/10/20 21:24:00), 1226.0
 *   (09/10/20 21:19:00), 1390.0 (09/10/20 21:14:00)] were greater than or equal to the threshold
 *   (30.0) (minimum 3 datapoints for OK -> ALARM transition).` — datapoints newest first, "was"
 *   or "were" agreeing with the count, "datapoints" after "the last N" whatever N.
 * - `... 1 out of the last 50 datapoints [48.0 (04/12/24 00:34:00)] was not greater than the
 *   threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).` — the OK direction lists
 *   the non-breaching datapoints and needs N-M+1 of them.
 * - `... 1 out of the last 20 datapoints [613.0 (16/03/24 12:15:00)] was greater than or equal to
 *   the threshold (1.0) and 19 missing datapoints were treated as [NonBreaching] (minimum 1
 *   datapoint for OK -> ALARM transition).` — filled periods get their own clause.
 * - `Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were
 *   treated as [Breaching].` — nothing real at all; no "minimum" clause even with
 *   DatapointsToAlarm set.
 * - `Threshold Crossed: 1 datapoint [0.0 (19/03/24 17:14:00)] was not greater than or equal to
 *   the threshold (1.0).` — alarms created without DatapointsToAlarm keep this older wording in
 *   both directions (the same notification's Trigger has no DatapointsToAlarm).
 * - `Insufficient Data: 1 datapoint was unknown.` / `... 5 datapoints were unknown.` with N
 *   timestamp-only evaluatedDatapoints, newest first, and no startDate.
 * The transition label is "OK -> ALARM" for every move into ALARM and "ALARM -> OK" for every
 * move into OK, including from INSUFFICIENT_DATA (as in AWS's own alarm notification samples).
 *
 * reasonData: `recentDatapoints` holds the evaluated real values oldest first and `startDate`
 * the oldest of them; `evaluatedDatapoints` holds, newest first, the datapoints that decided the
 * state — M breaching ones for ALARM, N-M+1 non-breaching ones for OK — which is what every
 * sample shows (two entries for a 2-of-2 ALARM, one for a 2-of-2 OK, N for INSUFFICIENT_DATA).
 * Not observed, so inferred: a 0-count list ("0 out of the last 3 datapoints were ...", no
 * brackets) when only filled periods breach; `statistic` carrying a percentile label as given.
 */
import { operatorPhrase } from './compare.js';
import { cloudWatchTimestamp, javaDouble, reasonDate } from './format.js';
import type { EvaluatedPoint, Verdict } from './range.js';
import type { AlarmEvaluationConfig, EvaluatedDatapoint, ReasonData } from './types.js';

const noun = (n: number): string => (n === 1 ? 'datapoint' : 'datapoints');
const verb = (n: number): string => (n === 1 ? 'was' : 'were');
const newestFirst = (points: EvaluatedPoint[]): EvaluatedPoint[] =>
  [...points].sort((a, b) => b.timestamp - a.timestamp);

function supporting(points: EvaluatedPoint[], state: 'OK' | 'ALARM'): EvaluatedPoint[] {
  const breaching = state === 'ALARM';
  return newestFirst(points).filter((p) => p.breaching === breaching);
}

/** How many supporting datapoints the transition needs: M into ALARM, N-M+1 into OK. */
function required(config: AlarmEvaluationConfig, state: 'OK' | 'ALARM'): number {
  const n = config.evaluationPeriods;
  const m = config.datapointsToAlarm ?? n;
  return state === 'ALARM' ? m : n - m + 1;
}

/** The StateReason for a verdict that sets a state (not for 'retain'). */
export function buildReason(config: AlarmEvaluationConfig, verdict: Exclude<Verdict, { kind: 'retain' }>): string {
  if (verdict.kind === 'insufficient') {
    return `Insufficient Data: ${verdict.unknown} ${noun(verdict.unknown)} ${verb(verdict.unknown)} unknown.`;
  }
  const { state, points, filled, fillAs } = verdict;
  const n = config.evaluationPeriods;
  const fillClause = filled > 0 && fillAs
    ? ` and ${filled} missing ${noun(filled)} ${verb(filled)} treated as [${fillAs === 'breaching' ? 'Breaching' : 'NonBreaching'}]`
    : '';
  if (!points.some((p) => p.real) && fillClause) {
    return `Threshold Crossed: no datapoints were received for ${n} ${n === 1 ? 'period' : 'periods'}${fillClause}.`;
  }

  const listed = supporting(points, state).filter((p) => p.real);
  const k = listed.length;
  const list = k > 0
    ? ` [${listed.map((p) => `${javaDouble(p.value as number)} (${reasonDate(p.timestamp)})`).join(', ')}]`
    : '';
  const comparison = `${state === 'OK' ? 'not ' : ''}${operatorPhrase(config.comparisonOperator)}`;
  const threshold = `the threshold (${javaDouble(config.threshold)})`;

  if (config.datapointsToAlarm === undefined) {
    return `Threshold Crossed: ${k} ${noun(k)}${list} ${verb(k)} ${comparison} ${threshold}${fillClause}.`;
  }
  const need = required(config, state);
  const transition = state === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK';
  return `Threshold Crossed: ${k} out of the last ${n} datapoints${list} ${verb(k)} ${comparison} ${threshold}`
    + `${fillClause} (minimum ${need} ${noun(need)} for ${transition} transition).`;
}

function entry(p: EvaluatedPoint): EvaluatedDatapoint {
  const timestamp = cloudWatchTimestamp(p.timestamp * 1000);
  if (!p.real) return { timestamp };
  return {
    timestamp,
    ...(p.sampleCount !== undefined ? { sampleCount: p.sampleCount } : {}),
    value: p.value as number,
  };
}

/** The StateReasonData object for a verdict, queried at `nowMillis`. */
export function buildReasonData(config: AlarmEvaluationConfig, verdict: Verdict, nowMillis: number): ReasonData {
  const real = verdict.points.filter((p) => p.real);
  const decisive = verdict.kind === 'state'
    ? supporting(verdict.points, verdict.state).slice(0, required(config, verdict.state))
    : newestFirst(verdict.points);
  return {
    version: '1.0',
    queryDate: cloudWatchTimestamp(nowMillis),
    ...(real.length > 0 ? { startDate: cloudWatchTimestamp(real[0].timestamp * 1000) } : {}),
    ...(config.unit !== undefined ? { unit: config.unit } : {}),
    statistic: config.statistic,
    period: config.period,
    recentDatapoints: real.map((p) => p.value as number),
    threshold: config.threshold,
    evaluatedDatapoints: decisive.map(entry),
  };
}
