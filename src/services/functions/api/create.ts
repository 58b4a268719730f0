/**
 * @module services/functions/api/create
 * CreateFunction. Everything that can be refused is refused before anything is written; then the
 * zip is synced to disk, and the function, its $LATEST (Pending, InProgress), its tags and — with
 * Publish — version 1 are committed in one transaction before the call answers. The deployer
 * unpacks the code afterwards and moves the versions to Active (waitUntilFunctionActiveV2).
 */
import { randomUUID } from 'node:crypto';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { awsError, isServiceError } from '../../../core/errors.js';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { CREATING, renderConfiguration, type VersionRecord } from '../model/configuration.js';
import { checkConfig, newConfig, readConfigInput } from '../model/config-input.js';
import { conflict, invalid, optBool, optObject, optString, optStringMap, Violations, type Input } from '../model/input.js';
import { FUNCTION_NAME_PATTERN, LATEST, parseFunctionRef, type FunctionRef } from '../model/names.js';
import { getFunction, insertCodePackage, insertFunction, insertVersion, putTag, takeVersionNumber } from '../store.js';
import { acceptZip, checkCombinedSize, imageNotSupported, saveZip } from './code-input.js';
import { resolveLayers } from './common.js';
import { checkTags } from './tags.js';

/** CreateFunction takes a plain name (up to 64 characters) or an unqualified full or partial ARN. */
function parseNewName(raw: unknown, ctx: RequestContext): FunctionRef {
  const plain = typeof raw === 'string' && !raw.includes(':');
  let ref: FunctionRef;
  try {
    ref = parseFunctionRef(raw, ctx, { action: 'lambda:CreateFunction', maxLength: plain ? 64 : 140 });
  } catch (e) {
    // a plain name that breaks the rules is InvalidParameterValueException at AWS, not ValidationException
    if (plain && isServiceError(e) && e.code === 'ValidationException') throw invalid(e.message);
    throw e;
  }
  if (ref.qualifier !== undefined) {
    throw awsError('ValidationException',
      `1 validation error detected: Value '${String(raw)}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`);
  }
  if (ref.name.length > 64) {
    throw invalid(`1 validation error detected: Value '${ref.name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
  }
  return ref;
}

export async function createFunction(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<FunctionConfiguration> {
  const ref = parseNewName(input.FunctionName, ctx);
  const { scope, name } = ref;
  const v = new Violations();
  v.required(input.Role, 'role');
  v.required(input.Code, 'code');
  const changes = readConfigInput(input, v);
  const packageType = optString(input, 'PackageType');
  v.oneOf(packageType, 'packageType', ['Zip', 'Image']);
  const publish = optBool(input, 'Publish') ?? false;
  const tags = optStringMap(input, 'Tags');
  v.throwIfAny();
  if (packageType === 'Image') throw imageNotSupported();

  const config = newConfig(name, changes);
  checkConfig(config, changes);
  if (tags) checkTags(tags);
  const accepted = acceptZip(optObject(input, 'Code') ?? {});
  if (await getFunction(d.store, scope, name)) throw conflict(`Function already exist: ${name}`);
  if (changes.layers) {
    const layers = await resolveLayers(d.store, scope, changes.layers);
    checkCombinedSize(accepted.declaredSize, layers.unzippedSize);
  }

  const pkg = await saveZip(d, accepted);
  const now = d.clock.ms();
  let answer: VersionRecord;
  try {
    answer = await d.store.transaction(async (tx) => {
      if (await getFunction(tx, scope, name)) throw conflict(`Function already exist: ${name}`);
      // layers again, inside the transaction: one may have been deleted since
      config.layers = changes.layers ? (await resolveLayers(tx, scope, changes.layers)).refs : [];
      await insertCodePackage(tx, scope, pkg, now);
      await insertFunction(tx, scope, name, now);
      const latest: VersionRecord = {
        functionName: name,
        version: LATEST,
        config,
        codeId: pkg.id,
        codeSha256: pkg.sha256,
        codeSize: pkg.size,
        state: 'Pending',
        stateReason: CREATING.reason,
        stateReasonCode: CREATING.code,
        updateStatus: 'InProgress',
        updateReason: CREATING.reason,
        updateReasonCode: CREATING.code,
        revisionId: randomUUID(),
        modifiedAt: now,
      };
      await insertVersion(tx, scope, latest);
      for (const [k, val] of Object.entries(tags ?? {})) await putTag(tx, scope, name, k, val);
      if (!publish) return latest;
      const published: VersionRecord = {
        ...latest,
        version: String(await takeVersionNumber(tx, scope, name)),
        updateStatus: null,
        updateReason: null,
        updateReasonCode: null,
        revisionId: randomUUID(),
      };
      await insertVersion(tx, scope, published);
      return published;
    });
  } catch (e) {
    await d.packages.remove(pkg.id);
    throw e;
  }
  d.deployer.schedule(pkg.id);
  return renderConfiguration(scope, answer, { withUpdateStatus: false });
}
