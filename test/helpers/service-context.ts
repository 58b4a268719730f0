/**
 * What the unit-test harnesses of every service share: a RequestContext as the gateway would
 * build it, and calling one operation's handler the way the gateway does.
 */
import assert from 'node:assert/strict';
import type { RequestContext, ServiceDefinition, UndecodedInput } from '../../src/services/service.js';

export function requestContext(caller: { accountId: string; region: string; principalArn?: string }, over: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: 'req-1',
    accountId: caller.accountId,
    region: caller.region,
    accessKeyId: 'AKIDTEST',
    principalArn: caller.principalArn ?? `arn:aws:iam::${caller.accountId}:root`,
    sourceIp: '127.0.0.1',
    userAgent: 'node-test',
    now: new Date(),
    ...over,
  };
}

/**
 * Runs `operation`'s handler; fails the test when the service has none. An operation that
 * decodes its own request gets one whose decoding answers `input`.
 */
export async function callOperation<T>(service: ServiceDefinition, operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<T> {
  const handler = service.handlers[operation];
  assert.ok(handler, `no handler for ${operation}`);
  if (service.undecodedOperations?.has(operation)) {
    const undecoded: UndecodedInput = { wire: { method: 'POST', path: '/', rawQuery: '', headers: {}, body: Buffer.alloc(0) }, protocol: 'json', decode: () => input };
    return (await handler(undecoded, ctx)) as T;
  }
  return (await handler(input, ctx)) as T;
}
