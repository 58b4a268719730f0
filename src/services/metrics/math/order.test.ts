/**
 * Evaluation order of a request's queries: metric queries first, expressions after what they
 * read, and ValidationError for cycles (including self-reference), unknown ids and duplicate ids.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isServiceError } from '../../../core/errors.js';
import { dependencyOrder, directDependencies, type QueryNode } from './order.js';
import { parseExpression } from './parser.js';

const q = (id: string, expression?: string): QueryNode => (expression === undefined ? { id } : { id, expression: parseExpression(expression) });

function fails(queries: QueryNode[], pattern: RegExp): void {
  assert.throws(
    () => dependencyOrder(queries),
    (e: unknown) => isServiceError(e) && e.code === 'ValidationError' && pattern.test(e.message),
  );
}

describe('metric math dependency order', () => {
  it('puts metrics first and every expression after the ids it reads', () => {
    const order = dependencyOrder([q('e2', 'e1 * 2'), q('m1'), q('e1', 'm1 + m2'), q('m2'), q('e3', 'e2 - e1')]);
    assert.deepEqual(order, ['m1', 'm2', 'e1', 'e2', 'e3']);
  });

  it('needs nothing extra for METRICS(): metrics are already first', () => {
    assert.deepEqual(dependencyOrder([q('e1', 'SUM(METRICS())'), q('m1'), q('m2')]), ['m1', 'm2', 'e1']);
  });

  it('rejects a cycle and names it', () => {
    fails([q('m1'), q('e1', 'e2 + m1'), q('e2', 'e3 * 2'), q('e3', 'e1 - 1')], /Circular dependency between metric math expressions: e1 -> e2 -> e3 -> e1\./);
  });

  it('rejects an expression that reads itself', () => {
    fails([q('e1', 'e1 + 1')], /e1 -> e1/);
  });

  it('rejects an id no query has', () => {
    fails([q('m1'), q('e1', 'm1 + m9')], /Error in expression e1: Unknown metric or expression id "m9"\./);
  });

  it('rejects duplicate ids', () => {
    fails([q('m1'), q('m1', '1 + 1')], /m1 for field Id is not unique/);
  });

  it('expands METRICS() in the direct dependencies', () => {
    const queries = [q('m1'), q('m2'), q('e1', 'SUM(METRICS()) + e0'), q('e0', 'm1 * 2')];
    assert.deepEqual(directDependencies(queries[2].expression!, queries), ['e0', 'm1', 'm2']);
  });
});
