/**
 * @module services/functions/invoke/concurrency
 * Lambda's concurrency limits, counted at the door: an invocation holds a slot of its account
 * (1,000 by default, as AWS) and of its function from the moment it is admitted until its outcome,
 * and a function with reserved concurrency never runs more than that many at once — nor draws
 * on the account's pool beyond it. Over a limit, a synchronous call is throttled
 * (TooManyRequestsException); an asynchronous event waits (see async.ts).
 */
import { CONCURRENT_EXECUTIONS } from '../model/limits.js';

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

export interface Slot {
  release(): void;
}

export class ConcurrencyLimits {
  private readonly byAccount = new Map<string, number>();
  private readonly byFunction = new Map<string, number>();

  constructor(private readonly accountLimit = CONCURRENT_EXECUTIONS) {}

  /** Admits one invocation of `functionArn` (unqualified), or says which limit it hit. */
  acquire(accountKey: string, functionArn: string, reserved: number | null): Slot | ThrottleReason {
    const fn = this.byFunction.get(functionArn) ?? 0;
    if (reserved !== null && fn >= reserved) return 'ReservedFunctionConcurrentInvocationLimitExceeded';
    const account = this.byAccount.get(accountKey) ?? 0;
    if (reserved === null && account >= this.accountLimit) return 'ConcurrentInvocationLimitExceeded';
    this.byFunction.set(functionArn, fn + 1);
    this.byAccount.set(accountKey, account + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.decrement(this.byFunction, functionArn);
        this.decrement(this.byAccount, accountKey);
      },
    };
  }

  /** Invocations running now: of one function, or of an account. */
  running(functionArn: string): number {
    return this.byFunction.get(functionArn) ?? 0;
  }

  private decrement(map: Map<string, number>, key: string): void {
    const n = (map.get(key) ?? 1) - 1;
    if (n <= 0) map.delete(key);
    else map.set(key, n);
  }
}
