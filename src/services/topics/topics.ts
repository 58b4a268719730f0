/**
 * @module services/topics/topics
 * CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes.
 *
 * CreateTopic is idempotent: the same name answers the existing ARN when the request carries no
 * attributes or the same attribute set the topic was created with (FifoTopic=false counts as
 * absent), and InvalidParameter "Topic already exists with different attributes" otherwise; the
 * same rule holds for tags. Topics live per account and region; an ARN naming another region
 * than the request's is InvalidParameter, one that names nothing is NotFound.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import type { TopicsDeps } from './deps.js';
import { invalid, isTrue, LIMITS, parseTopicArn, requireString, stringMap, topicArnOf, topicNotFound, type TopicRecord } from './model.js';
import { decodePageToken, encodePageToken } from './paging.js';
import * as db from './store.js';
import { applyTags, readTags } from './tagging.js';
import { checkTopicAttribute, CREATABLE, renderTopicAttributes, SETTABLE } from './topic-attributes.js';

type Input = Record<string, unknown>;

const NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

/** Reads a TopicArn of the caller's region and returns the topic, or NotFound. */
export async function requireTopic(d: TopicsDeps, value: unknown, ctx: RequestContext, member = 'TopicArn'): Promise<TopicRecord> {
  const arn = parseTopicArn(value, member);
  if (arn.region !== ctx.region) throw invalid(member);
  const entry = await d.cache.get(arn.arn);
  if (!entry) throw topicNotFound();
  return entry.topic;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

export async function createTopic(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = requireString(input, 'Name');
  const attrs = stringMap(input.Attributes);
  const tags = readTags(input.Tags);
  if (input.DataProtectionPolicy !== undefined) attrs.DataProtectionPolicy = String(input.DataProtectionPolicy);
  for (const k of Object.keys(attrs)) if (!CREATABLE.has(k)) throw invalid(`Attributes Reason: Unknown attribute ${k}`);
  const fifo = isTrue(attrs.FifoTopic);
  // AWS does not keep an explicit FifoTopic=false
  if (!fifo) delete attrs.FifoTopic;
  if (fifo ? !FIFO_NAME.test(name) : !NAME.test(name)) {
    throw invalid(fifo
      ? 'Topic Name Reason: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
      : 'Topic Name');
  }
  for (const [k, v] of Object.entries(attrs)) attrs[k] = checkTopicAttribute(k, v, fifo, 'Attributes Reason: ');
  const arn = topicArnOf(ctx.region, ctx.accountId, name);

  await d.store.transaction(async (tx) => {
    const existing = await db.getTopic(tx, arn);
    if (existing) {
      if (Object.keys(attrs).length > 0 && !sameMap(attrs, existing.createdAttributes)) {
        throw invalid('Attributes Reason: Topic already exists with different attributes');
      }
      if (tags && tags.length > 0) {
        const current = await db.tagsOf(tx, arn);
        if (current.size !== tags.length || tags.some((t) => current.get(t.Key) !== t.Value)) {
          throw invalid('Tags Reason: Topic already exists with different tags');
        }
      }
      return;
    }
    const count = await db.countTopics(tx, ctx.accountId, ctx.region, fifo);
    const max = fifo ? LIMITS.fifoTopicsPerAccount : LIMITS.standardTopicsPerAccount;
    if (count >= max) throw awsError('TopicLimitExceeded', 'Topic limit exceeded');
    if (tags && tags.length > LIMITS.tagsPerResource) throw awsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
    const topic: TopicRecord = {
      arn,
      accountId: ctx.accountId,
      region: ctx.region,
      name,
      fifo,
      attributes: { ...attrs },
      createdAttributes: { ...attrs },
      subscriptionsDeleted: 0,
      createdAt: d.clock.ms(),
    };
    await db.insertTopic(tx, topic);
    if (tags) await applyTags(tx, arn, tags);
  });
  d.cache.invalidate(arn);
  return { TopicArn: arn };
}

export async function deleteTopic(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const arn = parseTopicArn(input.TopicArn);
  if (arn.region !== ctx.region) throw invalid('TopicArn');
  // deleting a topic that does not exist succeeds, as in AWS
  await d.store.transaction((tx) => db.deleteTopic(tx, arn.arn));
  d.cache.invalidate(arn.arn);
  return {};
}

export async function listTopics(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const after = decodePageToken(input.NextToken, 't');
  const arns = await db.listTopics(d.store, ctx.accountId, ctx.region, after ?? '', LIMITS.pageSize + 1);
  const page = arns.slice(0, LIMITS.pageSize);
  const out: Record<string, unknown> = { Topics: page.map((TopicArn) => ({ TopicArn })) };
  if (arns.length > LIMITS.pageSize) out.NextToken = encodePageToken('t', page[page.length - 1]);
  return out;
}

export async function getTopicAttributes(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const topic = await requireTopic(d, input.TopicArn, ctx);
  const counts = await db.subscriptionCounts(d.store, topic.arn);
  const fresh = (await db.getTopic(d.store, topic.arn)) ?? topic;
  return { Attributes: renderTopicAttributes(fresh, counts) };
}

export async function setTopicAttributes(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const topic = await requireTopic(d, input.TopicArn, ctx);
  const name = requireString(input, 'AttributeName');
  if (!SETTABLE.has(name)) throw invalid('AttributeName');
  const value = checkTopicAttribute(name, typeof input.AttributeValue === 'string' ? input.AttributeValue : '', topic.fifo, '');
  await d.store.transaction(async (tx) => {
    const current = await db.getTopic(tx, topic.arn);
    if (!current) throw topicNotFound();
    const attrs = { ...current.attributes };
    if (value === '') delete attrs[name];
    else attrs[name] = value;
    await db.updateTopicAttributes(tx, topic.arn, attrs);
  });
  d.cache.invalidate(topic.arn);
  return {};
}
