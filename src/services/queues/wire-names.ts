/**
 * @module services/queues/wire-names
 * The Query-protocol names SQS's JSON-era model (aws-sdk v2 `sqs-2012-11-05`) has lost.
 *
 * Why: SQS still has Query clients (Debian's AWS CLI 2.9, the JS SDK with `AwsQueryProtocol`,
 * older SDKs). They send `SendMessageBatchRequestEntry.1.Id`, `Tag.1.Key`, `AttributeName.1` and
 * parse `<Message>`, `<Attribute><Name>…</Name><Value>…</Value></Attribute>`,
 * `<SendMessageBatchResultEntry>`. Without these names the codec reads nothing for the batch
 * entries and writes elements the SDKs silently drop. The names are those of the Query-era model
 * (the `locationName` / `xmlName` traits of its flattened members); `protocols/model.ts` applies
 * them when the model loads. The JSON codec ignores `locationName`, so JSON clients are unaffected.
 *
 * Paths: `Operation.input|output.Member…`, with `member`, `key`, `value` stepping into a list's
 * item or a map's key and value.
 */
import type { WireNames } from '../../protocols/model.js';

/** A flattened map of strings renamed as a whole, with `Name`/`Value` (or `Key`/`Value`) inside. */
function map(path: string, name: string, key = 'Name'): Record<string, string> {
  return { [path]: name, [`${path}.key`]: key, [`${path}.value`]: 'Value' };
}

/** Message attributes: a flattened map whose values carry flattened string and binary lists. */
function messageAttributes(path: string, name: string): Record<string, string> {
  return {
    ...map(path, name),
    [`${path}.value.StringListValues`]: 'StringListValue',
    [`${path}.value.BinaryListValues`]: 'BinaryListValue',
  };
}

export const SQS_QUERY_NAMES: WireNames = {
  ...map('CreateQueue.input.Attributes', 'Attribute'),
  ...map('CreateQueue.input.tags', 'Tag', 'Key'),
  'GetQueueAttributes.input.AttributeNames': 'AttributeName',
  ...map('GetQueueAttributes.output.Attributes', 'Attribute'),
  ...map('SetQueueAttributes.input.Attributes', 'Attribute'),
  'ListQueues.output.QueueUrls': 'QueueUrl',
  'ListDeadLetterSourceQueues.output.queueUrls': 'QueueUrl',
  ...map('TagQueue.input.Tags', 'Tag', 'Key'),
  'UntagQueue.input.TagKeys': 'TagKey',
  ...map('ListQueueTags.output.Tags', 'Tag', 'Key'),
  'AddPermission.input.AWSAccountIds': 'AWSAccountId',
  'AddPermission.input.Actions': 'ActionName',
  ...messageAttributes('SendMessage.input.MessageAttributes', 'MessageAttribute'),
  ...map('SendMessage.input.MessageSystemAttributes', 'MessageSystemAttribute'),
  'SendMessageBatch.input.Entries': 'SendMessageBatchRequestEntry',
  ...messageAttributes('SendMessageBatch.input.Entries.member.MessageAttributes', 'MessageAttribute'),
  ...map('SendMessageBatch.input.Entries.member.MessageSystemAttributes', 'MessageSystemAttribute'),
  'SendMessageBatch.output.Successful': 'SendMessageBatchResultEntry',
  'SendMessageBatch.output.Failed': 'BatchResultErrorEntry',
  // Both attribute-name lists travel as AttributeName.N (the newer one kept the old wire name).
  'ReceiveMessage.input.AttributeNames': 'AttributeName',
  'ReceiveMessage.input.MessageSystemAttributeNames': 'AttributeName',
  'ReceiveMessage.input.MessageAttributeNames': 'MessageAttributeName',
  'ReceiveMessage.output.Messages': 'Message',
  ...map('ReceiveMessage.output.Messages.member.Attributes', 'Attribute'),
  ...messageAttributes('ReceiveMessage.output.Messages.member.MessageAttributes', 'MessageAttribute'),
  'DeleteMessageBatch.input.Entries': 'DeleteMessageBatchRequestEntry',
  'DeleteMessageBatch.output.Successful': 'DeleteMessageBatchResultEntry',
  'DeleteMessageBatch.output.Failed': 'BatchResultErrorEntry',
  'ChangeMessageVisibilityBatch.input.Entries': 'ChangeMessageVisibilityBatchRequestEntry',
  'ChangeMessageVisibilityBatch.output.Successful': 'ChangeMessageVisibilityBatchResultEntry',
  'ChangeMessageVisibilityBatch.output.Failed': 'BatchResultErrorEntry',
  'ListMessageMoveTasks.output.Results': 'ListMessageMoveTasksResultEntry',
};
