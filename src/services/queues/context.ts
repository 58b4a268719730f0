/**
 * @module services/queues/context
 * What every SQS operation is handed: the store, the clock, the public URL, the long-poll
 * waiters, and a way to nudge the background work (move tasks) when a task starts.
 */
import type { Clock } from '../../core/clock.js';
import { awsError, type ServiceError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import type { Waiters } from './waiters.js';

export interface QueuesDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  /** base of queue URLs: `<publicUrl>/<account>/<name>` */
  publicUrl: string;
  waiters: Waiters;
  /** a move task was started: run it now rather than at the next tick */
  wakeMoves(): void;
}

export type Input = Record<string, unknown>;
export type Operation = (d: QueuesDeps, input: Input, ctx: RequestContext) => Promise<object>;

/** The SenderId AWS reports for a caller: the account for root, else the caller's key. */
export function senderIdOf(ctx: Pick<RequestContext, 'accessKeyId' | 'accountId' | 'principalArn'>): string {
  if (ctx.principalArn.endsWith(':root') || ctx.accessKeyId === '') return ctx.accountId;
  return ctx.accessKeyId;
}

/** An optional integer request parameter within [min, max], with AWS's wording when it is not. */
export function optInt(input: Input, name: string, min: number, max: number, reason?: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidParameter(name, String(v), reason ?? `Must be between ${min} and ${max}, if provided.`);
  }
  return v;
}

export function invalidParameter(name: string, value: string, reason: string): ServiceError {
  return awsError('InvalidParameterValue', `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
}

export function optString(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw awsError('InvalidParameterValue', `Value for parameter ${name} is invalid.`);
  return v;
}

export function requireString(input: Input, name: string): string {
  const v = optString(input, name);
  if (v === undefined || v === '') throw awsError('MissingParameter', `The request must contain the parameter ${name}.`);
  return v;
}

export function stringList(input: Input, name: string): string[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw awsError('InvalidParameterValue', `Value for parameter ${name} is invalid.`);
  return v as string[];
}

