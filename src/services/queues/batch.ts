/**
 * @module services/queues/batch
 * The rules every *Batch operation shares: 1–10 entries, distinct ids of 1–80 of
 * [A-Za-z0-9_-], and per-entry failures reported as `{ Id, SenderFault, Code, Message }` while
 * the other entries go ahead.
 *
 * The batch error codes are shared with SNS in the catalogue; SQS's Query clients know them by
 * their `AWS.SimpleQueueService.*` names, given per throw.
 */
import { awsError, type ErrorCode, type ServiceError } from '../../core/errors.js';
import type { Input } from './context.js';

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

function batchError(code: ErrorCode, message: string): ServiceError {
  return awsError(code, message, undefined, { queryCode: `AWS.SimpleQueueService.${code}` });
}

/** The entries of a batch request, or the AWS error for the batch as a whole. */
export function checkBatchEntries(entries: unknown, entryName: string): Input[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw batchError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > 10) {
    throw batchError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
  }
  const seen = new Set<string>();
  for (const e of entries as Input[]) {
    const id = e?.Id;
    if (typeof id !== 'string' || !ENTRY_ID.test(id)) {
      throw batchError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw batchError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries as Input[];
}

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

export function batchFailure(id: string, err: ServiceError): BatchFailure {
  return { Id: id, SenderFault: err.fault === 'Sender', Code: err.code, Message: err.message };
}
