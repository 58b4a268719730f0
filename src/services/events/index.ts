/**
 * @module services/events/index
 * Amazon EventBridge as the gateway sees it: AWS JSON 1.1 (`AWSEvents.*`), signed as `events`,
 * audited as `events.amazonaws.com`.
 *
 * Also registers the `events` target (alarm state changes and bus-to-bus targets arrive there),
 * the senders of its own jobs (`events.target`, `events.archive`), counts AWS/Events metrics,
 * and owns three pieces of background work: publishing the audit trail as CloudTrail events on
 * the default buses, firing schedule rules, and running replays.
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import { loadServiceModel } from '../../protocols/model.js';
import { defaultIsReadOnly, type ServiceFactory } from '../service.js';
import { apiDestinationThrottle, rememberRate } from './api-destinations.js';
import { createHandlers } from './api.js';
import { CloudTrailPublisher } from './cloudtrail.js';
import { publicPart, type AuthParameters } from './connections.js';
import { archiveSender, countInvocations, targetSender } from './deliver.js';
import type { EventsDeps } from './deps.js';
import { receiveEvent } from './put-events.js';
import { Replayer } from './replays.js';
import { ARCHIVE_KIND, TARGET_KIND, type TargetBatchJob, type TargetJob } from './route.js';
import { RuleIndex } from './rule-index.js';
import { Scheduler } from './scheduler.js';
import { allApiDestinations } from './store.js';

export const createEventsService: ServiceFactory = (deps) => {
  const d: EventsDeps = {
    config: deps.config, store: deps.store, secrets: deps.secrets, clock: deps.clock, log: deps.log, deliveries: deps.deliveries,
    targets: deps.targets, metrics: deps.metrics, logs: deps.logs, index: new RuleIndex(deps.store),
    // called only by requests, which start after the factory has returned
    wakeScheduler: () => scheduler.wake(),
    wakeReplays: () => replayer.wake(),
  };
  const scheduler = new Scheduler(d);
  const replayer = new Replayer(d);
  const cloudTrail = deps.audit ? new CloudTrailPublisher(d, deps.audit) : undefined;
  deps.deliveries.register(TARGET_KIND, targetSender(d), { throttle: apiDestinationThrottle });
  deps.deliveries.register(ARCHIVE_KIND, archiveSender(d));
  deps.targets.register('events', { send: (arn, message) => receiveEvent(d, arn, message) });
  // AWS/Events Invocations and FailedInvocations: one per event and target, once it settled
  // (events a job settled before its end were counted by the sender)
  deps.deliveries.onSettled((job, last) => {
    if (job.kind !== TARGET_KIND) return;
    const p = job.payload as TargetJob | TargetBatchJob;
    countInvocations(d, p, 'events' in p ? p.events.length : 1, job.attempt, last.outcome !== 'delivered');
  });
  return {
    name: 'events',
    signingName: 'events',
    eventSource: 'events.amazonaws.com',
    model: loadServiceModel('events-2015-10-07'),
    protocols: ['json'],
    handlers: createHandlers(d),
    // PutEvents is the data path (as SNS Publish is): auditing it would put a write on every event
    isReadOnly: (op) => defaultIsReadOnly(op) || op === 'PutEvents',
    auditInput: (op, input) => (op === 'CreateConnection' || op === 'UpdateConnection') && input.AuthParameters
      ? { ...input, AuthParameters: publicPart(input.AuthParameters as AuthParameters) }
      : input,
    start() {
      allApiDestinations(deps.store)
        .then((rows) => rows.forEach((r) => rememberRate(r.arn, r.rate_limit)))
        .catch((e: unknown) => deps.log.warn({ err: e }, 'events: reading API destination rates failed'));
      scheduler.start();
      replayer.start();
      cloudTrail?.start();
    },
    async stop() {
      await Promise.all([scheduler.stop(), replayer.stop(), cloudTrail?.stop()]);
    },
  };
};

