/**
 * The rules and events the matcher benchmarks draw from (bench/patterns.mjs, bench/events-matcher.mjs):
 * deterministic, and shaped like real EventBridge rule sets.
 */
let seed = 42;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

const SOURCES = Array.from({ length: 2000 }, (_, i) => `com.example.service${i}`);
const TYPES = ['Order Placed', 'Order Shipped', 'Payment Failed', 'User Signed Up', 'Alarm State Change'];
const STATES = ['pending', 'running', 'stopped', 'terminated', 'initializing'];

// BENCH_RULES=broad restores the earlier mix, where one rule in a hundred named no source and
// matched ~40 % of all events (an amount above a random threshold): unlike real rule sets, every
// event then matched ~40 rules at 10,000. Kept to show the set copes with it too.
export const BROAD = process.env.BENCH_RULES === 'broad';

export function rule(i) {
  const source = pick(SOURCES);
  if (BROAD && i % 100 === 99) return { detail: { amount: [{ numeric: ['>', Math.floor(rnd() * 1000)] }], state: [{ 'anything-but': 'initializing' }] } };
  // Real rules almost always name `source`. One in two hundred here does not: a detail-type with a
  // state, or (one in two hundred) only numeric and anything-but conditions, selective ones (an
  // amount above 990: ~1 % of events), which no exact value indexes.
  if (!BROAD && i % 200 === 199) return { 'detail-type': [pick(TYPES)], detail: { state: [pick(STATES)] } };
  if (!BROAD && i % 200 === 99) return { detail: { amount: [{ numeric: ['>', 990 + Math.floor(rnd() * 10)] }], state: [{ 'anything-but': 'initializing' }] } };
  switch (i % 20) {
    case 0: return { source: [source], detail: { amount: [{ numeric: ['>', Math.floor(rnd() * 1000)] }], state: [{ 'anything-but': 'initializing' }] } };
    case 1: return { source: [{ prefix: source.slice(0, 24) }], 'detail-type': [pick(TYPES)] };
    case 2: return { source: [source], detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } };
    case 3: return { source: [source], detail: { file: [{ wildcard: '*/reports/*.csv' }] } };
    case 4: return { source: [source], $or: [{ 'detail-type': [pick(TYPES)] }, { detail: { amount: [{ numeric: ['>=', 500] }] } }] };
    case 5: return { source: [source], 'detail-type': [pick(TYPES)], detail: { state: [pick(STATES)], region: [{ 'equals-ignore-case': 'US-EAST-1' }] } };
    default: return { source: [source], 'detail-type': [pick(TYPES)] };
  }
}

function event() {
  return {
    version: '0', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', 'detail-type': pick(TYPES), source: pick(SOURCES),
    account: '123456789012', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: ['arn:aws:s3:::bucket'],
    detail: {
      state: pick(STATES), amount: Math.floor(rnd() * 1000), region: 'us-east-1',
      file: rnd() < 0.5 ? '/data/reports/2024.csv' : '/data/raw/x.json',
      items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }],
    },
  };
}

export const EVENTS = Array.from({ length: 2000 }, event);
