/**
 * @module services/queues/index
 * Amazon SQS as the gateway sees it: AWS JSON 1.0 (`AmazonSQS.*`, query-compatible errors) and
 * Query (`Action=…`, the legacy XML with `AWS.SimpleQueueService.*` error codes), signed as
 * `sqs`, audited as `sqs.amazonaws.com`. One model serves both: the JSON-era model with its lost
 * Query names put back (wire-names.ts).
 *
 * Also registers the `sqs` target so other services (SNS subscriptions, EventBridge targets,
 * dead-letter queues of the delivery engine) put messages on a queue by ARN, and owns the
 * service's background work (retention sweep, move tasks) and its long-poll waiters, which are
 * answered, empty, at stop.
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import { loadServiceModel } from '../../protocols/model.js';
import { defaultIsReadOnly, type ServiceFactory } from '../service.js';
import { createHandlers, DATA_EVENTS } from './api.js';
import { withOwnMetrics } from './own-metrics.js';
import { Background } from './background.js';
import type { QueuesDeps } from './context.js';
import { Waiters } from './waiters.js';
import { TargetSends } from './target-sends.js';
import { SQS_QUERY_NAMES } from './wire-names.js';

export const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

export const createQueuesService: ServiceFactory = (deps) => {
  const d: QueuesDeps = {
    store: deps.store,
    clock: deps.clock,
    log: deps.log,
    publicUrl: deps.config.publicUrl,
    waiters: new Waiters(),
    // called only by requests, which start after the factory has returned
    wakeMoves: () => background.wakeMoves(),
  };
  const background = new Background(d);
  const targetSends = new TargetSends(d);
  deps.targets.register('sqs', { send: (arn, message) => targetSends.send(arn, message) });
  return {
    name: 'sqs',
    signingName: 'sqs',
    eventSource: 'sqs.amazonaws.com',
    model: loadServiceModel('sqs-2012-11-05', { xmlNamespace: SQS_XML_NAMESPACE }, SQS_QUERY_NAMES),
    protocols: ['json', 'query'],
    handlers: withOwnMetrics(createHandlers(d), deps.metrics),
    isReadOnly: (op) => defaultIsReadOnly(op) || DATA_EVENTS.has(op),
    start: () => background.start(),
    stop: async () => {
      d.waiters.stop();
      await background.stop();
    },
  };
};
