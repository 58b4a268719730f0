/**
 * @module services/alarms/formats/wire
 * The small spellings CloudWatch uses in everything an alarm sends: its timestamps, Java's
 * rendering of doubles, and the long region names.
 *
 * CloudWatch is a Java service and its payloads show it: thresholds print as Java's
 * `Double.toString` (`50.0`, `1.0E7`), timestamps as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`, and the
 * human-readable time in composite reasons as `Friday 22 July, 2022 15:57:45 UTC`. A plain
 * `JSON.stringify` would print `50`, so the messages are written with {@link writeJson}, which
 * lets a number be given as pre-rendered text ({@link RawJson}).
 */

/** `2024-05-01T10:05:40.989+0000`: the spelling of every timestamp inside alarm payloads. */
export function cwTimestamp(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** `2019-10-02T17:04:40Z`: EventBridge envelope time, truncated (not rounded) to the second. */
export function eventTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `Wednesday 10 November, 2021 02:45:55 UTC` (captured composite reasons; the day is zero-padded). */
export function humanTime(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** Java's `Double.toString`, shared with the reasons the evaluation writes. */
export { javaDouble } from '../evaluation/format.js';

/** A value that {@link writeJson} copies into the output as it is (already valid JSON). */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * Compact JSON like `JSON.stringify`, keeping key order, dropping `undefined` members and
 * writing {@link RawJson} verbatim. Non-ASCII characters stay unescaped, as in captured
 * CloudWatch messages.
 */
export function writeJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => writeJson(v === undefined ? null : v)).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(cwTimestamp(value));
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${writeJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The long names CloudWatch writes in `Region` and in the SNS subject. CloudWatch kept the old
 * "EU (…)" spelling for European regions (captured: `EU (Ireland)`, `EU (Frankfurt)`,
 * `EU (London)`), where the console now says "Europe (…)"; newer EU regions follow the same
 * pattern (inferred).
 */
export const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-east-2': 'Asia Pacific (Taipei)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-south-2': 'Asia Pacific (Hyderabad)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-southeast-3': 'Asia Pacific (Jakarta)',
  'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ap-southeast-5': 'Asia Pacific (Malaysia)',
  'ap-southeast-6': 'Asia Pacific (New Zealand)',
  'ap-southeast-7': 'Asia Pacific (Thailand)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ca-central-1': 'Canada (Central)',
  'ca-west-1': 'Canada West (Calgary)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-central-2': 'EU (Zurich)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-south-1': 'EU (Milan)',
  'eu-south-2': 'EU (Spain)',
  'eu-north-1': 'EU (Stockholm)',
  'il-central-1': 'Israel (Tel Aviv)',
  'me-south-1': 'Middle East (Bahrain)',
  'me-central-1': 'Middle East (UAE)',
  'mx-central-1': 'Mexico (Central)',
  'sa-east-1': 'South America (Sao Paulo)',
  // not commercial, but cheap to know
  'us-gov-west-1': 'AWS GovCloud (US-West)',
  'us-gov-east-1': 'AWS GovCloud (US-East)',
  'cn-north-1': 'China (Beijing)',
  'cn-northwest-1': 'China (Ningxia)',
};

/** The long name, or the code itself for a region this table does not know (a local one). */
export function regionDisplayName(region: string): string {
  return REGION_NAMES[region] ?? region;
}
