/**
 * @module services/functions/api/versions
 * PublishVersion and ListVersionsByFunction. A version is a snapshot of $LATEST's code and
 * settings under the next number; publishing what the newest version already holds answers that
 * version instead of a new one, as Lambda does.
 */
import { randomUUID } from 'node:crypto';
import type { FunctionConfiguration, ListVersionsByFunctionResponse } from '@aws-sdk/client-lambda';
import type { Queryable } from '../../../store/store.js';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { CREATING, renderConfiguration, sameDeployment, type VersionRecord } from '../model/configuration.js';
import { invalid, optString, revisionMismatch, Violations, type Input } from '../model/input.js';
import { LATEST, parseFunctionRef, requireUnqualified, type Scope } from '../model/names.js';
import { isNumber, page, pageSize, readMarker } from '../model/paging.js';
import { insertVersion, listVersions, newestPublishedVersion, takeVersionNumber } from '../store.js';
import { bumpRevision, refuseWhileBusy, requireFunction, requireLatest } from './common.js';

/**
 * Publishes `latest` as a new version (Pending until the deployer has its code ready), or
 * answers the newest version when nothing changed since it was published.
 */
export async function publishFrom(tx: Queryable, scope: Scope, latest: VersionRecord, now: number, description?: string): Promise<VersionRecord> {
  const newest = await newestPublishedVersion(tx, scope, latest.functionName);
  if (newest && sameDeployment(newest, latest)) return newest;
  const published: VersionRecord = {
    ...latest,
    version: String(await takeVersionNumber(tx, scope, latest.functionName)),
    config: { ...latest.config, description: description ?? latest.config.description },
    state: 'Pending',
    stateReason: CREATING.reason,
    stateReasonCode: CREATING.code,
    updateStatus: null,
    updateReason: null,
    updateReasonCode: null,
    revisionId: randomUUID(),
    modifiedAt: now,
  };
  await insertVersion(tx, scope, published);
  await bumpRevision(tx, scope, latest.functionName, LATEST);
  return published;
}

export async function publishVersion(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionConfiguration> {
  const ref = parseFunctionRef(input.FunctionName, ctx, { action: 'lambda:PublishVersion', maxLength: 140 });
  requireUnqualified(ref);
  const codeSha256 = optString(input, 'CodeSha256');
  const description = optString(input, 'Description');
  const revisionId = optString(input, 'RevisionId');
  const v = new Violations();
  v.length(description, 'description', 0, 256);
  v.throwIfAny();
  const published = await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    const latest = await requireLatest(tx, ref);
    if (revisionId !== undefined && revisionId !== latest.revisionId) throw revisionMismatch();
    if (codeSha256 !== undefined && codeSha256 !== latest.codeSha256) {
      throw invalid(`CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
    }
    refuseWhileBusy(latest, ref.scope);
    return publishFrom(tx, ref.scope, latest, d.clock.ms(), description);
  });
  d.deployer.settleSoon();
  return renderConfiguration(ref.scope, published, { arnQualifier: published.version });
}

export async function listVersionsByFunction(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListVersionsByFunctionResponse> {
  const ref = parseFunctionRef(input.FunctionName, ctx, { action: 'lambda:ListVersionsByFunction' });
  requireUnqualified(ref);
  const size = pageSize(input);
  const after = readMarker(input, isNumber) ?? -1;
  await requireFunction(d.store, ref);
  const rows = await listVersions(d.store, ref.scope, ref.name, after, size + 1);
  const { items, next } = page(rows, size, (last) => (last.version === LATEST ? 0 : Number(last.version)));
  return { Versions: items.map((v) => renderConfiguration(ref.scope, v, { arnQualifier: v.version, forList: true })), NextMarker: next };
}
