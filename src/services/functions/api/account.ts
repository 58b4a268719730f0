/**
 * @module services/functions/api/account
 * GetAccountSettings: AWS's default quotas for the region, and what the caller uses of them.
 */
import type { GetAccountSettingsResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import type { Input } from '../model/input.js';
import { CODE_SIZE_UNZIPPED, CODE_SIZE_ZIPPED, CONCURRENT_EXECUTIONS, TOTAL_CODE_SIZE } from '../model/limits.js';
import { scopeOf } from '../model/names.js';
import { countFunctions, reservedConcurrencyElsewhere, totalCodeSize } from '../store.js';

export async function getAccountSettings(d: FunctionsDeps, _input: Input, ctx: RequestContext): Promise<GetAccountSettingsResponse> {
  const scope = scopeOf(ctx);
  const reserved = await reservedConcurrencyElsewhere(d.store, scope, null);
  return {
    AccountLimit: {
      TotalCodeSize: TOTAL_CODE_SIZE,
      CodeSizeUnzipped: CODE_SIZE_UNZIPPED,
      CodeSizeZipped: CODE_SIZE_ZIPPED,
      ConcurrentExecutions: CONCURRENT_EXECUTIONS,
      UnreservedConcurrentExecutions: CONCURRENT_EXECUTIONS - reserved,
    },
    AccountUsage: { TotalCodeSize: await totalCodeSize(d.store, scope), FunctionCount: await countFunctions(d.store, scope) },
  };
}
