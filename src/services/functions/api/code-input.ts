/**
 * @module services/functions/api/code-input
 * A deployment package as a request carries it (FunctionCode, UpdateFunctionCode's members, a
 * layer's Content), accepted or refused before anything is stored: the zip must be small enough,
 * readable, and safe to unpack (names and links checked from the central directory). Its bytes
 * are inflated later, by the deployer, which counts them again.
 */
import { createHash } from 'node:crypto';
import { awsError } from '../../../core/errors.js';
import type { FunctionsDeps } from '../deps.js';
import { CodePackages } from '../code/packages.js';
import { checkLinks } from '../code/unpack.js';
import { readZip } from '../code/zip.js';
import { invalid, optBlob, optString, type Input } from '../model/input.js';
import { CODE_SIZE_UNZIPPED, CODE_SIZE_ZIPPED } from '../model/limits.js';
import type { CodePackageRecord } from '../store.js';

export interface AcceptedZip {
  zip: Buffer;
  sha256: string;
  /** as the central directory declares it */
  declaredSize: number;
}

/** Refuses what Signalbox cannot take yet, in terms that say what to do instead. */
function refuseOtherSources(members: Input): void {
  if (optString(members, 'S3Bucket') !== undefined || optString(members, 'S3Key') !== undefined) {
    throw invalid('Signalbox has no object store yet, so S3Bucket/S3Key cannot be read: upload the .zip in the request itself (ZipFile; aws lambda … --zip-file fileb://package.zip).');
  }
  if (optString(members, 'ImageUri') !== undefined) throw imageNotSupported();
}

export function imageNotSupported(): Error {
  return invalid('PackageType Image (container images) is not supported by Signalbox: deploy a .zip package (PackageType Zip).');
}

/**
 * The zip in `members.ZipFile` (FunctionCode, UpdateFunctionCode's own members, a layer's
 * Content), checked: small enough, readable, safe names and links, not declaring too much.
 */
export function acceptZip(members: Input): AcceptedZip {
  refuseOtherSources(members);
  const zip = optBlob(members, 'ZipFile');
  if (!zip) throw invalid('Please provide a source for function code.');
  if (zip.length > CODE_SIZE_ZIPPED) {
    throw awsError('RequestEntityTooLargeException', `Zipped size must be smaller than ${CODE_SIZE_ZIPPED} bytes`);
  }
  const archive = readZip(zip);
  checkLinks(zip, archive);
  if (archive.declaredSize > CODE_SIZE_UNZIPPED) {
    throw invalid(`Unzipped size must be smaller than ${CODE_SIZE_UNZIPPED} bytes`);
  }
  return { zip, sha256: createHash('sha256').update(zip).digest('base64'), declaredSize: archive.declaredSize };
}

/** The unzipped size of a function with its layers, refused past AWS's limit. */
export function checkCombinedSize(codeBytes: number, layerBytes: number): void {
  const total = codeBytes + layerBytes;
  if (layerBytes > 0 && total > CODE_SIZE_UNZIPPED) {
    throw invalid(`Function code combined with layers exceeds the maximum allowed size of ${CODE_SIZE_UNZIPPED} bytes. The actual size is ${total} bytes.`);
  }
}

/**
 * Writes the zip (synced) under a fresh package id and answers the row to commit with the
 * versions that use it. If that commit fails, the caller removes the folder again.
 */
export async function saveZip(d: FunctionsDeps, accepted: AcceptedZip): Promise<CodePackageRecord> {
  const id = CodePackages.newId();
  await d.packages.saveZip(id, accepted.zip);
  return { id, sha256: accepted.sha256, size: accepted.zip.length, unzippedSize: accepted.declaredSize, status: 'pending', failure: null };
}
