/**
 * @module services/metrics/math/catalogue
 * The metric math functions Signalbox knows: how many arguments each takes and which argument
 * positions accept a bare keyword (FILL's REPEAT/LINEAR, SORT's statistic and order) or a string
 * (METRICS' id filter). The parser checks every call against this table, so arity and keyword
 * mistakes are `ValidationError`s before any data is read, as they are on AWS.
 */

export interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  /** argument index → the keywords allowed there (a value expression is also allowed unless `keywordOnly`) */
  keywords?: Record<number, readonly string[]>;
  /** argument indexes that must be a keyword from `keywords` */
  keywordOnly?: readonly number[];
  /** argument indexes that must be a string literal */
  strings?: readonly number[];
}

const one = { minArgs: 1, maxArgs: 1 } as const;

/** Statistics SORT can order by. */
export const SORT_STATISTICS = ['AVG', 'MAX', 'MIN', 'SUM'] as const;

export const FUNCTIONS: Record<string, FunctionSpec> = {
  ABS: one,
  AVG: one,
  CEIL: one,
  CONCAT: { minArgs: 1, maxArgs: Infinity },
  DATAPOINT_COUNT: one,
  DIFF: one,
  DIFF_TIME: one,
  FILL: { minArgs: 2, maxArgs: 2, keywords: { 1: ['REPEAT', 'LINEAR'] } },
  FIRST: one,
  FLOOR: one,
  IF: { minArgs: 2, maxArgs: 3 },
  LAST: one,
  LOG: one,
  LOG10: one,
  MAX: one,
  METRIC_COUNT: one,
  METRICS: { minArgs: 0, maxArgs: 1, strings: [0] },
  MIN: one,
  PERIOD: one,
  RATE: one,
  REMOVE_EMPTY: one,
  RUNNING_SUM: one,
  SLICE: { minArgs: 2, maxArgs: 3 },
  SORT: {
    minArgs: 3,
    maxArgs: 4,
    keywords: { 1: SORT_STATISTICS, 2: ['ASC', 'DESC'] },
    keywordOnly: [1, 2],
  },
  STDDEV: one,
  SUM: one,
  TIME_SERIES: one,
  // calendar functions: a value per grid timestamp, in UTC
  MINUTE: one,
  HOUR: one,
  DAY: one,
  DATE: one,
  MONTH: one,
  YEAR: one,
  EPOCH: one,
};

/**
 * Functions AWS has that need services Signalbox does not model (anomaly models, Contributor
 * Insights, Service Quotas, Lambda data sources, Performance Insights) or a metric search. They
 * are named in the error so a user knows the expression is valid on AWS but not here.
 */
export const UNSUPPORTED_FUNCTIONS: readonly string[] = [
  'ANOMALY_DETECTION_BAND',
  'DB_PERF_INSIGHTS',
  'INSIGHT_RULE_METRIC',
  'LAMBDA',
  'SEARCH',
  'SERVICE_QUOTA',
];

/** Every keyword that can appear as a bare argument. */
export const KEYWORDS: ReadonlySet<string> = new Set(['REPEAT', 'LINEAR', 'ASC', 'DESC', ...SORT_STATISTICS]);
