/**
 * @module services/queues/attributes
 * Queue attributes: which exist, their ranges and defaults, and the normal form they are stored
 * and reported in (AWS reports every attribute as a string).
 *
 * Checks here need nothing but the request; rules that need other queues (a RedrivePolicy's
 * dead-letter queue exists and has the same type, its RedriveAllowPolicy lets this queue in) are
 * in `queues.ts`. Stored attributes are the settable ones, defaults filled in at creation, so a
 * queue keeps the values it was created with.
 */
import { parseArn } from '../../core/arn.js';
import { awsError } from '../../core/errors.js';

export type QueueAttributes = Record<string, string>;

interface IntRange { min: number; max: number; dflt?: number }

const INTEGERS: Record<string, IntRange> = {
  DelaySeconds: { min: 0, max: 900, dflt: 0 },
  MaximumMessageSize: { min: 1024, max: 262_144, dflt: 262_144 },
  MessageRetentionPeriod: { min: 60, max: 1_209_600, dflt: 345_600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20, dflt: 0 },
  VisibilityTimeout: { min: 0, max: 43_200, dflt: 30 },
  KmsDataKeyReusePeriodSeconds: { min: 60, max: 86_400 },
};

const COMMON_SETTABLE = new Set([
  ...Object.keys(INTEGERS), 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'SqsManagedSseEnabled',
]);
const FIFO_SETTABLE = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
/** Computed on every read, never set. */
const COMPUTED = [
  'QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp', 'LastModifiedTimestamp',
];
/** Every name GetQueueAttributes accepts. */
export const READABLE = new Set(['All', ...COMPUTED, ...COMMON_SETTABLE, ...FIFO_SETTABLE, 'FifoQueue']);
const FIFO_ONLY = new Set([...FIFO_SETTABLE, 'FifoQueue']);

export interface RedrivePolicy { deadLetterTargetArn: string; maxReceiveCount: number }
export interface RedriveAllowPolicy { redrivePermission: 'allowAll' | 'denyAll' | 'byQueue'; sourceQueueArns?: string[] }

function invalidValue(name: string, reason?: string): never {
  throw awsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`);
}

function unknownName(name: string): never {
  throw awsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
}

function parseJsonObject(name: string, value: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    invalidValue(name);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) invalidValue(name);
  return doc as Record<string, unknown>;
}

function normaliseBool(name: string, value: string): string {
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') invalidValue(name);
  return v;
}

/** RedrivePolicy in its normal form (`maxReceiveCount` a number), or '' to remove it. */
export function normaliseRedrivePolicy(value: string): string {
  if (value.trim() === '') return '';
  const doc = parseJsonObject('RedrivePolicy', value);
  const arn = doc.deadLetterTargetArn;
  const count = typeof doc.maxReceiveCount === 'string' ? Number(doc.maxReceiveCount) : doc.maxReceiveCount;
  if (typeof arn !== 'string' || parseArn(arn)?.service !== 'sqs') {
    invalidValue('RedrivePolicy', 'Invalid value for deadLetterTargetArn.');
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1000) {
    invalidValue('RedrivePolicy', 'Invalid value for maxReceiveCount: must be an integer from 1 to 1000.');
  }
  return JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: count });
}

export function normaliseRedriveAllowPolicy(value: string): string {
  if (value.trim() === '') return '';
  const doc = parseJsonObject('RedriveAllowPolicy', value);
  const perm = doc.redrivePermission;
  if (perm !== 'allowAll' && perm !== 'denyAll' && perm !== 'byQueue') {
    invalidValue('RedriveAllowPolicy', 'redrivePermission must be allowAll, denyAll or byQueue.');
  }
  const arns = doc.sourceQueueArns;
  if (perm === 'byQueue') {
    if (!Array.isArray(arns) || arns.length === 0 || arns.length > 10 || !arns.every((a) => typeof a === 'string')) {
      invalidValue('RedriveAllowPolicy', 'byQueue needs sourceQueueArns: 1 to 10 queue ARNs.');
    }
    return JSON.stringify({ redrivePermission: perm, sourceQueueArns: arns });
  }
  if (arns !== undefined) invalidValue('RedriveAllowPolicy', 'sourceQueueArns is allowed only with byQueue.');
  return JSON.stringify({ redrivePermission: perm });
}

/** One requested attribute in its stored form ('' = remove, for the JSON policies). */
function normaliseOne(name: string, value: unknown, fifo: boolean, creating: boolean): string {
  if (typeof value !== 'string') invalidValue(name);
  if (name === 'FifoQueue') {
    if (!creating) invalidValue(name, 'Modifying queue type is not supported.');
    return normaliseBool(name, value);
  }
  if (FIFO_ONLY.has(name) && !fifo) unknownName(name);
  if (!COMMON_SETTABLE.has(name) && !FIFO_SETTABLE.has(name)) unknownName(name);
  const range = INTEGERS[name];
  if (range) {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || n < range.min || n > range.max) invalidValue(name);
    return String(n);
  }
  switch (name) {
    case 'SqsManagedSseEnabled':
    case 'ContentBasedDeduplication':
      return normaliseBool(name, value);
    case 'DeduplicationScope':
      if (value !== 'queue' && value !== 'messageGroup') invalidValue(name);
      return value;
    case 'FifoThroughputLimit':
      if (value !== 'perQueue' && value !== 'perMessageGroupId') invalidValue(name);
      return value;
    case 'Policy':
      if (value.trim() === '') return '';
      parseJsonObject(name, value);
      return value;
    case 'RedrivePolicy':
      return normaliseRedrivePolicy(value);
    case 'RedriveAllowPolicy':
      return normaliseRedriveAllowPolicy(value);
    default:
      return value; // KmsMasterKeyId: any key id or alias
  }
}

/** The requested attributes in stored form; `FifoQueue` is only accepted when creating. */
export function normaliseRequested(input: unknown, fifo: boolean, creating: boolean): QueueAttributes {
  const out: QueueAttributes = {};
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object') throw awsError('InvalidParameterValue', 'Attributes must be a map of attribute names to values.');
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) out[name] = normaliseOne(name, value, fifo, creating);
  return out;
}

/** The attributes a new queue stores: defaults, then the request. */
export function initialAttributes(requested: QueueAttributes, fifo: boolean): QueueAttributes {
  const out: QueueAttributes = {};
  for (const [name, r] of Object.entries(INTEGERS)) if (r.dflt !== undefined) out[name] = String(r.dflt);
  out.SqsManagedSseEnabled = 'true';
  if (fifo) {
    out.FifoQueue = 'true';
    out.ContentBasedDeduplication = 'false';
    out.DeduplicationScope = 'queue';
    out.FifoThroughputLimit = 'perQueue';
  }
  return merge(out, requested);
}

/** `current` with `changes` applied ('' removes a policy) and the cross-attribute rules checked. */
export function merge(current: QueueAttributes, changes: QueueAttributes): QueueAttributes {
  const out = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (name === 'FifoQueue') continue; // fixed at creation, already stored
    if (value === '' && (name === 'Policy' || name === 'RedrivePolicy' || name === 'RedriveAllowPolicy' || name === 'KmsMasterKeyId')) delete out[name];
    else out[name] = value;
  }
  if (changes.KmsMasterKeyId && changes.SqsManagedSseEnabled === 'true') {
    invalidValue('SqsManagedSseEnabled', 'You can use one type of server-side encryption (SSE) at one time.');
  }
  if (changes.KmsMasterKeyId) {
    out.SqsManagedSseEnabled = 'false';
    out.KmsDataKeyReusePeriodSeconds ??= '300';
  } else if (changes.SqsManagedSseEnabled === 'true') {
    delete out.KmsMasterKeyId;
    delete out.KmsDataKeyReusePeriodSeconds;
  }
  if (out.FifoThroughputLimit === 'perMessageGroupId' && out.DeduplicationScope !== 'messageGroup') {
    invalidValue('FifoThroughputLimit', 'perMessageGroupId is allowed only when DeduplicationScope is messageGroup.');
  }
  return out;
}

/** The first requested attribute whose value differs from the queue's (CreateQueue idempotency). */
export function firstDifference(existing: QueueAttributes, requested: QueueAttributes, existingFifo: boolean): string | undefined {
  for (const [name, value] of Object.entries(requested)) {
    const have = name === 'FifoQueue' ? String(existingFifo) : existing[name] ?? '';
    if (have !== value) return name;
  }
  return undefined;
}

/** Names to report for GetQueueAttributes (`All` expands; unknown names are an error). */
export function requestedNames(names: readonly string[], fifo: boolean): string[] {
  const out = new Set<string>();
  for (const n of names) {
    if (!READABLE.has(n)) unknownName(n);
    if (n === 'All') {
      for (const c of COMPUTED) out.add(c);
      for (const c of [...COMMON_SETTABLE, 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy']) out.add(c);
      if (fifo) for (const c of FIFO_ONLY) out.add(c);
    } else if (fifo || !FIFO_ONLY.has(n)) out.add(n);
  }
  return [...out];
}

export function intAttribute(attrs: QueueAttributes, name: keyof typeof INTEGERS): number {
  const v = Number(attrs[name]);
  return Number.isFinite(v) ? v : INTEGERS[name].dflt ?? 0;
}

export function redrivePolicyOf(attrs: QueueAttributes): RedrivePolicy | undefined {
  return attrs.RedrivePolicy ? (JSON.parse(attrs.RedrivePolicy) as RedrivePolicy) : undefined;
}

export function redriveAllowPolicyOf(attrs: QueueAttributes): RedriveAllowPolicy | undefined {
  return attrs.RedriveAllowPolicy ? (JSON.parse(attrs.RedriveAllowPolicy) as RedriveAllowPolicy) : undefined;
}

export function parseStored(json: string): QueueAttributes {
  return JSON.parse(json) as QueueAttributes;
}
