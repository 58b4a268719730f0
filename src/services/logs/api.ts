/**
 * @module services/logs/api
 * Operation name (AWS spelling) → handler, for CloudWatch Logs.
 *
 * The handlers live with their domain (groups, streams, ingest, reads, filter-events,
 * metric-filters, tagging); this table is the one place that says which operations exist. Every
 * other Logs operation (Insights queries, subscription filters, exports, deliveries…) has no
 * handler, and the gateway answers it NotImplemented.
 */
import { bindOperations, type Handler } from '../service.js';
import type { LogsDeps, Operation } from './context.js';
import { filterLogEvents } from './filter-events.js';
import { createLogGroup, deleteLogGroup, deleteRetentionPolicy, describeLogGroups, putRetentionPolicy } from './groups.js';
import { putLogEvents } from './ingest.js';
import { deleteMetricFilter, describeMetricFilters, putMetricFilter, testMetricFilter } from './metric-filters.js';
import { getLogEvents } from './reads.js';
import { createLogStream, deleteLogStream, describeLogStreams } from './streams.js';
import { listTagsForResource, listTagsLogGroup, tagLogGroup, tagResource, untagLogGroup, untagResource } from './tagging.js';

const OPERATIONS: Record<string, Operation> = {
  CreateLogGroup: createLogGroup,
  DeleteLogGroup: deleteLogGroup,
  DescribeLogGroups: describeLogGroups,
  PutRetentionPolicy: putRetentionPolicy,
  DeleteRetentionPolicy: deleteRetentionPolicy,
  CreateLogStream: createLogStream,
  DeleteLogStream: deleteLogStream,
  DescribeLogStreams: describeLogStreams,
  PutLogEvents: putLogEvents,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
  PutMetricFilter: putMetricFilter,
  DescribeMetricFilters: describeMetricFilters,
  DeleteMetricFilter: deleteMetricFilter,
  TestMetricFilter: testMetricFilter,
  TagLogGroup: tagLogGroup,
  UntagLogGroup: untagLogGroup,
  ListTagsLogGroup: listTagsLogGroup,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

/**
 * Log traffic, which CloudTrail records only as opt-in data events: left out of the audit trail
 * (a PutLogEvents body can be a megabyte of log lines), like the Get/Describe operations.
 */
export const DATA_EVENTS = new Set(['PutLogEvents']);

export function createHandlers(d: LogsDeps): Record<string, Handler> {
  return bindOperations(d, OPERATIONS);
}
