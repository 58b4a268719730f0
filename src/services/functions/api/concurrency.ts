/**
 * @module services/functions/api/concurrency
 * PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency: reserved concurrency
 * of the function as a whole. The account has 1000 concurrent executions and AWS keeps at least
 * 100 of them unreserved, so a reservation that would leave fewer is refused. Enforcing the
 * number is the runtime's business (resolve.ts hands it over).
 */
import type { Concurrency, GetFunctionConcurrencyResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { invalid, optInt, Violations, type Input } from '../model/input.js';
import { CONCURRENT_EXECUTIONS, MINIMUM_UNRESERVED_CONCURRENCY } from '../model/limits.js';
import { parseFunctionRef, requireUnqualified, type FunctionRef } from '../model/names.js';
import { reservedConcurrencyElsewhere, setReservedConcurrency } from '../store.js';
import { requireFunction } from './common.js';

function functionOf(input: Input, ctx: RequestContext, action: string): FunctionRef {
  const ref = parseFunctionRef(input.FunctionName, ctx, { action, maxLength: 140 });
  requireUnqualified(ref);
  return ref;
}

export async function putFunctionConcurrency(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<Concurrency> {
  const ref = functionOf(input, ctx, 'lambda:PutFunctionConcurrency');
  const reserved = optInt(input, 'ReservedConcurrentExecutions');
  const v = new Violations();
  if (v.required(reserved, 'reservedConcurrentExecutions')) v.range(reserved, 'reservedConcurrentExecutions', 0, Number.MAX_SAFE_INTEGER);
  v.throwIfAny();
  await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    const others = await reservedConcurrencyElsewhere(tx, ref.scope, ref.name);
    if (CONCURRENT_EXECUTIONS - others - reserved! < MINIMUM_UNRESERVED_CONCURRENCY) {
      throw invalid(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED_CONCURRENCY}].`);
    }
    await setReservedConcurrency(tx, ref.scope, ref.name, reserved!);
  });
  return { ReservedConcurrentExecutions: reserved };
}

export async function getFunctionConcurrency(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<GetFunctionConcurrencyResponse> {
  const ref = functionOf(input, ctx, 'lambda:GetFunctionConcurrency');
  const f = await requireFunction(d.store, ref);
  return f.reservedConcurrency === null ? {} : { ReservedConcurrentExecutions: f.reservedConcurrency };
}

export async function deleteFunctionConcurrency(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = functionOf(input, ctx, 'lambda:DeleteFunctionConcurrency');
  await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    await setReservedConcurrency(tx, ref.scope, ref.name, null);
  });
  return {};
}
