/**
 * @module services/functions/api/event-invoke
 * Put/Get/Update/Delete/ListFunctionEventInvokeConfig: how asynchronous invocations of a version
 * or alias are retried (0–2 retries, events up to 6 h old) and where their outcome goes
 * (OnSuccess/OnFailure: an SQS queue, SNS topic, Lambda function or EventBridge bus). Stored
 * here; the async invoke path reads it through `resolve.ts`.
 */
import type { FunctionEventInvokeConfig, ListFunctionEventInvokeConfigsResponse } from '@aws-sdk/client-lambda';
import type { Queryable } from '../../../store/store.js';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { invalid, notFound, optInt, optObject, optString, Violations, type Input } from '../model/input.js';
import { MAX_EVENT_AGE, MAX_RETRY_ATTEMPTS, MIN_EVENT_AGE } from '../model/limits.js';
import { kindOf, LATEST, parseFunctionRef, qualifiedArn, type FunctionRef, type Scope } from '../model/names.js';
import { isString, page, pageSize, readMarker } from '../model/paging.js';
import {
  deleteEventInvokeConfig as deleteRow, getAlias, getEventInvokeConfig as findConfig, getFunction, getVersion, listEventInvokeConfigs as listRows,
  putEventInvokeConfig as putRow, type EventInvokeRecord,
} from '../store.js';

const DESTINATION_PATTERN = '^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const DESTINATION = /^$|^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d)?:(\d{12})?:(.*)$/;
const DESTINATION_SERVICES = new Set(['sqs', 'sns', 'lambda', 'events']);
const LAMBDA_DESTINATION = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:([a-zA-Z0-9-_]+)(:.+)?$/;

export function renderEventInvokeConfig(scope: Scope, fn: string, c: EventInvokeRecord): FunctionEventInvokeConfig {
  const out: FunctionEventInvokeConfig = {
    LastModified: new Date(c.modifiedAt),
    FunctionArn: qualifiedArn(scope, fn, c.qualifier),
    DestinationConfig: {
      OnSuccess: c.onSuccess ? { Destination: c.onSuccess } : {},
      OnFailure: c.onFailure ? { Destination: c.onFailure } : {},
    },
  };
  if (c.maxRetryAttempts !== null) out.MaximumRetryAttempts = c.maxRetryAttempts;
  if (c.maxEventAge !== null) out.MaximumEventAgeInSeconds = c.maxEventAge;
  return out;
}

interface Settings {
  maxRetryAttempts?: number;
  maxEventAge?: number;
  /** present when DestinationConfig was given; '' clears a destination */
  onSuccess?: string;
  onFailure?: string;
  hasDestinations: boolean;
}

function readSettings(input: Input): Settings {
  const v = new Violations();
  const maxRetryAttempts = optInt(input, 'MaximumRetryAttempts');
  v.range(maxRetryAttempts, 'maximumRetryAttempts', 0, MAX_RETRY_ATTEMPTS);
  const maxEventAge = optInt(input, 'MaximumEventAgeInSeconds');
  v.range(maxEventAge, 'maximumEventAgeInSeconds', MIN_EVENT_AGE, MAX_EVENT_AGE);
  const dc = optObject(input, 'DestinationConfig');
  const onSuccess = dc ? optString(optObject(dc, 'OnSuccess') ?? {}, 'Destination') : undefined;
  const onFailure = dc ? optString(optObject(dc, 'OnFailure') ?? {}, 'Destination') : undefined;
  v.pattern(onSuccess, 'destinationConfig.onSuccess.destination', DESTINATION, DESTINATION_PATTERN);
  v.pattern(onFailure, 'destinationConfig.onFailure.destination', DESTINATION, DESTINATION_PATTERN);
  v.throwIfAny();
  return { maxRetryAttempts, maxEventAge, onSuccess, onFailure, hasDestinations: dc !== undefined };
}

/** Lambda's rules for destinations beyond the pattern: which services, and no self-invocation. */
async function checkDestinations(tx: Queryable, ref: FunctionRef, s: Settings): Promise<void> {
  const bad = () => {
    const part = (kind: string, arn: string | undefined) => (arn ? `${kind}(destination=${arn})` : 'null');
    return invalid(`The provided destination config DestinationConfig(onSuccess=${part('OnSuccess', s.onSuccess)}, onFailure=${part('OnFailure', s.onFailure)}) is invalid.`);
  };
  for (const arn of [s.onSuccess, s.onFailure]) {
    if (!arn) continue;
    const service = arn.split(':')[2];
    if (!DESTINATION_SERVICES.has(service)) throw bad();
    if (service !== 'lambda') continue;
    const m = LAMBDA_DESTINATION.exec(arn);
    if (!m) throw bad();
    const [, region, account, name] = m;
    if (region === ref.scope.region && account === ref.scope.accountId && name === ref.name) {
      throw invalid("You can't specify the function as a destination for itself.");
    }
    if (region === ref.scope.region && account === ref.scope.accountId && !(await getFunction(tx, ref.scope, name))) {
      throw invalid(`The destination ARN ${arn} is invalid.`);
    }
  }
}

function refOf(input: Input, ctx: RequestContext, action: string): FunctionRef {
  return parseFunctionRef(input.FunctionName, ctx, { qualifier: optString(input, 'Qualifier'), action, maxLength: 140 });
}

/** The function and the version or alias must exist for a configuration to be put on them. */
async function requireQualified(tx: Queryable, ref: FunctionRef): Promise<string> {
  const qualifier = ref.qualifier ?? LATEST;
  const fn = await getFunction(tx, ref.scope, ref.name);
  const exists = fn && (kindOf(qualifier) === 'alias'
    ? await getAlias(tx, ref.scope, ref.name, qualifier)
    : await getVersion(tx, ref.scope, ref.name, qualifier));
  if (!exists) throw notFound("The function doesn't exist.");
  return qualifier;
}

function noConfig(ref: FunctionRef): Error {
  return notFound(`The function ${qualifiedArn(ref.scope, ref.name, ref.qualifier ?? LATEST)} doesn't have an EventInvokeConfig`);
}

async function write(d: FunctionsDeps, input: Input, ctx: RequestContext, merge: boolean): Promise<FunctionEventInvokeConfig> {
  const ref = refOf(input, ctx, merge ? 'lambda:UpdateFunctionEventInvokeConfig' : 'lambda:PutFunctionEventInvokeConfig');
  const s = readSettings(input);
  if (s.maxRetryAttempts === undefined && s.maxEventAge === undefined && !s.hasDestinations) {
    throw invalid('You must specify at least one of error handling or destination setting.');
  }
  const saved = await d.store.transaction(async (tx) => {
    const qualifier = await requireQualified(tx, ref);
    const current = merge ? await findConfig(tx, ref.scope, ref.name, qualifier) : undefined;
    if (merge && !current) throw noConfig(ref);
    await checkDestinations(tx, ref, s);
    const keep = <T>(given: T | undefined, old: T | null | undefined): T | null => (given !== undefined ? given : merge ? old ?? null : null);
    const c: EventInvokeRecord = {
      qualifier,
      maxRetryAttempts: keep(s.maxRetryAttempts, current?.maxRetryAttempts),
      maxEventAge: keep(s.maxEventAge, current?.maxEventAge),
      onSuccess: s.hasDestinations ? s.onSuccess || null : keep(undefined, current?.onSuccess),
      onFailure: s.hasDestinations ? s.onFailure || null : keep(undefined, current?.onFailure),
      modifiedAt: d.clock.ms(),
    };
    await putRow(tx, ref.scope, ref.name, c);
    return c;
  });
  return renderEventInvokeConfig(ref.scope, ref.name, saved);
}

export function putFunctionEventInvokeConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionEventInvokeConfig> {
  return write(d, input, ctx, false);
}

export function updateFunctionEventInvokeConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionEventInvokeConfig> {
  return write(d, input, ctx, true);
}

export async function getFunctionEventInvokeConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionEventInvokeConfig> {
  const ref = refOf(input, ctx, 'lambda:GetFunctionEventInvokeConfig');
  const c = await findConfig(d.store, ref.scope, ref.name, ref.qualifier ?? LATEST);
  if (!c) throw noConfig(ref);
  return renderEventInvokeConfig(ref.scope, ref.name, c);
}

export async function deleteFunctionEventInvokeConfig(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = refOf(input, ctx, 'lambda:DeleteFunctionEventInvokeConfig');
  const deleted = await d.store.transaction((tx) => deleteRow(tx, ref.scope, ref.name, ref.qualifier ?? LATEST));
  if (!deleted) throw noConfig(ref);
  return {};
}

export async function listFunctionEventInvokeConfigs(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListFunctionEventInvokeConfigsResponse> {
  const ref = refOf(input, ctx, 'lambda:ListFunctionEventInvokeConfigs');
  const size = pageSize(input, 50);
  const after = readMarker(input, isString) ?? '';
  if (!(await getFunction(d.store, ref.scope, ref.name))) throw notFound("The function doesn't exist.");
  const rows = await listRows(d.store, ref.scope, ref.name, after, size + 1);
  const { items, next } = page(rows, size, (last) => last.qualifier);
  return { FunctionEventInvokeConfigs: items.map((c) => renderEventInvokeConfig(ref.scope, ref.name, c)), NextMarker: next };
}

