/**
 * @module services/metrics/math
 * CloudWatch metric math: `parseExpression` (syntax → `ValidationError`), `dependencyOrder` (ids,
 * cycles → `ValidationError`), `evaluate` / `evaluateWithMessages` (data → value and AWS's
 * per-query messages; data-dependent problems → `MetricMathError`), `asResult` (the final value
 * must be series, not a scalar).
 */
export { parseExpression, referencedIds, usesAllMetrics } from './parser.js';
export { dependencyOrder, directDependencies, type QueryNode } from './order.js';
export { asResult, evaluate, evaluateWithMessages, type Evaluation } from './evaluate.js';
export { FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './catalogue.js';
export {
  ARITHMETIC_MESSAGE,
  MetricMathError,
  isMetricMathError,
  type BinaryOp,
  type Expr,
  type MathEnv,
  type MathMessage,
  type MathValue,
  type Series,
} from './types.js';
