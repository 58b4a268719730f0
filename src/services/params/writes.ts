/**
 * @module services/params/writes
 * The operations that change parameters: PutParameter, DeleteParameter(s),
 * LabelParameterVersion, UnlabelParameterVersion.
 *
 * Each write reads what it depends on and changes every row it touches inside one
 * `store.transaction`, so a new version, the drop of the oldest one, its labels and tags land
 * together or not at all. Request-shape checks run first, outside the transaction; rules that
 * depend on the stored parameter (type changes, AllowedPattern kept from an earlier version,
 * tiers, version limit) run inside it.
 */
import type {
  DeleteParameterResult, DeleteParametersResult, LabelParameterVersionResult, PutParameterResult, UnlabelParameterVersionResult,
} from '@aws-sdk/client-ssm';
import { awsError } from '../../core/errors.js';
import { isUniqueViolation, type Queryable } from '../../store/store.js';
import type { RequestContext, ServiceDeps } from '../service.js';
import { checkLabelList, planLabels } from './labels.js';
import {
  DATA_TYPES, DEFAULT_KEY_ID, LIMITS, normaliseName, PARAMETER_TYPES_AWS_ORDER, parentPath, scopeOf, TIERS, validateNewName,
  type DataType, type ParameterType, type RequestedTier, type StoredTier,
} from './params.js';
import {
  countInTier, deleteParameter as deleteRows, deleteVersion, labelsOf, latestVersion, putLabel, removeLabel, versionOf, versionStats,
  writeVersion, type Scope, type VersionRecord,
} from './store.js';
import { applyTags, readTags } from './tagging.js';
import { optBool, optInt, optString, optStringList, Violations } from './validation.js';
import { charCount, checkAllowedPattern, checkDataType, compileAllowedPattern, resolveTier, toStored } from './values.js';

type Input = Record<string, unknown>;
type Deps = Pick<ServiceDeps, 'store' | 'secrets' | 'clock'>;

const KEY_ID_PATTERN = /^([a-zA-Z0-9:/_-]+)$/;

function notFound(name: string): never {
  throw awsError('ParameterNotFound', `Parameter ${name} not found.`);
}

function versionNotFound(name: string, version: number): never {
  throw awsError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
}

/** A concurrent writer got to the same rows first (PostgreSQL cluster): AWS's TooManyUpdates. */
async function serialised<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUniqueViolation(e)) throw awsError('TooManyUpdates', 'There are concurrent updates for a resource that supports one update at a time.');
    throw e;
  }
}

export async function putParameter(d: Deps, input: Input, ctx: RequestContext): Promise<PutParameterResult> {
  const scope = scopeOf(ctx);
  const v = new Violations();
  const rawName = optString(input, 'Name');
  const value = optString(input, 'Value');
  const type = optString(input, 'Type');
  const description = optString(input, 'Description');
  const keyId = optString(input, 'KeyId');
  const allowedPattern = optString(input, 'AllowedPattern');
  const tier = optString(input, 'Tier');
  const dataType = optString(input, 'DataType');
  const policies = optString(input, 'Policies');
  const overwrite = optBool(input, 'Overwrite') ?? false;
  v.required(rawName, 'name');
  if (v.required(value, 'value')) v.length(value, 'value', 1, LIMITS.advancedValueChars, true);
  v.oneOf(type, 'type', PARAMETER_TYPES_AWS_ORDER);
  v.length(description, 'description', 0, LIMITS.maxDescription);
  v.length(keyId, 'keyId', 1, 256);
  v.pattern(keyId, 'keyId', KEY_ID_PATTERN, '^([a-zA-Z0-9:/_-]+)$');
  v.length(allowedPattern, 'allowedPattern', 0, LIMITS.maxAllowedPattern);
  v.oneOf(tier, 'tier', TIERS);
  v.length(dataType, 'dataType', 0, 128);
  const tags = readTags(input, v);
  v.throwIfAny();

  const name = normaliseName(rawName!);
  const plaintext = value!;
  if (overwrite && tags && tags.length > 0) {
    throw awsError('ValidationException',
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. " +
      'To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
  }
  validateNewName(name, scope);
  if (dataType !== undefined && !(DATA_TYPES as readonly string[]).includes(dataType)) {
    throw awsError('ValidationException', `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  }
  if (policies !== undefined && !['', '[]'].includes(policies.trim())) {
    throw awsError('ValidationException', 'Parameter policies (Expiration, ExpirationNotification, NoChangeNotification) are not supported by Signalbox.');
  }
  if (allowedPattern) compileAllowedPattern(allowedPattern);

  return serialised(() => d.store.transaction(async (tx) => {
    const prev = await latestVersion(tx, scope, name);
    if (prev && !overwrite) {
      throw awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    const newType = (type ?? prev?.type) as ParameterType | undefined;
    if (!newType) throw awsError('ValidationException', 'A parameter type is required when you create a parameter.');
    if (prev && prev.type !== newType && (prev.type === 'SecureString' || newType === 'SecureString')) {
      throw awsError('HierarchyTypeMismatchException',
        `Parameter Store doesn't support changing a parameter type from ${prev.type} to ${newType}. You must create a new, unique parameter.`);
    }
    if (keyId !== undefined && newType !== 'SecureString') {
      throw awsError('ValidationException', 'KeyId is required for SecureString type parameter only.');
    }
    // On overwrite, what the request leaves out is kept from the newest version.
    const effKeyId = newType === 'SecureString' ? keyId ?? prev?.keyId ?? DEFAULT_KEY_ID : null;
    const effDescription = description ?? prev?.description ?? null;
    const effPattern = allowedPattern ?? prev?.allowedPattern ?? null;
    const effDataType = (dataType ?? prev?.dataType ?? 'text') as DataType;
    checkDataType(effDataType, newType, plaintext);
    checkAllowedPattern(effPattern, plaintext);

    const previousTier = prev?.tier as StoredTier | undefined;
    const storedTier = await resolveTier({
      requested: tier as RequestedTier | undefined,
      previous: previousTier,
      valueChars: charCount(plaintext),
      standardFull: async () => (await countInTier(tx, scope, 'Standard')) >= LIMITS.standardParameters,
    });
    await checkQuota(tx, scope, storedTier, previousTier);
    if (prev) await makeRoomForVersion(tx, scope, name);

    const version = (prev?.version ?? 0) + 1;
    const rec: VersionRecord = {
      name,
      version,
      type: newType,
      value: toStored(d.secrets, newType, scope, name, version, plaintext),
      keyId: effKeyId,
      description: effDescription,
      allowedPattern: effPattern,
      tier: storedTier,
      dataType: effDataType,
      modifiedAt: d.clock.ms(),
      modifiedBy: ctx.principalArn,
    };
    await writeVersion(tx, scope, rec, parentPath(name), !prev);
    if (tags && tags.length > 0) await applyTags(tx, scope, name, tags);
    return { Version: version, Tier: storedTier };
  }));
}

/** Per-account quotas: 10,000 Standard and 100,000 Advanced parameters per region. */
async function checkQuota(tx: Queryable, scope: Scope, tier: StoredTier, previous: StoredTier | undefined): Promise<void> {
  if (tier === previous) return;
  const limit = tier === 'Standard' ? LIMITS.standardParameters : LIMITS.advancedParameters;
  if ((await countInTier(tx, scope, tier)) >= limit) {
    throw awsError('ParameterLimitExceeded',
      `You have exceeded the number of ${tier.toLowerCase()} parameters for this AWS account and Region (${limit}). Delete one or more parameters and try again.`);
  }
}

/** AWS keeps 100 versions: the oldest goes to make room, unless a label still points at it. */
async function makeRoomForVersion(tx: Queryable, scope: Scope, name: string): Promise<void> {
  const { count, oldest } = await versionStats(tx, scope, name);
  if (count < LIMITS.maxVersions) return;
  const labels = await labelsOf(tx, scope, name);
  if ([...labels.values()].includes(oldest)) {
    throw awsError('ParameterMaxVersionLimitExceeded',
      `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest}, ` +
      "the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the " +
      'parameter, and try again.');
  }
  await deleteVersion(tx, scope, name, oldest);
}

export async function deleteParameter(d: Deps, input: Input, ctx: RequestContext): Promise<DeleteParameterResult> {
  const v = new Violations();
  const rawName = optString(input, 'Name');
  if (v.required(rawName, 'name')) v.length(rawName, 'name', 1, LIMITS.maxNameInput);
  v.throwIfAny();
  const name = normaliseName(rawName!);
  const deleted = await d.store.transaction((tx) => deleteRows(tx, scopeOf(ctx), name));
  if (!deleted) notFound(name);
  return {};
}

export async function deleteParameters(d: Deps, input: Input, ctx: RequestContext): Promise<DeleteParametersResult> {
  const v = new Violations();
  const names = optStringList(input, 'Names');
  if (v.required(names, 'names')) v.length(names, 'names', 1, LIMITS.maxNamesPerCall);
  v.throwIfAny();
  const unique = [...new Set(names!)];
  const DeletedParameters: string[] = [];
  const InvalidParameters: string[] = [];
  await d.store.transaction(async (tx) => {
    for (const raw of unique) {
      if (await deleteRows(tx, scopeOf(ctx), normaliseName(raw))) DeletedParameters.push(raw);
      else InvalidParameters.push(raw);
    }
  });
  return { DeletedParameters, InvalidParameters };
}

function readLabelRequest(input: Input, versionRequired: boolean): { name: string; labels: string[]; version: number | undefined } {
  const v = new Violations();
  const rawName = optString(input, 'Name');
  const labels = optStringList(input, 'Labels');
  const version = optInt(input, 'ParameterVersion');
  if (v.required(rawName, 'name')) v.length(rawName, 'name', 1, LIMITS.maxNameInput);
  v.required(labels, 'labels');
  if (versionRequired) v.required(version, 'parameterVersion');
  v.throwIfAny();
  checkLabelList(labels!);
  if (labels!.length > LIMITS.maxLabelsPerVersion) {
    throw awsError('ParameterVersionLabelLimitExceeded',
      'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.');
  }
  return { name: normaliseName(rawName!), labels: labels!, version };
}

export async function labelParameterVersion(d: Deps, input: Input, ctx: RequestContext): Promise<LabelParameterVersionResult> {
  const { name, labels, version } = readLabelRequest(input, false);
  const scope = scopeOf(ctx);
  return serialised(() => d.store.transaction(async (tx) => {
    const latest = await latestVersion(tx, scope, name);
    if (!latest) notFound(name);
    const target = version ?? latest.version;
    if (!(await versionOf(tx, scope, name, target))) versionNotFound(name, target);
    const plan = planLabels(labels, await labelsOf(tx, scope, name), target);
    for (const label of plan.attach) await putLabel(tx, scope, name, label, target);
    return { InvalidLabels: plan.invalid, ParameterVersion: target };
  }));
}

export async function unlabelParameterVersion(d: Deps, input: Input, ctx: RequestContext): Promise<UnlabelParameterVersionResult> {
  const { name, labels, version } = readLabelRequest(input, true);
  const scope = scopeOf(ctx);
  return d.store.transaction(async (tx) => {
    if (!(await latestVersion(tx, scope, name))) notFound(name);
    if (!(await versionOf(tx, scope, name, version!))) versionNotFound(name, version!);
    const RemovedLabels: string[] = [];
    const InvalidLabels: string[] = [];
    for (const label of new Set(labels)) {
      if (await removeLabel(tx, scope, name, label, version!)) RemovedLabels.push(label);
      else InvalidLabels.push(label);
    }
    return { RemovedLabels, InvalidLabels };
  });
}
