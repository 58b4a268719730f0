/**
 * @module services/events/schedule
 * Schedule expressions of EventBridge rules: `rate(value unit)` and the six-field
 * `cron(minutes hours day-of-month month day-of-week year)`, in UTC.
 *
 * rate: a positive whole number and minute(s) / hour(s) / day(s), singular exactly when the value
 * is 1. A rate rule fires one period after it was created (or enabled), then every period.
 * cron: `,` `-` `*` `/` in every field; `?` in one of day-of-month and day-of-week (exactly one of
 * them); `L` and `W` in day-of-month (`L`, `15W`, `LW`); `L` and `#` in day-of-week (`6L` the last
 * Friday, `2#1` the first Monday); months `JAN`–`DEC`, days `SUN`–`SAT` (1 = Sunday); years
 * 1970–2199. A schedule that never fires again answers null.
 */

export type Schedule = { kind: 'rate'; periodMs: number } | { kind: 'cron'; cron: Cron };

interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number>;
  /** day-of-month test, or null when it is `?` */
  dom: ((y: number, m: number, d: number) => boolean) | null;
  /** day-of-week test, or null when it is `?` */
  dow: ((y: number, m: number, d: number) => boolean) | null;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

class BadSchedule extends Error {}

/** The parsed schedule, or null when the expression is not valid. */
export function parseSchedule(expr: string): Schedule | null {
  try {
    const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
    if (rate) {
      const n = Number(rate[1]);
      const unit = rate[2];
      if (n < 1 || (n === 1) !== !unit.endsWith('s')) return null;
      return { kind: 'rate', periodMs: n * UNIT_MS[unit.replace(/s$/, '')] };
    }
    const cron = /^cron\((.*)\)$/.exec(expr);
    if (!cron) return null;
    return { kind: 'cron', cron: parseCron(cron[1]) };
  } catch (e) {
    if (e instanceof BadSchedule) return null;
    throw e;
  }
}

function parseCron(body: string): Cron {
  const f = body.trim().split(/\s+/);
  if (f.length !== 6) throw new BadSchedule();
  const [min, hour, dom, month, dow, year] = f;
  if ((dom === '?') === (dow === '?')) throw new BadSchedule();
  return {
    minutes: values(min, 0, 59),
    hours: values(hour, 0, 23),
    months: values(month, 1, 12, MONTHS),
    years: values(year, 1970, 2199),
    dom: dom === '?' ? null : dayOfMonth(dom),
    dow: dow === '?' ? null : dayOfWeek(dow),
  };
}

function num(s: string, lo: number, hi: number, names?: string[]): number {
  const named = names ? names.indexOf(s.toUpperCase()) : -1;
  const v = named >= 0 ? named + lo : /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(v) || v < lo || v > hi) throw new BadSchedule();
  return v;
}

/** `*`, `a`, `a-b`, `a/b`, `*\/b`, `a-b/c`, comma lists of those. */
function values(field: string, lo: number, hi: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : num(stepText, 1, hi - lo + 1);
    let a: number;
    let b: number;
    if (range === '*') { a = lo; b = hi; }
    else if (range.includes('-')) {
      const [x, y] = range.split('-');
      a = num(x, lo, hi, names); b = num(y, lo, hi, names);
    } else {
      a = num(range, lo, hi, names);
      b = stepText === undefined ? a : hi;
    }
    if (a <= b) for (let v = a; v <= b; v += step) out.add(v);
    else {
      // a wrapping range (FRI-MON, 22-2)
      for (let v = a; v <= hi; v += step) out.add(v);
      for (let v = lo; v <= b; v += step) out.add(v);
    }
  }
  if (out.size === 0) throw new BadSchedule();
  return out;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

function dayOfMonth(field: string): Cron['dom'] {
  if (field === 'L') return (y, m, d) => d === daysIn(y, m);
  if (field === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  const w = /^(\d+)W$/.exec(field);
  if (w) {
    const target = num(w[1], 1, 31);
    return (y, m, d) => d === nearestWeekday(y, m, Math.min(target, daysIn(y, m)));
  }
  const set = values(field, 1, 31);
  return (_y, _m, d) => set.has(d);
}

/** The weekday closest to `day` within its month (Saturday → Friday, Sunday → Monday). */
function nearestWeekday(y: number, m: number, day: number): number {
  const wd = weekday(y, m, day);
  if (wd === 7) return day > 1 ? day - 1 : day + 2;
  if (wd === 1) return day < daysIn(y, m) ? day + 1 : day - 2;
  return day;
}

function dayOfWeek(field: string): Cron['dow'] {
  const last = /^([A-Za-z]{3}|\d)L$/.exec(field);
  if (last) {
    const wd = num(last[1], 1, 7, DAYS);
    return (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysIn(y, m);
  }
  if (field === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const nth = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(field);
  if (nth) {
    const wd = num(nth[1], 1, 7, DAYS);
    const k = Number(nth[2]);
    return (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === k;
  }
  const set = values(field, 1, 7, DAYS);
  return (y, m, d) => set.has(weekday(y, m, d));
}

/** The first firing strictly after `afterMs`; `anchorMs` is when a rate schedule started. */
export function nextFire(s: Schedule, afterMs: number, anchorMs: number): number | null {
  if (s.kind === 'rate') {
    const n = Math.floor((afterMs - anchorMs) / s.periodMs) + 1;
    return anchorMs + Math.max(1, n) * s.periodMs;
  }
  return nextCron(s.cron, afterMs);
}

function nextCron(c: Cron, afterMs: number): number | null {
  // start at the next whole minute
  const start = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  let first = true;
  const maxYear = Math.max(...c.years);
  for (let guard = 0; guard < 366 * 240 && y <= maxYear; guard++) {
    const dayOk = c.years.has(y) && c.months.has(m) && (c.dom ? c.dom(y, m, d) : true) && (c.dow ? c.dow(y, m, d) : true);
    if (dayOk) {
      const h0 = first ? start.getUTCHours() : 0;
      for (let h = h0; h < 24; h++) {
        if (!c.hours.has(h)) continue;
        const m0 = first && h === h0 ? start.getUTCMinutes() : 0;
        for (let mi = m0; mi < 60; mi++) if (c.minutes.has(mi)) return Date.UTC(y, m - 1, d, h, mi);
      }
    }
    first = false;
    d++;
    if (d > daysIn(y, m)) { d = 1; m++; }
    if (m > 12) { m = 1; y++; }
  }
  return null;
}
