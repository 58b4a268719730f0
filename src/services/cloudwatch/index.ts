/**
 * @module services/cloudwatch
 * CloudWatch as the gateway sees it: one model (`monitoring-2010-08-01`) served over AWS JSON
 * 1.0, Smithy RPC v2 CBOR and Query (aws-behaviour.md §1), signed as `monitoring`, audited as
 * `monitoring.amazonaws.com`. Its operations belong to three services — metrics, alarms,
 * dashboards — composed here and nowhere else.
 */
import { createAlarms } from '../alarms/index.js';
import { createDashboards } from '../dashboards/index.js';
import { createMetrics } from '../metrics/index.js';
import { defaultIsReadOnly, type ServiceFactory } from '../service.js';
import type { ApiPart } from './part.js';
import { loadCloudWatchModel } from './wire.js';

export const createCloudWatchService: ServiceFactory = (deps) => {
  const parts: ApiPart[] = [createMetrics(deps), createAlarms(deps), createDashboards(deps)];
  return {
    name: 'cloudwatch',
    signingName: 'monitoring',
    eventSource: 'monitoring.amazonaws.com',
    model: loadCloudWatchModel(),
    protocols: ['json', 'rpcv2-cbor', 'query'],
    handlers: Object.assign({}, ...parts.map((p) => p.handlers)),
    undecodedOperations: new Set(parts.flatMap((p) => p.undecodedOperations ?? [])),
    // datapoints are data, not configuration: CloudTrail leaves PutMetricData out by default
    isReadOnly: (op) => defaultIsReadOnly(op) || op === 'PutMetricData',
    start() {
      for (const p of parts) p.start?.();
    },
    async stop() {
      // alarms first: they read metrics until they stop
      for (const p of [...parts].reverse()) await p.stop?.();
    },
  };
};
