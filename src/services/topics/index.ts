/**
 * @module services/topics/index
 * SNS as the gateway sees it: the Query protocol, signed with the `sns` SigV4 name, audited as
 * `sns.amazonaws.com`. ConfirmSubscription and Unsubscribe are accepted unsigned (the links SNS
 * hands out); `/_signalbox/sns/…` serves the e-mail confirmation pages here and the signing
 * certificate in the senders.
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import { loadServiceModel } from '../../protocols/model.js';
import { defaultIsReadOnly, type ServiceFactory } from '../service.js';
import { createHandlers, UNSIGNED_OPERATIONS } from './api.js';
import { TopicCache } from './cache.js';
import type { TopicsDeps } from './deps.js';
import { servePage } from './pages.js';
import { registerSnsSenders, route as sendersRoute } from './senders/index.js';
import { maskSubscribeInput, sealClearEndpoints } from './secret-endpoints.js';
import type { SnsDelivery } from './delivery-payload.js';
import { publishFromTarget } from './publish.js';
import { purgeExpired } from './store.js';

/** how often expired confirmation tokens and FIFO deduplication entries are removed */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

export const createTopicsService: ServiceFactory = (deps) => {
  const d: TopicsDeps = { ...deps, cache: new TopicCache(deps.store, deps.log) };
  const senders = registerSnsSenders(deps);
  // AWS/SNS NumberOfNotificationsDelivered / Failed / RedrivenToDlq, per topic
  deps.deliveries.onSettled((job, last) => {
    const p = job.payload as Partial<SnsDelivery> | null;
    if (job.source !== 'sns' || !p || p.type !== 'Notification' || !p.topicArn || !p.accountId || !p.region) return;
    const scope = { accountId: p.accountId, region: p.region };
    const dims = [{ Name: 'TopicName', Value: p.topicArn.slice(p.topicArn.lastIndexOf(':') + 1) }];
    if (last.outcome === 'delivered') return deps.metrics.record(scope, 'AWS/SNS', 'NumberOfNotificationsDelivered', dims);
    deps.metrics.record(scope, 'AWS/SNS', 'NumberOfNotificationsFailed', dims);
    if (last.outcome === 'dead-lettered') deps.metrics.record(scope, 'AWS/SNS', 'NumberOfNotificationsRedrivenToDlq', dims);
  });
  // alarm actions and event-bus targets publish to a topic by its ARN
  deps.targets.register('sns', { send: (arn, message) => publishFromTarget(d, arn, message) });
  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'sns',
    signingName: 'sns',
    eventSource: 'sns.amazonaws.com',
    model: loadServiceModel('sns-2010-03-31'),
    protocols: ['query'],
    handlers: createHandlers(d),
    unsignedOperations: UNSIGNED_OPERATIONS,
    // CloudTrail records Publish and PublishBatch as data events, which trails leave out unless
    // asked; keeping them out of the audit trail also keeps the publish hot path free of writes
    isReadOnly: (op) => defaultIsReadOnly(op) || op === 'Publish' || op === 'PublishBatch',
    auditInput: (op, input) => (op === 'Subscribe' ? maskSubscribeInput(deps.secrets, input) : input),
    async route(req) {
      return (await servePage(d, req)) ?? sendersRoute(req);
    },
    start() {
      sealClearEndpoints(deps.store, deps.secrets)
        .then((topics) => topics.forEach((arn) => d.cache.invalidate(arn)))
        .catch((e: unknown) => deps.log.error({ err: e }, 'sns: sealing stored chat and webhook endpoints failed'));
      const purge = () => {
        purgeExpired(deps.store, deps.clock.ms()).catch((e: unknown) => deps.log.warn({ err: e }, 'sns: purging expired tokens failed'));
      };
      timer = setInterval(purge, PURGE_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      senders.close();
    },
  };
};
