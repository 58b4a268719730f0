/**
 * @module services/metrics/insights
 * CloudWatch Metrics Insights for GetMetricData: `parseInsightsQuery` (SQL → query, malformed →
 * `ValidationError`) and `runInsightsQuery` (query + stored statistic sets → one series per group).
 */
export { INSIGHTS_FUNCTIONS, MAX_LIMIT, isInsightsQuery, parseInsightsQuery } from './parser.js';
export { OTHER_GROUP, matches, runInsightsQuery } from './run.js';
export type {
  Condition,
  InsightsFunction,
  InsightsOptions,
  InsightsPoint,
  InsightsQuery,
  InsightsSeries,
  InsightsSource,
} from './types.js';
