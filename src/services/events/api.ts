/**
 * @module services/events/api
 * Operation name (AWS spelling) → handler for the EventBridge operations Signalbox serves.
 * Partner event sources, PutPermission / RemovePermission, DeauthorizeConnection and the newer
 * endpoint operations have no handler: the gateway answers them NotImplemented.
 */
import type { Handler, RequestContext } from '../service.js';
import {
  createApiDestination, deleteApiDestination, describeApiDestination, listApiDestinations, updateApiDestination,
} from './api-destinations.js';
import { createArchive, deleteArchive, describeArchive, listArchives, updateArchive } from './archives.js';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './buses.js';
import { createConnection, deleteConnection, describeConnection, listConnections, updateConnection } from './connections.js';
import type { EventsDeps } from './deps.js';
import { putEvents } from './put-events.js';
import { cancelReplay, describeReplay, listReplays, startReplay } from './replays.js';
import { deleteRule, describeRule, disableRule, enableRule, listRules, putRule, testEventPattern } from './rules.js';
import { listTagsForResource, tagResource, untagResource } from './tagging.js';
import { listRuleNamesByTarget, listTargetsByRule, putTargets, removeTargets } from './targets.js';

type Operation = (d: EventsDeps, input: Record<string, unknown>, ctx: RequestContext) => Promise<object>;

const OPERATIONS: Record<string, Operation> = {
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  DeleteEventBus: deleteEventBus,
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  EnableRule: enableRule,
  DisableRule: disableRule,
  DeleteRule: deleteRule,
  TestEventPattern: testEventPattern,
  PutTargets: putTargets,
  RemoveTargets: removeTargets,
  ListTargetsByRule: listTargetsByRule,
  ListRuleNamesByTarget: listRuleNamesByTarget,
  PutEvents: putEvents,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  CreateArchive: createArchive,
  DescribeArchive: describeArchive,
  ListArchives: listArchives,
  UpdateArchive: updateArchive,
  DeleteArchive: deleteArchive,
  StartReplay: startReplay,
  DescribeReplay: describeReplay,
  ListReplays: listReplays,
  CancelReplay: cancelReplay,
  CreateConnection: createConnection,
  DescribeConnection: describeConnection,
  ListConnections: listConnections,
  UpdateConnection: updateConnection,
  DeleteConnection: deleteConnection,
  CreateApiDestination: createApiDestination,
  DescribeApiDestination: describeApiDestination,
  ListApiDestinations: listApiDestinations,
  UpdateApiDestination: updateApiDestination,
  DeleteApiDestination: deleteApiDestination,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

export function createHandlers(d: EventsDeps): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    handlers[name] = async (input: unknown, ctx) => {
      // the first call after start waits for the rule index to be loaded from the tables
      await d.index.ready();
      return op(d, (input ?? {}) as Record<string, unknown>, ctx);
    };
  }
  return handlers;
}
