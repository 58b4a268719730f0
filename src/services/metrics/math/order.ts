/**
 * @module services/metrics/math/order
 * The order in which a request's queries must be computed: metric queries first, then each
 * expression after everything it reads. An expression that reads an id no query has, or that
 * reads itself through any chain of expressions, makes the whole request invalid, as on AWS, so
 * both are `ValidationError` here rather than per-query messages.
 */
import { awsError } from '../../../core/errors.js';
import { referencedIds, usesAllMetrics } from './parser.js';
import type { Expr } from './types.js';

export interface QueryNode {
  id: string;
  /** the parsed expression; absent for a metric (MetricStat) query */
  expression?: Expr;
}

/**
 * Ids in evaluation order. METRICS() depends on every metric query but on no expression, which
 * is why metric queries always come first and METRICS() never creates a cycle.
 */
export function dependencyOrder(queries: readonly QueryNode[]): string[] {
  const byId = new Map<string, QueryNode>();
  for (const q of queries) {
    if (byId.has(q.id)) throw awsError('ValidationError', `The value ${q.id} for field Id is not unique.`);
    byId.set(q.id, q);
  }
  const order: string[] = queries.filter((q) => !q.expression).map((q) => q.id);
  const done = new Set(order);
  // ids on the current depth-first path, in order, so a cycle can be reported as a chain
  const path: string[] = [];

  const visit = (q: QueryNode): void => {
    if (done.has(q.id)) return;
    const at = path.indexOf(q.id);
    if (at >= 0) {
      const chain = [...path.slice(at), q.id].join(' -> ');
      throw awsError('ValidationError', `Circular dependency between metric math expressions: ${chain}.`);
    }
    path.push(q.id);
    for (const ref of referencedIds(q.expression!)) {
      const dep = byId.get(ref);
      if (!dep) throw awsError('ValidationError', `Error in expression ${q.id}: Unknown metric or expression id "${ref}".`);
      visit(dep);
    }
    path.pop();
    done.add(q.id);
    order.push(q.id);
  };
  for (const q of queries) if (q.expression) visit(q);
  return order;
}

/** Ids an expression depends on directly, METRICS() expanded to the request's metric queries. */
export function directDependencies(expr: Expr, queries: readonly QueryNode[]): string[] {
  const ids = new Set(referencedIds(expr));
  if (usesAllMetrics(expr)) for (const q of queries) if (!q.expression) ids.add(q.id);
  return [...ids];
}
