/**
 * @module services/alarms/evaluation/format
 * Numbers and dates the way CloudWatch prints them in StateReason and StateReasonData.
 *
 * CloudWatch is a Java service: its reasons print doubles with `Double.toString` and its JSON
 * (Jackson) does the same, so a threshold of 1 reads `1.0`, a Sum of 6 reads `6.0`, and large or
 * tiny values switch to `1.0E7` / `1.5E-5`. Observed examples: `[99.50160229693434 (02/10/19
 * 16:59:00)]`, `"threshold":50.0`, `"sampleCount":1.0`. Dates in reasons are `dd/MM/yy HH:mm:ss`
 * (UTC); dates in reasonData are `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`.
 */
import type { EvaluatedDatapoint, ReasonData } from './types.js';

/**
 * Java's `Double.toString`: plain decimal with at least one fraction digit for 1e-3 <= |x| < 1e7,
 * computerised scientific notation otherwise. Digits are JavaScript's shortest round-trip ones,
 * which is what Java prints since JDK 19 (and for all but rare values before).
 */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    // JavaScript only switches to exponents below 1e-6, so this range always prints plainly.
    const plain = String(x);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e');
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${Number(exponent)}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `22/11/26 10:00:00` for a period start in epoch seconds (UTC). */
export function reasonDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2026-11-22T10:01:02.345+0000` for epoch milliseconds. */
export function cloudWatchTimestamp(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace('Z', '+0000');
}

function renderDatapoint(p: EvaluatedDatapoint): string {
  const parts = [`"timestamp":${JSON.stringify(p.timestamp)}`];
  if (p.sampleCount !== undefined) parts.push(`"sampleCount":${javaDouble(p.sampleCount)}`);
  if (p.value !== undefined) parts.push(`"value":${javaDouble(p.value)}`);
  return `{${parts.join(',')}}`;
}

/**
 * StateReasonData as CloudWatch serialises it: fixed key order, optional keys left out rather
 * than null, `period` an integer and every other number a Java double.
 */
export function renderReasonData(data: ReasonData): string {
  const parts = [
    `"version":${JSON.stringify(data.version)}`,
    `"queryDate":${JSON.stringify(data.queryDate)}`,
  ];
  if (data.startDate !== undefined) parts.push(`"startDate":${JSON.stringify(data.startDate)}`);
  if (data.unit !== undefined) parts.push(`"unit":${JSON.stringify(data.unit)}`);
  parts.push(
    `"statistic":${JSON.stringify(data.statistic)}`,
    `"period":${Math.trunc(data.period)}`,
    `"recentDatapoints":[${data.recentDatapoints.map(javaDouble).join(',')}]`,
    `"threshold":${javaDouble(data.threshold)}`,
    `"evaluatedDatapoints":[${data.evaluatedDatapoints.map(renderDatapoint).join(',')}]`,
  );
  return `{${parts.join(',')}}`;
}
