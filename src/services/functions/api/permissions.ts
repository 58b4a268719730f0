/**
 * @module services/functions/api/permissions
 * AddPermission, RemovePermission, GetPolicy: the resource policy of the function, a version or
 * an alias (each its own document, as at AWS). Stored and rendered as AWS renders it; who may
 * invoke is decided by the invoke path through `resolve.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { AddPermissionResponse, GetPolicyResponse } from '@aws-sdk/client-lambda';
import { awsError } from '../../../core/errors.js';
import type { Queryable } from '../../../store/store.js';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { conflict, invalid, notFound, optString, revisionMismatch, Violations, type Input } from '../model/input.js';
import { MAX_POLICY_BYTES } from '../model/limits.js';
import { kindOf, LATEST, parseFunctionRef, qualifiedArn, type FunctionRef } from '../model/names.js';
import { buildStatement, policyDocument } from '../model/policy.js';
import { addStatement, policyStatements, putAlias, removeStatement } from '../store.js';
import { bumpRevision, requireFunction, resolveTarget, type Target } from './common.js';

const STATEMENT_ID = /^[a-zA-Z0-9-_.]+$/;
const ACTION = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;

function refOf(input: Input, ctx: RequestContext, action: string): FunctionRef {
  return parseFunctionRef(input.FunctionName, ctx, { qualifier: optString(input, 'Qualifier'), action });
}

/** The key a policy is stored under: '' for the unqualified function, else the qualifier. */
function policyKey(ref: FunctionRef): string {
  return kindOf(ref.qualifier) === 'latest' ? '' : ref.qualifier!;
}

/** The RevisionId a policy change is checked against and bumps: the alias's, or the version's. */
function revisionOf(t: Target): string {
  return t.alias?.revisionId ?? t.version.revisionId;
}

async function bump(tx: Queryable, ref: FunctionRef, t: Target): Promise<string> {
  if (t.alias) {
    const revisionId = randomUUID();
    await putAlias(tx, ref.scope, ref.name, { ...t.alias, revisionId }, false);
    return revisionId;
  }
  return bumpRevision(tx, ref.scope, ref.name, t.version.version);
}

async function targetOf(tx: Queryable, ref: FunctionRef): Promise<Target> {
  await requireFunction(tx, ref);
  return resolveTarget(tx, ref);
}

export async function addPermission(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<AddPermissionResponse> {
  const ref = refOf(input, ctx, 'lambda:AddPermission');
  if (ref.qualifier === LATEST) throw invalid('We currently do not support adding policies for $LATEST.');
  const v = new Violations();
  const sid = optString(input, 'StatementId');
  const action = optString(input, 'Action');
  const principal = optString(input, 'Principal');
  if (v.required(sid, 'statementId')) {
    v.length(sid, 'statementId', 1, 100);
    v.pattern(sid, 'statementId', STATEMENT_ID, '([a-zA-Z0-9-_.]+)');
  }
  if (v.required(action, 'action')) v.pattern(action, 'action', ACTION, '(lambda:[*]|lambda:[a-zA-Z]+|[*])');
  v.required(principal, 'principal');
  const authType = optString(input, 'FunctionUrlAuthType');
  v.oneOf(authType, 'functionUrlAuthType', ['NONE', 'AWS_IAM']);
  const revisionId = optString(input, 'RevisionId');
  v.throwIfAny();
  const resource = qualifiedArn(ref.scope, ref.name, ref.qualifier);
  const statement = buildStatement(resource, {
    sid: sid!,
    action: action!,
    principal: principal!,
    sourceArn: optString(input, 'SourceArn'),
    sourceAccount: optString(input, 'SourceAccount'),
    principalOrgId: optString(input, 'PrincipalOrgID'),
    eventSourceToken: optString(input, 'EventSourceToken'),
    functionUrlAuthType: authType,
  });
  const text = JSON.stringify(statement);
  await d.store.transaction(async (tx) => {
    const t = await targetOf(tx, ref);
    if (revisionId !== undefined && revisionId !== revisionOf(t)) throw revisionMismatch();
    const existing = await policyStatements(tx, ref.scope, ref.name, policyKey(ref));
    if (existing.some((s) => s.sid === sid)) {
      throw conflict(`The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
    }
    const size = Buffer.byteLength(policyDocument([...existing.map((s) => s.statement), text]), 'utf8');
    if (size > MAX_POLICY_BYTES) {
      throw awsError('PolicyLengthExceededException', `The final policy size (${size}) is bigger than the limit (${MAX_POLICY_BYTES}).`);
    }
    await addStatement(tx, ref.scope, ref.name, policyKey(ref), sid!, text);
    await bump(tx, ref, t);
  });
  return { Statement: text };
}

export async function removePermission(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = refOf(input, ctx, 'lambda:RemovePermission');
  const sid = optString(input, 'StatementId') ?? '';
  const revisionId = optString(input, 'RevisionId');
  await d.store.transaction(async (tx) => {
    const t = await targetOf(tx, ref);
    const existing = await policyStatements(tx, ref.scope, ref.name, policyKey(ref));
    if (existing.length === 0) throw notFound('No policy is associated with the given resource.');
    if (!existing.some((s) => s.sid === sid)) throw notFound(`Statement ${sid} is not found in resource policy.`);
    if (revisionId !== undefined && revisionId !== revisionOf(t)) throw revisionMismatch();
    await removeStatement(tx, ref.scope, ref.name, policyKey(ref), sid);
    await bump(tx, ref, t);
  });
  return {};
}

export async function getPolicy(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<GetPolicyResponse> {
  const ref = refOf(input, ctx, 'lambda:GetPolicy');
  const t = await targetOf(d.store, ref);
  const statements = await policyStatements(d.store, ref.scope, ref.name, policyKey(ref));
  if (statements.length === 0) throw notFound('The resource you requested does not exist.');
  return { Policy: policyDocument(statements.map((s) => s.statement)), RevisionId: revisionOf(t) };
}

/** The policy a qualified reference is governed by, parsed (resolve.ts); null when none. */
export async function policyFor(db: Queryable, ref: FunctionRef): Promise<Record<string, unknown> | null> {
  const statements = await policyStatements(db, ref.scope, ref.name, policyKey(ref));
  return statements.length === 0 ? null : (JSON.parse(policyDocument(statements.map((s) => s.statement))) as Record<string, unknown>);
}
