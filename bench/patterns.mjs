/**
 * Event-pattern matching cost per event against 1, 100, 1,000 and 10,000 rules: the shared
 * PatternSet (core/patterns) versus the baseline, a loop calling each compiled pattern's
 * `matches`. Same rules, same events, same run; every event's answer is checked to be identical
 * before timing. No server: it imports the built module (dist/core/patterns/index.js).
 *
 *   npm run build && node bench/patterns.mjs
 *   BENCH_MS=1000 (time budget per measurement, ms)  BENCH_STRICT=1 (exit 1 if the goal is missed)
 *
 * Rules look like real EventBridge rules: all but one in a hundred name a `source` (most with a
 * `detail-type`, some a `detail` value too), others use prefix, anything-but, numeric, wildcard or
 * `$or`; one in two hundred names only a detail-type and a state, one in two hundred only
 * selective numeric and anything-but conditions (no exact value to index them by). Events come
 * from the same sources, so each matches a handful of rules. BENCH_RULES=broad: the earlier mix
 * (one rule in a hundred matching ~40 % of all events).
 * Goal: at 10,000 rules the set is at least 20× faster than the loop.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber, num, table, watchdog } from './lib/common.mjs';
import { EVENTS, rule } from './lib/event-rules.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = join(ROOT, 'dist', 'core', 'patterns', 'index.js');
if (!existsSync(MODULE)) {
  console.error(`${MODULE} is missing: run \`npm run build\` first.`);
  process.exit(1);
}
const { compileEventPattern, createPatternSet } = await import(MODULE);

const BUDGET_MS = envNumber('BENCH_MS', 1000);
const SIZES = [1, 100, 1000, 10_000];
const GOAL = 20;
watchdog((SIZES.length * 2 * (BUDGET_MS + 500) + 60_000), 'patterns');


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

const rows = [];
let speedupAtMax = 0;
for (const size of SIZES) {
  const rules = Array.from({ length: size }, (_, i) => compileEventPattern(JSON.stringify(rule(i))));
  const set = createPatternSet();
  rules.forEach((p, i) => set.add(`rule-${i}`, p, i));
  const loop = (e) => {
    const out = [];
    for (let i = 0; i < rules.length; i++) if (rules[i].matches(e)) out.push(i);
    return out;
  };
  // same answers, event by event (not timed)
  let matched = 0;
  for (const e of EVENTS) {
    const a = set.match(e);
    const b = loop(e);
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
      console.error(`patterns: PatternSet and loop disagree at ${size} rules on ${JSON.stringify(e)}: ${a} vs ${b}`);
      process.exit(1);
    }
    matched += a.length;
  }
  const usSet = measure((e) => set.match(e));
  const usLoop = measure(loop);
  if (size === SIZES[SIZES.length - 1]) speedupAtMax = usLoop / usSet;
  rows.push([
    num(size), num(1e6 / usSet), num(usSet, 2), num(1e6 / usLoop), num(usLoop, 2), `${num(usLoop / usSet, 1)}x`,
    num(matched / EVENTS.length, 2),
  ]);
}

console.log(`core/patterns: matching one event against N EventBridge rules (${num(EVENTS.length)} distinct events, ${BUDGET_MS} ms per cell)\n`);
console.log(table(['rules', 'set events/s', 'set µs/event', 'loop events/s', 'loop µs/event', 'speedup', 'matches/event'], rows));
const met = speedupAtMax >= GOAL;
console.log(`\ngoal: PatternSet ≥ ${GOAL}x the loop at ${num(SIZES[SIZES.length - 1])} rules: ${num(speedupAtMax, 1)}x ${met ? 'met' : 'NOT MET'}`);
if (!met && process.env.BENCH_STRICT === '1') process.exit(1);
process.exit(0);
