/**
 * @module services/topics/model
 * The records this service keeps, its limits, and the ARN and input helpers every operation
 * shares. SNS reports nearly every bad input as `InvalidParameter` with a message of the form
 * `Invalid parameter: <what>[ Reason: <why>]`; `invalid()` builds exactly that, so the wording
 * stays uniform across files.
 */
import { parseArn } from '../../core/arn.js';
import { awsError, type ServiceError } from '../../core/errors.js';
import type { SnsProtocol } from './delivery-payload.js';

export const LIMITS = {
  standardTopicsPerAccount: 100_000,
  fifoTopicsPerAccount: 1_000,
  tagsPerResource: 50,
  filterPoliciesPerTopic: 200,
  /** Publish: message + attributes (names, types, values); PublishBatch: the whole batch */
  maxMessageBytes: 262_144,
  maxSubjectChars: 100,
  maxBatchEntries: 10,
  pageSize: 100,
  /** confirmation tokens are valid for three days */
  tokenTtlMs: 3 * 24 * 3600 * 1000,
  /** FIFO deduplication window */
  dedupWindowMs: 5 * 60 * 1000,
} as const;

export interface TopicRecord {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  fifo: boolean;
  /** attributes set by the caller (DisplayName, Policy, DeliveryPolicy…) */
  attributes: Record<string, string>;
  /** the attribute set of the CreateTopic that created it, for CreateTopic's idempotency */
  createdAttributes: Record<string, string>;
  subscriptionsDeleted: number;
  createdAt: number;
}

export interface SubscriptionRecord {
  seq: number;
  arn: string;
  topicArn: string;
  /** the subscriber's account (the Owner attribute) */
  accountId: string;
  region: string;
  protocol: SnsProtocol;
  /** as given, or masked for the protocols whose URL is a secret (see secret-endpoints.ts) */
  endpoint: string;
  /** the URL of a slack/teams/discord/webhook subscription, sealed (AAD = arn); else null */
  endpointSealed: string | null;
  confirmed: boolean;
  confirmationAuthenticated: boolean;
  authenticateOnUnsubscribe: boolean;
  /** FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy, DeliveryPolicy, SubscriptionRoleArn */
  attributes: Record<string, string>;
  /** sealed `whsec_…` (webhook protocol only) */
  webhookSecret: string | null;
  createdAt: number;
}

/** `Invalid parameter: <what>` — the message shape SNS uses for almost every bad input. */
export function invalid(what: string): ServiceError {
  return awsError('InvalidParameter', `Invalid parameter: ${what}`);
}

/** SNS's InvalidParameterValueException travels as `ParameterValueInvalid` on the Query wire. */
export function invalidValue(message: string): ServiceError {
  return awsError('InvalidParameterValue', message, undefined, { queryCode: 'ParameterValueInvalid' });
}

export function topicNotFound(): ServiceError {
  return awsError('NotFound', 'Topic does not exist');
}

export function subscriptionNotFound(): ServiceError {
  return awsError('NotFound', 'Subscription does not exist');
}

export function topicArnOf(region: string, accountId: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

export interface TopicArnParts {
  region: string;
  accountId: string;
  name: string;
}

/** Reads a topic ARN; a missing or malformed one is InvalidParameter as AWS words it. */
export function parseTopicArn(value: unknown, member = 'TopicArn'): TopicArnParts & { arn: string } {
  if (typeof value !== 'string' || value === '') throw invalid(`${member} Reason: no value for required parameter`);
  const a = parseArn(value);
  if (!a) throw invalid(`${member} Reason: An ARN must have at least 6 elements, not ${value.split(':').length}`);
  if (a.service !== 'sns' || a.resource === '' || a.resource.includes(':')) throw invalid(member);
  return { arn: value, region: a.region, accountId: a.accountId, name: a.resource };
}

/** Reads a subscription ARN (`<topic arn>:<id>`); undefined topic parts when it is not one. */
export function parseSubscriptionArn(value: unknown): { arn: string; topicArn: string; region: string; accountId: string } {
  if (typeof value !== 'string' || value === '') throw invalid('SubscriptionArn Reason: no value for required parameter');
  const a = parseArn(value);
  if (!a) throw invalid(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${value.split(':').length}`);
  const cut = a.resource.lastIndexOf(':');
  if (a.service !== 'sns' || cut <= 0) throw invalid('SubscriptionId');
  return { arn: value, topicArn: value.slice(0, value.lastIndexOf(':')), region: a.region, accountId: a.accountId };
}

export function optString(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireString(input: Record<string, unknown>, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw invalid(`${name} Reason: no value for required parameter`);
  return v;
}

/** Attribute maps arrive as plain objects of strings (Attributes.entry.N.key/value). */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, val] of Object.entries(v)) out[k] = typeof val === 'string' ? val : String(val ?? '');
  }
  return out;
}

export function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.toLowerCase() === 'true';
}
