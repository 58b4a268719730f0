/**
 * @module services/metrics/math/evaluate
 * Evaluates a parsed metric math expression against the series of one GetMetricData request
 * (or one alarm evaluation). Pure: everything it reads comes from the `MathEnv`.
 *
 * Comparisons and logical operators yield 1 or 0 with the same alignment rules as arithmetic, so
 * `m1 > 15 AND m2 > 15` treats a point missing from m2 as 0, exactly as AWS's example table does.
 */
import { HANDLERS } from './functions.js';
import { broadcast, isScalar, mapValue, type EvalContext } from './series.js';
import { ARITHMETIC_MESSAGE, MetricMathError, type BinaryOp, type Expr, type MathEnv, type MathMessage, type MathValue, type Series } from './types.js';

const truth = (b: boolean): number => (b ? 1 : 0);

const BINARY: Record<BinaryOp, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
  '==': (x, y) => truth(x === y),
  '!=': (x, y) => truth(x !== y),
  '<': (x, y) => truth(x < y),
  '<=': (x, y) => truth(x <= y),
  '>': (x, y) => truth(x > y),
  '>=': (x, y) => truth(x >= y),
  AND: (x, y) => truth(x !== 0 && y !== 0),
  OR: (x, y) => truth(x !== 0 || y !== 0),
};

function evalNode(ctx: EvalContext, e: Expr): MathValue {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'id': {
      const v = ctx.env.series(e.name);
      if (v === undefined) throw new MetricMathError(`Unknown metric or expression id "${e.name}".`);
      return v;
    }
    case 'unary': {
      const v = evalNode(ctx, e.operand);
      return e.op === '-' ? mapValue(ctx, v, (x) => -x) : mapValue(ctx, v, (x) => truth(x === 0));
    }
    case 'binary':
      return broadcast(ctx, evalNode(ctx, e.left), evalNode(ctx, e.right), BINARY[e.op]);
    case 'array':
      // [METRICS("4xx"), m1] is one flat array; scalars have no place in it
      return e.items.flatMap((item) => {
        const v = evalNode(ctx, item);
        if (isScalar(v)) throw new MetricMathError('An array can only hold time series, not scalars.');
        return v;
      });
    case 'call':
      return HANDLERS[e.name](ctx, e.args, (arg) => evalNode(ctx, arg));
    case 'keyword':
      throw new MetricMathError(`${e.name} is not a value.`);
    case 'string':
      throw new MetricMathError(`The string "${e.value}" is not a value.`);
  }
}

export interface Evaluation {
  value: MathValue;
  /** GetMetricData messages for this query (today: AWS's ArithmeticError when points were dropped) */
  messages: MathMessage[];
}

/**
 * Evaluates and reports the per-query messages. Throws `MetricMathError` for problems that only
 * data reveals (an unknown id, a scalar where a series is needed).
 */
export function evaluateWithMessages(expr: Expr, env: MathEnv): Evaluation {
  const ctx: EvalContext = { env, dropped: false };
  const value = evalNode(ctx, expr);
  return { value, messages: ctx.dropped ? [{ ...ARITHMETIC_MESSAGE }] : [] };
}

/** Evaluates an expression; see `evaluateWithMessages` for the messages AWS would attach. */
export function evaluate(expr: Expr, env: MathEnv): MathValue {
  return evaluateWithMessages(expr, env).value;
}

/**
 * The final value of a query must be a time series or an array of them; a scalar (AVG(m1) on
 * its own) is only valid inside a larger expression. `single` is for alarms, which watch exactly
 * one series.
 */
export function asResult(value: MathValue, single = false): Series | Series[] {
  if (isScalar(value)) throw new MetricMathError('The expression must return a time series or an array of time series, not a scalar.');
  if (single && Array.isArray(value)) {
    if (value.length === 1) return value[0];
    throw new MetricMathError(`The expression must return a single time series, not ${value.length}.`);
  }
  return value;
}
