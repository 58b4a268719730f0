/**
 * @module services/metrics/math/types
 * The data model shared by the metric math parser and evaluator: time series, the values an
 * expression can produce, the syntax tree, the environment an evaluation reads from, and the
 * error a caller turns into a GetMetricData per-query message.
 *
 * Kept free of behaviour so the GetMetricData handler and the alarm evaluator can import the
 * types without pulling in the evaluator.
 */
import { awsError, type ServiceError } from '../../../core/errors.js';

/** One time series: timestamps in epoch seconds, ascending, one value per timestamp. */
export interface Series {
  id?: string;
  label: string;
  timestamps: number[];
  values: number[];
  /**
   * The period the series was retrieved with, when it differs from the request's. PERIOD() and
   * the calendar functions read it; when absent they use the environment's period.
   */
  period?: number;
}

/** What an expression evaluates to: a scalar (S), a time series (TS) or an array of them (TS[]). */
export type MathValue = number | Series | Series[];

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** The syntax tree. `keyword` and `string` only ever appear as function arguments. */
export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'id'; name: string }
  | { kind: 'keyword'; name: string }
  | { kind: 'unary'; op: '-' | 'NOT'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'array'; items: Expr[] };

/** Everything an evaluation may read. All times are epoch seconds. */
export interface MathEnv {
  /** The result of another query by id (a metric's series, or an earlier expression's value). */
  series(id: string): MathValue | undefined;
  /** Every metric (not expression) series of the request, for METRICS(). */
  all(): Series[];
  /** The request's period; the grid step for FILL, TIME_SERIES and the calendar functions. */
  period: number;
  /** Inclusive start of the requested range. */
  start: number;
  /** Exclusive end of the requested range. */
  end: number;
}

/** A GetMetricData `MessageData` entry. */
export interface MathMessage {
  Code: string;
  Value: string;
}

/**
 * AWS's own wording for points removed because they evaluated to NaN or ±Infinity (division by
 * zero, LOG of a non-positive value); GetMetricData attaches it to the query's result.
 */
export const ARITHMETIC_MESSAGE: MathMessage = {
  Code: 'ArithmeticError',
  Value: 'One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)',
};

/**
 * A problem found while evaluating a well-formed expression: an id that names nothing, a function
 * given the wrong kind of value (a scalar where a time series is needed), an empty array for
 * FIRST. Syntax problems never get here: `parseExpression` throws `ValidationError` for them.
 *
 * The caller chooses how to surface it: `toMessage()` for a per-query `Messages` entry, or
 * `toServiceError()` to fail the whole request the way a malformed expression does.
 */
export class MetricMathError extends Error {
  readonly code: string;
  constructor(message: string, code = 'ValidationError') {
    super(message);
    this.name = 'MetricMathError';
    this.code = code;
  }

  toMessage(): MathMessage {
    return { Code: this.code, Value: this.message };
  }

  /** `queryId` names the expression in the message, as AWS does for errors inside one query. */
  toServiceError(queryId?: string): ServiceError {
    return awsError('ValidationError', queryId ? `Error in expression ${queryId}: ${this.message}` : this.message);
  }
}

export function isMetricMathError(e: unknown): e is MetricMathError {
  return e instanceof MetricMathError;
}
