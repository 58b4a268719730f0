/**
 * The shared scalar helpers: every spelling of a timestamp, strict base64, text coercion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID, decodeBase64, formatTimestamp, parseScalarText, parseTimestamp, setOwn, toBuffer, toDate } from './shapes.js';
import { escapeAttr, escapeText } from './xml.js';

const iso = (v: unknown) => parseTimestamp(v)?.toISOString();

test('parseTimestamp: ISO 8601 with and without millis, offsets, date-only', () => {
  assert.equal(iso('2024-01-01T00:00:00Z'), '2024-01-01T00:00:00.000Z');
  assert.equal(iso('2024-01-01T00:00:00.5Z'), '2024-01-01T00:00:00.500Z');
  assert.equal(iso('2024-01-01T00:00:00.123456789Z'), '2024-01-01T00:00:00.123Z');
  assert.equal(iso('2024-01-01T02:00:00+02:00'), '2024-01-01T00:00:00.000Z');
  assert.equal(iso('2024-05-01T10:00:00.123+0000'), '2024-05-01T10:00:00.123Z'); // CloudWatch alarm style
  assert.equal(iso('2023-12-31T19:00:00-05:00'), '2024-01-01T00:00:00.000Z');
  assert.equal(iso('2024-01-01T00:00:00'), '2024-01-01T00:00:00.000Z'); // no zone: UTC
  assert.equal(iso('2024-01-01'), '2024-01-01T00:00:00.000Z');
  assert.equal(iso('2024-02-30T00:00:00Z'), undefined);
  assert.equal(iso('2024-01-01T25:00:00Z'), undefined);
  assert.equal(iso('2024-1-1'), undefined);
});

test('parseTimestamp: epoch seconds (number, numeric string, fractional) and HTTP dates', () => {
  assert.equal(iso(1704067200), '2024-01-01T00:00:00.000Z');
  assert.equal(iso(1704067200.25), '2024-01-01T00:00:00.250Z');
  assert.equal(iso('1704067200.5'), '2024-01-01T00:00:00.500Z');
  assert.equal(iso(0), '1970-01-01T00:00:00.000Z');
  assert.equal(iso('Mon, 01 Jan 2024 00:00:00 GMT'), '2024-01-01T00:00:00.000Z');
  assert.equal(iso('Sun, 06 Nov 1994 08:49:37 GMT'), '1994-11-06T08:49:37.000Z');
  assert.equal(iso(new Date(5000)), '1970-01-01T00:00:05.000Z');
  for (const bad of ['yesterday', '', NaN, Infinity, 1e20, '1e20', {}, null, undefined, true, new Date(NaN)]) assert.equal(parseTimestamp(bad), undefined);
});

test('formatTimestamp / toDate', () => {
  const d = new Date('2024-02-03T04:05:06.789Z');
  assert.equal(formatTimestamp(d, 'iso8601'), '2024-02-03T04:05:06.789Z');
  assert.equal(formatTimestamp(new Date('2024-02-03T04:05:06Z'), 'iso8601'), '2024-02-03T04:05:06.000Z');
  assert.equal(formatTimestamp(d, 'rfc822'), 'Sat, 03 Feb 2024 04:05:06 GMT');
  assert.equal(formatTimestamp(d, 'unixTimestamp'), '1706933106.789');
  assert.equal(toDate(1706933106.789).getTime(), d.getTime());
  assert.equal(toDate('2024-02-03T04:05:06.789Z').getTime(), d.getTime());
  assert.throws(() => toDate('soon'), TypeError);
});

test('decodeBase64 is strict; toBuffer accepts bytes and strings', () => {
  assert.equal(decodeBase64('aGVsbG8=')?.toString(), 'hello');
  assert.equal(decodeBase64('aGVsbG8')?.toString(), 'hello'); // unpadded
  assert.equal(decodeBase64('aGVs\nbG8=')?.toString(), 'hello'); // MIME line break
  assert.deepEqual([...decodeBase64('_-8=')!], [255, 239]); // URL-safe alphabet
  assert.equal(decodeBase64('')?.length, 0);
  assert.equal(decodeBase64('not base64!'), undefined);
  assert.equal(decodeBase64('aGVsbG8=='), undefined);
  assert.equal(decodeBase64('a'), undefined);
  assert.equal(toBuffer('hé').toString('hex'), '68c3a9');
  assert.deepEqual([...toBuffer(new Uint8Array([1, 2]))], [1, 2]);
  assert.throws(() => toBuffer(5), TypeError);
});

test('parseScalarText coerces text per type', () => {
  assert.equal(parseScalarText('integer', '42'), 42);
  assert.equal(parseScalarText('long', '-9007199254740991'), -9007199254740991);
  assert.equal(parseScalarText('integer', '4.2'), INVALID);
  assert.equal(parseScalarText('integer', ''), INVALID);
  assert.equal(parseScalarText('double', '1.5e3'), 1500);
  assert.equal(parseScalarText('double', '.5'), 0.5);
  assert.ok(Number.isNaN(parseScalarText('double', 'NaN') as number));
  assert.equal(parseScalarText('double', '-Infinity'), -Infinity);
  assert.equal(parseScalarText('double', '0x10'), INVALID);
  assert.equal(parseScalarText('boolean', 'true'), true);
  assert.equal(parseScalarText('boolean', 'False'), false);
  assert.equal(parseScalarText('boolean', '1'), INVALID);
  assert.equal((parseScalarText('timestamp', '2024-01-01T00:00:00Z') as Date).getTime(), 1704067200000);
  assert.equal(parseScalarText('timestamp', 'x'), INVALID);
  assert.equal((parseScalarText('blob', 'AAE=') as Buffer).length, 2);
  assert.equal(parseScalarText('string', ' as is '), ' as is ');
});

test('setOwn never changes a prototype', () => {
  const o: Record<string, unknown> = {};
  setOwn(o, '__proto__', { polluted: true });
  assert.equal(Object.getPrototypeOf(o), Object.prototype);
  assert.deepEqual(Object.keys(o), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('XML escaping', () => {
  assert.equal(escapeText('plain'), 'plain');
  assert.equal(escapeText('a<b>&c\r\n"q"'), 'a&lt;b&gt;&amp;c&#xD;\n"q"');
  assert.equal(escapeAttr('a"b\n<'), 'a&quot;b&#xA;&lt;');
});
