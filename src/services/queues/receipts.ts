/**
 * @module services/queues/receipts
 * Receipt handles: `base64url("<queue id>:<message row>:<token>")`, the token being new on each
 * receive and stored with the message.
 *
 * Why this shape: the handle has to name its message without any memory of the server (handles
 * stay valid across a restart), belong to one queue (a handle used on another queue is invalid),
 * and stop working for deletion once the message has been received again (only the latest token
 * matches, as in AWS where the most recent receipt handle is the one that deletes).
 */
import { randomBytes } from 'node:crypto';
import { awsError, type ServiceError } from '../../core/errors.js';

export interface Receipt {
  queueId: number;
  rowId: number;
  token: string;
}

export function newToken(): string {
  return randomBytes(18).toString('base64url');
}

export function formatReceipt(queueId: number, rowId: number, token: string): string {
  return Buffer.from(`${queueId}:${rowId}:${token}`, 'utf8').toString('base64url');
}

export function parseReceipt(handle: unknown): Receipt | undefined {
  if (typeof handle !== 'string' || handle.length === 0 || handle.length > 1024) return undefined;
  const m = /^(\d{1,15}):(\d{1,15}):([A-Za-z0-9_-]{8,64})$/.exec(Buffer.from(handle, 'base64url').toString('utf8'));
  if (!m) return undefined;
  return { queueId: Number(m[1]), rowId: Number(m[2]), token: m[3] };
}

export function invalidReceipt(handle: unknown): ServiceError {
  // ReceiptHandleIsInvalid is a 404 in SQS's model (400 in the shared catalogue).
  return awsError('ReceiptHandleIsInvalid', `The input receipt handle "${String(handle)}" is not a valid receipt handle.`, undefined, { status: 404 });
}
