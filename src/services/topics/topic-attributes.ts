/**
 * @module services/topics/topic-attributes
 * Topic attributes: which names CreateTopic and SetTopicAttributes accept, how each value is
 * checked, and the full map GetTopicAttributes answers (defaults included: the default access
 * Policy document, EffectiveDeliveryPolicy, the subscription counters).
 */
import { validateTopicDeliveryPolicy, effectiveTopicPolicy } from './delivery-policy.js';
import { invalid, isTrue, type TopicRecord } from './model.js';

const FEEDBACK = ['Application', 'HTTP', 'Lambda', 'SQS', 'Firehose'].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);

/** Names SetTopicAttributes accepts (FifoTopic is fixed at creation). */
export const SETTABLE = new Set([
  'DeliveryPolicy', 'DisplayName', 'Policy', 'SignatureVersion', 'TracingConfig', 'KmsMasterKeyId',
  'ContentBasedDeduplication', 'ArchivePolicy', 'FifoThroughputScope', 'DataProtectionPolicy', ...FEEDBACK,
]);

/** Names CreateTopic accepts. */
export const CREATABLE = new Set([...SETTABLE, 'FifoTopic']);

/**
 * Checks one attribute value for a topic (`fifo` is the topic's kind). `prefix` is
 * 'Attributes Reason: ' inside CreateTopic, '' in SetTopicAttributes, as AWS words them.
 */
export function checkTopicAttribute(name: string, value: string, fifo: boolean, prefix: string): string {
  switch (name) {
    case 'DisplayName':
      if (value.length > 100) throw invalid(`${prefix}DisplayName`);
      return value;
    case 'Policy':
    case 'DataProtectionPolicy':
    case 'ArchivePolicy': {
      if (value === '') return value;
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch {
        throw invalid(`${prefix}${name}: failed to parse JSON.`);
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid(`${prefix}${name}: must be a JSON object.`);
      if (name === 'ArchivePolicy' && !fifo) throw invalid(`${prefix}ArchivePolicy: only FIFO topics can have an archive policy`);
      return value;
    }
    case 'DeliveryPolicy':
      validateTopicDeliveryPolicy(value, prefix);
      return value;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalid(`${prefix}SignatureVersion`);
      return value;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalid(`${prefix}TracingConfig: Invalid value [${value}]. Must be PassThrough or Active`);
      return value;
    case 'FifoTopic':
      if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') throw invalid(`${prefix}FifoTopic: Invalid value [${value}]. Must be true or false.`);
      return value.toLowerCase();
    case 'ContentBasedDeduplication':
      if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') {
        throw invalid(`${prefix}ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
      }
      if (!fifo && isTrue(value)) throw invalid(`${prefix}ContentBasedDeduplication: Content-based deduplication can only be set for FIFO topics`);
      return value.toLowerCase();
    case 'FifoThroughputScope':
      if (!fifo) throw invalid(`${prefix}FifoThroughputScope: only FIFO topics have a throughput scope`);
      if (value !== 'Topic' && value !== 'MessageGroup') throw invalid(`${prefix}FifoThroughputScope: Invalid value [${value}]. Must be Topic or MessageGroup`);
      return value;
    default:
      if (name.endsWith('SampleRate')) {
        if (!/^\d+$/.test(value) || Number(value) > 100) throw invalid(`${prefix}${name}`);
      }
      return value;
  }
}

/** AWS's default access policy: the owner's account may do everything with the topic. */
export function defaultPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: [
        'SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission',
        'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish',
      ],
      Resource: topicArn,
      Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
    }],
  });
}

/** The GetTopicAttributes map. */
export function renderTopicAttributes(t: TopicRecord, counts: { confirmed: number; pending: number }): Record<string, string> {
  const a = t.attributes;
  const out: Record<string, string> = {
    TopicArn: t.arn,
    Owner: t.accountId,
    Policy: a.Policy || defaultPolicy(t.arn, t.accountId),
    DisplayName: a.DisplayName ?? '',
    SubscriptionsConfirmed: String(counts.confirmed),
    SubscriptionsPending: String(counts.pending),
    SubscriptionsDeleted: String(t.subscriptionsDeleted),
    EffectiveDeliveryPolicy: JSON.stringify(effectiveTopicPolicy(a.DeliveryPolicy)),
    SignatureVersion: a.SignatureVersion ?? '1',
  };
  if (t.fifo) {
    out.FifoTopic = 'true';
    out.ContentBasedDeduplication = a.ContentBasedDeduplication ?? 'false';
  }
  for (const [k, v] of Object.entries(a)) {
    if (k === 'Policy' || k === 'DisplayName' || k === 'SignatureVersion' || k === 'FifoTopic' || k === 'ContentBasedDeduplication') continue;
    // an attribute set to '' is unset, as AWS treats it
    if (v !== '') out[k] = v;
  }
  return out;
}
