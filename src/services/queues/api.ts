/**
 * @module services/queues/api
 * Operation name (AWS spelling) → handler, for every operation in SQS's model. The handlers live
 * with their domain (queues, tagging, permissions, send, receive, visibility, move tasks); this
 * table is the one place that says which operations exist.
 */
import { bindOperations, type Handler } from '../service.js';
import type { Operation, QueuesDeps } from './context.js';
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from './move-tasks.js';
import { addPermission, removePermission } from './permissions.js';
import {
  createQueue, deleteQueue, getQueueAttributes, getQueueUrl, listDeadLetterSourceQueues, listQueues, purgeQueue, setQueueAttributes,
} from './queues.js';
import { receiveMessage } from './receive.js';
import { sendMessage, sendMessageBatch } from './send.js';
import { listQueueTags, tagQueue, untagQueue } from './tagging.js';
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from './visibility.js';

const OPERATIONS: Record<string, Operation> = {
  CreateQueue: createQueue,
  GetQueueUrl: getQueueUrl,
  ListQueues: listQueues,
  DeleteQueue: deleteQueue,
  PurgeQueue: purgeQueue,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
  ListQueueTags: listQueueTags,
  AddPermission: addPermission,
  RemovePermission: removePermission,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  StartMessageMoveTask: startMessageMoveTask,
  ListMessageMoveTasks: listMessageMoveTasks,
  CancelMessageMoveTask: cancelMessageMoveTask,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

/**
 * Message traffic, which CloudTrail records only as opt-in data events: left out of the audit
 * trail (and its cost per message), like the Get/List operations.
 */
export const DATA_EVENTS = new Set([
  'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
]);

export function createHandlers(d: QueuesDeps): Record<string, Handler> {
  return bindOperations(d, OPERATIONS);
}
