/**
 * @module services/functions/invoke/api
 * Invoke (RequestResponse, Event, DryRun) and the deprecated InvokeAsync.
 *
 * RequestResponse runs the function and answers its result with AWS's headers: the version that
 * ran (X-Amz-Executed-Version), `X-Amz-Function-Error: Unhandled` with the runtime's error JSON
 * as the payload, and with `LogType: Tail` the last 4 KB of the invocation's log, base64, in
 * X-Amz-Log-Result. Event queues the event durably and answers 202; DryRun checks the function
 * can be invoked and answers 204.
 */
import { awsError } from '../../../core/errors.js';
import type { RequestContext } from '../../service.js';
import { optBlob, optString } from '../model/input.js';
import type { ResolvedFunction } from '../resolve.js';
import { enqueueAsync, MAX_ASYNC_PAYLOAD, type AsyncDeps } from './async.js';
import { invokedArn } from './invoker.js';

/** Lambda's limit for a synchronous request's payload */
const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
const MAX_CLIENT_CONTEXT = 3583;

type Input = Record<string, unknown>;

function tooLarge(size: number, limit: number) {
  return awsError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, { Type: 'User' });
}

/** The event the function receives: JSON as the caller sent it (no body at all is `{}`). */
function eventOf(payload: Buffer | undefined): Buffer {
  if (!payload || payload.length === 0) return Buffer.from('{}');
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (e) {
    throw awsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`, { Type: 'User' });
  }
  return payload;
}

function requireActive(fn: ResolvedFunction): void {
  if (fn.state.state === 'Active') return;
  throw awsError(
    'ResourceConflictException',
    `The operation cannot be performed at this time. The function is currently in the following state: ${fn.state.state}`,
    { Type: 'User' },
  );
}

export async function invoke(d: AsyncDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = optString(input, 'FunctionName') ?? '';
  const qualifier = optString(input, 'Qualifier');
  const type = optString(input, 'InvocationType') ?? 'RequestResponse';
  const logType = optString(input, 'LogType') ?? 'None';
  const clientContext = optString(input, 'ClientContext');
  if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
    throw awsError('InvalidParameterValueException', `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  if (!['None', 'Tail'].includes(logType)) {
    throw awsError('InvalidParameterValueException', `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`);
  }
  if (clientContext !== undefined && clientContext.length > MAX_CLIENT_CONTEXT) {
    throw awsError('InvalidParameterValueException', `Client context must be at most ${MAX_CLIENT_CONTEXT} bytes`);
  }
  const raw = optBlob(input, 'Payload');
  const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
  if (raw && raw.length > limit) throw tooLarge(raw.length, limit);
  const event = eventOf(raw);
  const fn = await d.functions.resolve(ctx, name, qualifier);
  requireActive(fn);

  if (type === 'DryRun') return { StatusCode: 204 };
  if (type === 'Event') {
    await enqueueAsync(d, { caller: ctx, functionName: name, qualifier, fn, requestId: ctx.requestId, event });
    return { StatusCode: 202 };
  }
  const out = await d.invoker.run(fn, {
    requestId: ctx.requestId,
    payload: event,
    invokedFunctionArn: invokedArn(fn, name, qualifier),
    clientContext,
  });
  return {
    StatusCode: 200,
    ExecutedVersion: fn.executedVersion,
    FunctionError: out.functionError,
    LogResult: logType === 'Tail' ? Buffer.from(out.logText, 'utf8').toString('base64') : undefined,
    Payload: out.payload,
  };
}

/** The deprecated InvokeAsync: an Event invocation of at most 256 KB, answered with Status 202. */
export async function invokeAsync(d: AsyncDeps, input: Input, ctx: RequestContext): Promise<object> {
  const name = optString(input, 'FunctionName') ?? '';
  const raw = optBlob(input, 'InvokeArgs');
  if (raw && raw.length > 256 * 1024) throw tooLarge(raw.length, 256 * 1024);
  const fn = await d.functions.resolve(ctx, name);
  requireActive(fn);
  await enqueueAsync(d, { caller: ctx, functionName: name, fn, requestId: ctx.requestId, event: eventOf(raw) });
  return { Status: 202 };
}
