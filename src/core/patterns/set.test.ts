/**
 * Property test: for many random patterns and events, PatternSet.match gives exactly the values
 * whose pattern matches on its own (same order as the loop), including after removals and
 * re-adds, for both languages and for patterns the set does not know (plain CompiledPatterns).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CompiledPattern, compileEventPattern, compileFilterPolicy, createPatternSet } from './index.js';

/** Deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ['a', 'ab', 'abc', 'B', 'b', 'x.png', 'X.PNG', '', 'aws.ec2', 'aws.sns', '10.0.0.1', '10.0.1.9'];
const NUMBERS = [0, 1, 5, 10, 300, -2, 2.5];
const PATHS = [['source'], ['detail', 'state'], ['detail', 'n'], ['detail', 'items', 'k'], ['detail', 'items', 'v'], ['tags'], ['a.b'], ['a', 'b']];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function matcher(r: () => number, eb: boolean): unknown {
  const s = pick(r, STRINGS);
  const n = pick(r, NUMBERS);
  const ops: (() => unknown)[] = [
    () => s, () => s, () => n, () => null, () => true,
    () => ({ prefix: s }), () => ({ suffix: s }), () => ({ 'equals-ignore-case': s }),
    () => ({ 'anything-but': [s, pick(r, STRINGS)] }), () => ({ 'anything-but': n }), () => ({ 'anything-but': { prefix: s || 'a' } }),
    () => ({ numeric: ['>', n] }), () => ({ numeric: ['>=', -1, '<', 6] }), () => ({ exists: r() < 0.5 }),
    () => ({ cidr: '10.0.0.0/24' }),
  ];
  if (eb) ops.push(() => ({ wildcard: `*${s}` }), () => ({ prefix: { 'equals-ignore-case': s } }), () => ({ 'anything-but': { wildcard: `${s}*` } }));
  return pick(r, ops)();
}

function fields(r: () => number, eb: boolean, nesting: boolean, count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const path = nesting ? pick(r, PATHS) : [pick(r, ['source', 'state', 'n', 'tags', 'a.b'])];
    let node = out;
    for (const seg of path.slice(0, -1)) {
      if (typeof node[seg] !== 'object' || Array.isArray(node[seg])) node[seg] = {};
      node = node[seg] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => matcher(r, eb));
  }
  return out;
}

function pattern(r: () => number, kind: 'eb' | 'attrs' | 'body'): CompiledPattern {
  for (;;) {
    try {
      return randomPattern(r, kind);
    } catch (e) {
      // SNS refuses policies over 150 combinations: draw another
      if (!(e instanceof Error && e.message.endsWith('Filter policy is too complex'))) throw e;
    }
  }
}

function randomPattern(r: () => number, kind: 'eb' | 'attrs' | 'body'): CompiledPattern {
  const eb = kind === 'eb';
  const nesting = kind !== 'attrs';
  const p = fields(r, eb, nesting, 1 + Math.floor(r() * 3));
  if (r() < 0.25) p.$or = [fields(r, eb, nesting, 1), fields(r, eb, nesting, 1 + Math.floor(r() * 2))];
  const json = JSON.stringify(p);
  return eb ? compileEventPattern(json, { maxLength: 1e6 }) : compileFilterPolicy(json, kind === 'attrs' ? 'MessageAttributes' : 'MessageBody');
}

function value(r: () => number): unknown {
  const k = r();
  if (k < 0.5) return pick(r, STRINGS);
  if (k < 0.8) return pick(r, NUMBERS);
  if (k < 0.9) return null;
  return [pick(r, STRINGS), pick(r, NUMBERS)];
}

function event(r: () => number): Record<string, unknown> {
  const items = Array.from({ length: Math.floor(r() * 3) }, () => (r() < 0.8 ? { k: value(r), v: value(r) } : value(r)));
  const e: Record<string, unknown> = {
    source: value(r), state: value(r), n: value(r), tags: [value(r), value(r)],
    detail: { state: value(r), n: value(r), items },
  };
  if (r() < 0.3) e['a.b'] = value(r);
  if (r() < 0.3) e.a = { b: value(r) };
  for (const key of Object.keys(e)) if (r() < 0.15) delete e[key];
  return e;
}

/** A pattern the set cannot index: it must still be called. */
const foreign = (mod: number): CompiledPattern => ({ source: `foreign-${mod}`, matches: (e) => typeof e === 'object' && e !== null && Object.keys(e).length % mod === 0 });

describe('PatternSet equals matching each pattern alone', () => {
  for (const kind of ['eb', 'attrs', 'body'] as const) {
    it(`random ${kind} patterns and events`, () => {
      for (let seed = 1; seed <= 15; seed++) {
        const r = rng(seed * 7919 + kind.length);
        const set = createPatternSet<number>();
        const live = new Map<string, [CompiledPattern, number]>();
        for (let i = 0; i < 150; i++) {
          const p = i % 37 === 0 ? foreign(2 + (i % 3)) : pattern(r, kind);
          set.add(`p${i}`, p, i);
          live.set(`p${i}`, [p, i]);
        }
        for (let round = 0; round < 3; round++) {
          for (let j = 0; j < 60; j++) {
            const e = event(r);
            const expected = [...live.values()].filter(([p]) => p.matches(e)).map(([, v]) => v);
            assert.deepEqual(set.match(e), expected, `seed ${seed} round ${round} event ${JSON.stringify(e)}`);
          }
          // churn: remove some, replace some, add new ones
          for (let k = 0; k < 40; k++) {
            const id = `p${Math.floor(r() * 200)}`;
            if (r() < 0.5) { set.remove(id); live.delete(id); }
            else { const p = pattern(r, kind); const v = 1000 + round * 100 + k; set.add(id, p, v); live.delete(id); live.set(id, [p, v]); }
          }
          assert.equal(set.size, live.size);
        }
      }
    });
  }

  it('an SNS {} policy in a set matches every message, JSON or not', () => {
    const set = createPatternSet<string>();
    set.add('all', compileFilterPolicy('{}', 'MessageBody'), 'all');
    set.add('some', compileFilterPolicy('{"a":["1"]}', 'MessageBody'), 'some');
    assert.deepEqual(set.match('not json'), ['all']);
    assert.deepEqual(set.match('{"a":"1"}'), ['all', 'some']);
  });
});

describe('PatternSet without an exact field to index', () => {
  // numeric-only fields go to the numeric index, others behind a shared gate condition, fields
  // that all allow absence to the always-checked list; answers must still be the loop's
  const NUMERIC_RULES = [
    '{"detail":{"n":[{"numeric":[">",1]}],"state":[{"anything-but":"b"}]}}',
    '{"detail":{"n":[{"numeric":[">=",1,"<",6]},{"numeric":["=",300]}]}}',
    '{"detail":{"n":[{"numeric":["<=",0]}]},"source":[{"anything-but":{"prefix":"aws."}}]}',
    '{"detail":{"state":[{"wildcard":"a*"}],"n":[{"exists":false}]}}',
    '{"detail":{"state":[{"anything-but":["a","b"]}]}}',
    '{"detail":{"state":[{"exists":false}]}}',
    '{"detail":{"items":{"k":[{"numeric":[">",0]}],"v":[{"anything-but":"a"}]}}}',
    '{"source":[{"cidr":"10.0.0.0/24"}],"detail":{"state":[{"anything-but":"x"}]}}',
    '{"detail":{"n":[{"numeric":[">",5000000000]}]}}',
  ];

  it('agrees with each pattern alone, including array-of-objects events', () => {
    const r = rng(99);
    const set = createPatternSet<number>();
    const live: [CompiledPattern, number][] = [];
    for (let i = 0; i < 200; i++) {
      const p = i % 3 === 0 ? compileEventPattern(NUMERIC_RULES[i % NUMERIC_RULES.length]) : pattern(r, 'eb');
      set.add(`p${i}`, p, i);
      live.push([p, i]);
    }
    for (let j = 0; j < 300; j++) {
      const e = event(r);
      const expected = live.filter(([p]) => p.matches(e)).map(([, v]) => v);
      assert.deepEqual(set.match(e), expected, `event ${JSON.stringify(e)}`);
    }
  });

  it('returns many matches in the order of add', () => {
    const set = createPatternSet<number>();
    for (let i = 0; i < 100; i++) set.add(`r${i}`, compileEventPattern(`{"detail":{"n":[{"numeric":[">",${99 - i}]}]}}`), i);
    assert.deepEqual(set.match({ detail: { n: 50 } }), Array.from({ length: 50 }, (_, i) => i + 50));
    assert.deepEqual(set.match({ detail: { n: 6e9 } }), []);
    set.remove('r60');
    assert.equal(set.match({ detail: { n: 200 } }).length, 99);
  });
});
