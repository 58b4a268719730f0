/**
 * EventBridge matcher throughput: events/s one core matches against 1, 10, 100, 1,000 and 10,000
 * rules, from parsed events (objects) and from JSON text (parsed per event, as PutEvents bodies
 * arrive), with the bus's shared PatternSet (core/patterns) versus the baseline in the same run,
 * a naive loop over the compiled rules. Rules and events as in bench/patterns.mjs (realistic
 * rules: source + detail-type, prefix, anything-but, numeric, wildcard, $or; BENCH_RULES=broad for
 * the earlier mix where 1 % of the rules matched ~40 % of all events). Answers are checked to be
 * identical before timing. No server: imports dist/core/patterns/index.js.
 *
 *   npm run build && node bench/events-matcher.mjs
 *   BENCH_MS=1000 (time per cell)  BENCH_STRICT=1 (exit 1 if a goal is missed)
 *
 * Goals: >= 300,000 events/s from parsed events at 10,000 rules; the 10,000-rule rate >= 50 % of
 * the 10-rule rate.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber, num, table, watchdog } from './lib/common.mjs';
import { BROAD, EVENTS, rule } from './lib/event-rules.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = join(ROOT, 'dist', 'core', 'patterns', 'index.js');
if (!existsSync(MODULE)) {
  console.error(`${MODULE} is missing: run \`npm run build\` first.`);
  process.exit(1);
}
const { compileEventPattern, createPatternSet } = await import(MODULE);

const BUDGET_MS = envNumber('BENCH_MS', 1000);
const SIZES = [1, 10, 100, 1000, 10_000];
watchdog(SIZES.length * 4 * (BUDGET_MS + 500) + 60_000, 'events-matcher');


/** Runs `fn` over the events until the budget is spent; returns µs per event. */
function measure(fn) {
  for (let i = 0; i < 200; i++) fn(EVENTS[i % EVENTS.length]); // warm-up (JIT)
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(BUDGET_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let k = 0; k < 20; k++) fn(EVENTS[(n + k) % EVENTS.length]);
    n += 20;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1000 / n;
}

const TEXTS = EVENTS.map((e) => JSON.stringify(e));

function measureOver(inputs, fn) {
  for (let i = 0; i < 200; i++) fn(inputs[i % inputs.length]);
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(BUDGET_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let k = 0; k < 20; k++) fn(inputs[(n + k) % inputs.length]);
    n += 20;
    now = process.hrtime.bigint();
  }
  return (n * 1e9) / Number(now - start);
}

const rows = [];
const rate = {};
for (const size of SIZES) {
  const rules = Array.from({ length: size }, (_, i) => compileEventPattern(JSON.stringify(rule(i))));
  const set = createPatternSet();
  rules.forEach((p, i) => set.add(`rule-${i}`, p, i));
  const loop = (e) => {
    const out = [];
    for (let i = 0; i < rules.length; i++) if (rules[i].matches(e)) out.push(i);
    return out;
  };
  let matched = 0;
  for (const e of EVENTS) {
    const a = set.match(e);
    const b = loop(e);
    matched += a.length;
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
      console.error(`events-matcher: set and loop disagree at ${size} rules`);
      process.exit(1);
    }
  }
  const setParsed = measureOver(EVENTS, (e) => set.match(e));
  const setText = measureOver(TEXTS, (t) => set.match(JSON.parse(t)));
  const loopParsed = measureOver(EVENTS, loop);
  const loopText = measureOver(TEXTS, (t) => loop(JSON.parse(t)));
  rate[size] = setParsed;
  rows.push([num(size), num(setParsed), num(setText), num(loopParsed), num(loopText), `${num(setParsed / loopParsed, 1)}x`, num(matched / EVENTS.length, 2)]);
}

console.log(`EventBridge matcher, one core (${num(EVENTS.length)} distinct events, ${BUDGET_MS} ms per cell, ${BROAD ? 'broad' : 'realistic'} rules)\n`);
console.log(table(['rules', 'set events/s (parsed)', 'set events/s (JSON text)', 'loop events/s (parsed)', 'loop events/s (JSON text)', 'set/loop', 'matches/event'], rows));
const max = SIZES[SIZES.length - 1];
const g1 = rate[max] >= 300_000;
const ratio = rate[max] / rate[10];
const g2 = ratio >= 0.5;
console.log(`\ngoal: >= 300,000 events/s at ${num(max)} rules (parsed): ${num(rate[max])} ${g1 ? 'met' : 'NOT MET'}`);
console.log(`goal: ${num(max)}-rule rate >= 50 % of the 10-rule rate: ${num(ratio * 100, 1)} % ${g2 ? 'met' : 'NOT MET'}`);
if ((!g1 || !g2) && process.env.BENCH_STRICT === '1') process.exit(1);
process.exit(0);
