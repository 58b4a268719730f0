/**
 * @module services/topics/api
 * Operation name (AWS spelling) → handler for the SNS operations Signalbox serves. Platform
 * applications, SMS and data-protection operations have no handler: the gateway answers them
 * NotImplemented. This table is the one place that says which operations exist.
 */
import type { Handler, RequestContext } from '../service.js';
import type { TopicsDeps } from './deps.js';
import { listSubscriptions, listSubscriptionsByTopic } from './listing.js';
import { publish, publishBatch } from './publish.js';
import { confirmSubscription, getSubscriptionAttributes, setSubscriptionAttributes, subscribe, unsubscribe } from './subscriptions.js';
import { listTagsForResource, tagResource, untagResource } from './tagging.js';
import { createTopic, deleteTopic, getTopicAttributes, listTopics, setTopicAttributes } from './topics.js';

type Operation = (d: TopicsDeps, input: Record<string, unknown>, ctx: RequestContext) => Promise<object>;

const OPERATIONS: Record<string, Operation> = {
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  ListTopics: listTopics,
  GetTopicAttributes: getTopicAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  ConfirmSubscription: confirmSubscription,
  Unsubscribe: unsubscribe,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  Publish: publish,
  PublishBatch: publishBatch,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

/**
 * Reached without a signature: the SubscribeURL and UnsubscribeURL are plain GETs. Unsubscribe
 * then refuses subscriptions confirmed with AuthenticateOnUnsubscribe (subscriptions.ts).
 */
export const UNSIGNED_OPERATIONS = ['ConfirmSubscription', 'Unsubscribe'] as const;

export function createHandlers(deps: TopicsDeps): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    handlers[name] = (input: unknown, ctx) => op(deps, (input ?? {}) as Record<string, unknown>, ctx);
  }
  return handlers;
}
