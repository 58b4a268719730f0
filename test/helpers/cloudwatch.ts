/**
 * What the CloudWatch SDK tests share: the three wire protocols a client can be built for, and
 * the check of an AWS error as the SDK surfaces it.
 */
import assert from 'node:assert/strict';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';

/** Spread `extra` into the client's configuration; `prefix` keeps each protocol's names apart. */
export const CLOUDWATCH_PROTOCOLS = [
  { label: 'JSON 1.0', prefix: 'json', extra: {} },
  { label: 'RPC v2 CBOR', prefix: 'cbor', extra: { protocol: AwsSmithyRpcV2CborProtocol } },
  { label: 'Query', prefix: 'query', extra: { protocol: AwsQueryProtocol } },
] as const;

/**
 * Asserts that `p` rejects with an AWS error: its SDK name, its Query code (from the Query body,
 * or from x-amzn-query-error on JSON and CBOR; the name when there is none) and HTTP status.
 * Answers the error for further checks.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rejectsAws(p: Promise<unknown>, want: { name?: string; code?: string; status: number }): Promise<any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let err: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await assert.rejects(p, (e: any) => {
    err = e;
    if (want.name !== undefined) assert.equal(e.name, want.name, `expected ${want.name}, got ${e.name}: ${e.message}`);
    if (want.code !== undefined) assert.equal(e.Code ?? e.name, want.code, `expected ${want.code}, got ${e.name} (${e.Code}): ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, want.status);
    return true;
  });
  return err;
}
