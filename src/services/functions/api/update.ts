/**
 * @module services/functions/api/update
 * UpdateFunctionCode and UpdateFunctionConfiguration: both change $LATEST only, check RevisionId
 * (PreconditionFailedException), refuse while the function is still being created or updated,
 * and answer LastUpdateStatus InProgress; the deployer moves it to Successful once the new code
 * (and layers) are unpacked (waitUntilFunctionUpdatedV2).
 */
import { randomUUID } from 'node:crypto';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { CREATING, renderConfiguration, type VersionRecord } from '../model/configuration.js';
import { applyConfig, checkConfig, readConfigInput } from '../model/config-input.js';
import { optBool, optString, optStringList, revisionMismatch, Violations, type Input } from '../model/input.js';
import { parseFunctionRef, requireUnqualified, type FunctionRef } from '../model/names.js';
import { codePackages, insertCodePackage, updateVersion } from '../store.js';
import { acceptZip, checkCombinedSize, saveZip } from './code-input.js';
import { collectGarbage, refuseWhileBusy, removePackages, requireLatest, resolveLayers } from './common.js';
import { publishFrom } from './versions.js';

function target(input: Input, ctx: RequestContext, action: string): FunctionRef {
  const ref = parseFunctionRef(input.FunctionName, ctx, { action, maxLength: 140 });
  requireUnqualified(ref);
  return ref;
}

function inProgress(v: VersionRecord, now: number): VersionRecord {
  return {
    ...v,
    // a function whose creation failed starts over: it is Pending until the new code is ready
    state: v.state === 'Failed' ? 'Pending' : v.state,
    stateReason: v.state === 'Failed' ? CREATING.reason : v.stateReason,
    stateReasonCode: v.state === 'Failed' ? CREATING.code : v.stateReasonCode,
    updateStatus: 'InProgress',
    updateReason: CREATING.reason,
    updateReasonCode: CREATING.code,
    revisionId: randomUUID(),
    modifiedAt: now,
  };
}

async function unzippedSizes(d: FunctionsDeps, ids: string[]): Promise<number> {
  const rows = await codePackages(d.store, ids);
  return [...rows.values()].reduce((n, p) => n + p.unzippedSize, 0);
}

export async function updateFunctionCode(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionConfiguration> {
  const ref = target(input, ctx, 'lambda:UpdateFunctionCode');
  const revisionId = optString(input, 'RevisionId');
  const publish = optBool(input, 'Publish') ?? false;
  const dryRun = optBool(input, 'DryRun') ?? false;
  const architectures = optStringList(input, 'Architectures');
  if (architectures !== undefined) {
    const v = new Violations();
    readConfigInput({ Architectures: architectures }, v);
    v.throwIfAny();
  }
  const accepted = acceptZip(input);
  const current = await requireLatest(d.store, ref);
  if (revisionId !== undefined && revisionId !== current.revisionId) throw revisionMismatch();
  refuseWhileBusy(current, ref.scope);
  checkCombinedSize(accepted.declaredSize, await unzippedSizes(d, current.config.layers.map((l) => l.codeId)));
  if (dryRun) return renderConfiguration(ref.scope, current);

  const pkg = await saveZip(d, accepted);
  const now = d.clock.ms();
  let result: { answer: VersionRecord; garbage: string[] };
  try {
    result = await d.store.transaction(async (tx) => {
      const latest = await requireLatest(tx, ref);
      if (revisionId !== undefined && revisionId !== latest.revisionId) throw revisionMismatch();
      refuseWhileBusy(latest, ref.scope);
      await insertCodePackage(tx, ref.scope, pkg, now);
      const updated: VersionRecord = {
        ...inProgress(latest, now),
        config: architectures ? { ...latest.config, architectures } : latest.config,
        codeId: pkg.id,
        codeSha256: pkg.sha256,
        codeSize: pkg.size,
      };
      await updateVersion(tx, ref.scope, updated);
      const answer = publish ? await publishFrom(tx, ref.scope, updated, now) : updated;
      return { answer, garbage: await collectGarbage(tx, [latest.codeId]) };
    });
  } catch (e) {
    await d.packages.remove(pkg.id);
    throw e;
  }
  removePackages(d, result.garbage);
  d.deployer.schedule(pkg.id);
  return renderConfiguration(ref.scope, result.answer, { arnQualifier: publish ? result.answer.version : undefined });
}

export async function updateFunctionConfiguration(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionConfiguration> {
  const ref = target(input, ctx, 'lambda:UpdateFunctionConfiguration');
  const revisionId = optString(input, 'RevisionId');
  const v = new Violations();
  const changes = readConfigInput(input, v);
  v.throwIfAny();
  const now = d.clock.ms();
  const result = await d.store.transaction(async (tx) => {
    const latest = await requireLatest(tx, ref);
    if (revisionId !== undefined && revisionId !== latest.revisionId) throw revisionMismatch();
    refuseWhileBusy(latest, ref.scope);
    const config = applyConfig(latest.config, changes);
    if (changes.layers !== undefined) {
      const layers = await resolveLayers(tx, ref.scope, changes.layers);
      const code = (await codePackages(tx, [latest.codeId])).get(latest.codeId);
      checkCombinedSize(code?.unzippedSize ?? 0, layers.unzippedSize);
      config.layers = layers.refs;
    }
    checkConfig(config, changes);
    const updated: VersionRecord = { ...inProgress(latest, now), config };
    await updateVersion(tx, ref.scope, updated);
    return { updated, garbage: await collectGarbage(tx, latest.config.layers.map((l) => l.codeId)) };
  });
  removePackages(d, result.garbage);
  d.deployer.settleSoon();
  return renderConfiguration(ref.scope, result.updated);
}
