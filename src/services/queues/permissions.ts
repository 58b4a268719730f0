/**
 * @module services/queues/permissions
 * AddPermission / RemovePermission: edit the queue's Policy document the way SQS does (one
 * statement per label). The policy is stored and reported; Signalbox does not evaluate it.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import { parseStored } from './attributes.js';
import { invalidParameter, requireString, stringList, type Input, type QueuesDeps } from './context.js';
import { arnOf, noSuchQueue, queueFromUrl, scopeOf } from './names.js';
import { queueByName, updateQueueAttributes, type QueueRow } from './store.js';

interface Policy { Version: string; Id?: string; Statement: Array<Record<string, unknown>> }

async function editPolicy(d: QueuesDeps, ctx: RequestContext, q: QueueRow, edit: (p: Policy, fresh: QueueRow) => void): Promise<void> {
  await d.store.transaction(async (tx) => {
    const fresh = await queueByName(tx, scopeOf(ctx), q.name);
    if (!fresh) noSuchQueue();
    const attrs = parseStored(fresh.attributes);
    const policy: Policy = attrs.Policy ? (JSON.parse(attrs.Policy) as Policy) : { Version: '2012-10-17', Id: `${arnOf(fresh)}/SQSDefaultPolicy`, Statement: [] };
    if (!Array.isArray(policy.Statement)) policy.Statement = policy.Statement ? [policy.Statement] : [];
    edit(policy, fresh);
    if (policy.Statement.length > 0) attrs.Policy = JSON.stringify(policy);
    else delete attrs.Policy;
    await updateQueueAttributes(tx, fresh.id, JSON.stringify(attrs), fresh.dlq_arn, d.clock.ms());
  });
}

export async function addPermission(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const label = requireString(input, 'Label');
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) throw invalidParameter('Label', label, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  const accounts = stringList(input, 'AWSAccountIds');
  const actions = stringList(input, 'Actions');
  if (accounts.length === 0) throw awsError('MissingParameter', 'The request must contain the parameter AWSAccountIds.');
  if (actions.length === 0) throw awsError('MissingParameter', 'The request must contain the parameter Actions.');
  await editPolicy(d, ctx, q, (p, fresh) => {
    if (p.Statement.some((s) => s.Sid === label)) throw invalidParameter('Label', label, 'Already exists.');
    const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
    const acts = actions.map((a) => (a === '*' ? 'SQS:*' : `SQS:${a}`));
    p.Statement.push({
      Sid: label, Effect: 'Allow',
      Principal: { AWS: principals.length === 1 ? principals[0] : principals },
      Action: acts.length === 1 ? acts[0] : acts,
      Resource: arnOf(fresh),
    });
  });
  return {};
}

export async function removePermission(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const label = requireString(input, 'Label');
  await editPolicy(d, ctx, q, (p) => {
    const before = p.Statement.length;
    p.Statement = p.Statement.filter((s) => s.Sid !== label);
    if (p.Statement.length === before) throw invalidParameter('Label', label, "can't find label on existing policy.");
  });
  return {};
}
