/**
 * @module services/functions/api/layers
 * PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, ListLayers, ListLayerVersions,
 * DeleteLayerVersion. A layer version is a code package like a function's (unpacked once, by the
 * deployer); deleting one keeps its content for the function versions that still use it.
 */
import type {
  GetLayerVersionResponse, LayersListItem, LayerVersionsListItem, ListLayersResponse, ListLayerVersionsResponse, PublishLayerVersionResponse,
} from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { codeLocation } from '../model/code-location.js';
import { lambdaDate } from '../model/configuration.js';
import { invalid, notFound, optInt, optObject, optString, optStringList, validation, Violations, type Input } from '../model/input.js';
import { LAYER_VERSION_ARN_PATTERN, layerArn, layerVersionArn, parseLayerName, parseLayerVersionArn, scopeOf, type Scope } from '../model/names.js';
import { isNumber, isString, page, pageSize, readMarker } from '../model/paging.js';
import { LAYER_RUNTIMES } from '../model/runtimes.js';
import {
  deleteLayerVersion as deleteRow, getLayerVersion as findLayerVersion, insertCodePackage, insertLayerVersion, layerVersions, takeLayerVersion,
  type LayerVersionRecord,
} from '../store.js';
import { acceptZip, saveZip } from './code-input.js';
import { collectGarbage, removePackages } from './common.js';

const ARCHITECTURES = ['x86_64', 'arm64'];

function listItem(scope: Scope, l: LayerVersionRecord): LayerVersionsListItem {
  const out: LayerVersionsListItem = {
    LayerVersionArn: layerVersionArn(scope, l.layerName, l.version),
    Version: l.version,
    Description: l.description,
    CreatedDate: lambdaDate(l.createdAt),
  };
  if (l.compatibleRuntimes) out.CompatibleRuntimes = l.compatibleRuntimes as LayerVersionsListItem['CompatibleRuntimes'];
  if (l.licenseInfo !== null) out.LicenseInfo = l.licenseInfo;
  if (l.compatibleArchitectures) out.CompatibleArchitectures = l.compatibleArchitectures as LayerVersionsListItem['CompatibleArchitectures'];
  return out;
}

function render(d: FunctionsDeps, scope: Scope, l: LayerVersionRecord): GetLayerVersionResponse {
  const { LayerVersionArn, Version, Description, CreatedDate, CompatibleRuntimes, LicenseInfo, CompatibleArchitectures } = listItem(scope, l);
  return {
    Content: { Location: codeLocation(d.config.publicUrl, d.secrets, l.codeId, d.clock.ms()), CodeSha256: l.codeSha256, CodeSize: l.codeSize },
    LayerArn: layerArn(scope, l.layerName),
    LayerVersionArn, Description, CreatedDate, Version, CompatibleRuntimes, LicenseInfo, CompatibleArchitectures,
  };
}

function checkFilters(runtime: string | undefined, architecture: string | undefined, v: Violations, listForm: boolean): void {
  if (runtime !== undefined && !LAYER_RUNTIMES.has(runtime)) {
    v.add(listForm ? [runtime] : runtime, listForm ? 'compatibleRuntimes' : 'compatibleRuntime', `Member must satisfy enum value set: [${[...LAYER_RUNTIMES].join(', ')}]`);
  }
  v.oneOf(architecture, 'compatibleArchitecture', ARCHITECTURES);
}

function matches(l: LayerVersionRecord, runtime: string | undefined, architecture: string | undefined): boolean {
  return (runtime === undefined || (l.compatibleRuntimes ?? []).includes(runtime))
    && (architecture === undefined || (l.compatibleArchitectures ?? []).includes(architecture));
}

export async function publishLayerVersion(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<PublishLayerVersionResponse> {
  const { scope, name } = parseLayerName(input.LayerName, ctx);
  const v = new Violations();
  const content = optObject(input, 'Content');
  v.required(content, 'content');
  const description = optString(input, 'Description') ?? '';
  v.length(description, 'description', 0, 256);
  const license = optString(input, 'LicenseInfo');
  v.length(license, 'licenseInfo', 0, 512);
  const runtimes = optStringList(input, 'CompatibleRuntimes');
  v.length(runtimes, 'compatibleRuntimes', 0, 15);
  for (const r of runtimes ?? []) checkFilters(r, undefined, v, true);
  const architectures = optStringList(input, 'CompatibleArchitectures');
  v.length(architectures, 'compatibleArchitectures', 0, 2);
  for (const a of architectures ?? []) {
    if (!ARCHITECTURES.includes(a)) v.add(architectures, 'compatibleArchitectures', 'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]');
  }
  v.throwIfAny();
  const accepted = acceptZip(content!);
  const pkg = await saveZip(d, accepted);
  const now = d.clock.ms();
  let layer: LayerVersionRecord;
  try {
    layer = await d.store.transaction(async (tx) => {
      await insertCodePackage(tx, scope, pkg, now);
      const l: LayerVersionRecord = {
        layerName: name,
        version: await takeLayerVersion(tx, scope, name),
        description,
        licenseInfo: license ?? null,
        compatibleRuntimes: runtimes ?? null,
        compatibleArchitectures: architectures ?? null,
        codeId: pkg.id,
        codeSha256: pkg.sha256,
        codeSize: pkg.size,
        unzippedSize: pkg.unzippedSize,
        createdAt: now,
      };
      await insertLayerVersion(tx, scope, l);
      return l;
    });
  } catch (e) {
    await d.packages.remove(pkg.id);
    throw e;
  }
  d.deployer.schedule(pkg.id);
  return render(d, scope, layer);
}

function versionNumber(input: Input): number {
  const n = optInt(input, 'VersionNumber');
  if (n === undefined) throw validation(null, 'versionNumber', 'Member must not be null');
  if (n < 1) throw invalid('Layer Version Cannot be less than 1');
  return n;
}

const gone = () => notFound('The resource you requested does not exist.');

export async function getLayerVersion(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<GetLayerVersionResponse> {
  const { scope, name } = parseLayerName(input.LayerName, ctx);
  const l = await findLayerVersion(d.store, scope, name, versionNumber(input));
  if (!l) throw gone();
  return render(d, scope, l);
}

export async function getLayerVersionByArn(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<GetLayerVersionResponse> {
  const arn = optString(input, 'Arn');
  const ref = arn === undefined ? undefined : parseLayerVersionArn(arn);
  if (!ref) throw validation(arn ?? null, 'arn', `Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_PATTERN}`);
  const scope = scopeOf(ctx);
  if (ref.scope.accountId !== scope.accountId || ref.scope.region !== scope.region) throw gone();
  const l = await findLayerVersion(d.store, scope, ref.name, ref.version);
  if (!l) throw gone();
  return render(d, scope, l);
}

export async function listLayerVersions(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListLayerVersionsResponse> {
  const { scope, name } = parseLayerName(input.LayerName, ctx);
  const runtime = optString(input, 'CompatibleRuntime');
  const architecture = optString(input, 'CompatibleArchitecture');
  const v = new Violations();
  checkFilters(runtime, architecture, v, false);
  v.throwIfAny();
  const size = pageSize(input, 50);
  const before = readMarker(input, isNumber) ?? Number.MAX_SAFE_INTEGER;
  const rows = (await layerVersions(d.store, scope, name)).filter((l) => l.version < before && matches(l, runtime, architecture));
  const { items, next } = page(rows, size, (last) => last.version);
  return { LayerVersions: items.map((l) => listItem(scope, l)), NextMarker: next };
}

export async function listLayers(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<ListLayersResponse> {
  const scope = scopeOf(ctx);
  const runtime = optString(input, 'CompatibleRuntime');
  const architecture = optString(input, 'CompatibleArchitecture');
  const v = new Violations();
  checkFilters(runtime, architecture, v, false);
  v.throwIfAny();
  const size = pageSize(input, 50);
  const after = readMarker(input, isString) ?? '';
  // newest first within each layer: the first match per layer is its LatestMatchingVersion
  const newest = new Map<string, LayerVersionRecord>();
  for (const l of await layerVersions(d.store, scope)) {
    if (l.layerName > after && !newest.has(l.layerName) && matches(l, runtime, architecture)) newest.set(l.layerName, l);
  }
  const { items, next } = page([...newest.values()], size, (last) => last.layerName);
  const layers: LayersListItem[] = items.map((l) => ({ LayerName: l.layerName, LayerArn: layerArn(scope, l.layerName), LatestMatchingVersion: listItem(scope, l) }));
  return { Layers: layers, NextMarker: next };
}

export async function deleteLayerVersion(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const { scope, name } = parseLayerName(input.LayerName, ctx);
  const version = versionNumber(input);
  const garbage = await d.store.transaction(async (tx) => {
    const codeId = await deleteRow(tx, scope, name, version);
    return codeId ? collectGarbage(tx, [codeId]) : [];
  });
  removePackages(d, garbage);
  return {};
}
