/**
 * @module services/functions/code/zip
 * Reads the table of contents of a zip archive (its central directory) without inflating
 * anything, and decides for every entry where it may go: a deployment package is untrusted input
 * that will be written to disk, so names are normalised here once and an entry that would land
 * outside the package folder (`../x`, `/etc/x`, `C:\x`) is refused before a byte is written.
 *
 * Only what AWS's own unzip accepts is read: stored (0) and deflate (8) entries, one disk,
 * unencrypted, zip64 fields where a tool wrote them. The sizes in the directory are only
 * declarations: `unpack.ts` counts the bytes that really come out of each entry.
 */
import { awsError, type ServiceError } from '../../../core/errors.js';

export const UNZIP_FAILED = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

export type EntryKind = 'file' | 'directory' | 'symlink';

export interface ZipEntry {
  /** normalised relative path inside the package ('bin/bootstrap'), never empty */
  path: string;
  kind: EntryKind;
  /** 0 stored, 8 deflate */
  method: 0 | 8;
  compressedSize: number;
  /** as declared by the central directory; unpacking verifies it */
  uncompressedSize: number;
  crc32: number;
  /** absolute offset of the entry's data in the archive */
  dataOffset: number;
  /** permission bits (0o777) from the unix attributes, or the defaults of the entry's kind */
  mode: number;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** the sum of the declared uncompressed sizes */
  declaredSize: number;
}

export interface ZipLimits {
  /** more entries than this is refused (a million empty files is an inode bomb, not code) */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 100_000 };

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const U32_MAX = 0xffffffff;

const HOST_UNIX = 3;
const HOST_MACOS = 19;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
const DOS_DIRECTORY = 0x10;

/** The archive is not a zip we can read (truncated, garbage, unsupported feature). */
export function corrupt(): ServiceError {
  return awsError('InvalidParameterValueException', UNZIP_FAILED);
}

/** An entry would be written outside the package folder; AWS's message plus which entry. */
export function unsafeEntry(name: string, why: string): ServiceError {
  return awsError('InvalidParameterValueException', `${UNZIP_FAILED} (entry '${name.slice(0, 200)}' ${why})`);
}

function findEndOfCentralDirectory(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - EOCD_SIZE - MAX_COMMENT);
  for (let i = buf.length - EOCD_SIZE; i >= lowest; i--) {
    // the comment length must reach exactly to the end, or this is a signature inside a comment
    if (buf.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  throw corrupt();
}

interface Directory {
  offset: number;
  size: number;
  count: number;
}

function readDirectoryLocation(buf: Buffer, eocd: number): Directory {
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  let count = buf.readUInt16LE(eocd + 10);
  let size = buf.readUInt32LE(eocd + 12);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === U32_MAX || offset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== SIG_ZIP64_LOCATOR) throw corrupt();
    const record = safeNumber(buf.readBigUInt64LE(locator + 8));
    if (record + 56 > buf.length || buf.readUInt32LE(record) !== SIG_ZIP64_EOCD) throw corrupt();
    count = safeNumber(buf.readBigUInt64LE(record + 32));
    size = safeNumber(buf.readBigUInt64LE(record + 40));
    offset = safeNumber(buf.readBigUInt64LE(record + 48));
  } else if (disk !== 0 || cdDisk !== 0) {
    throw corrupt(); // split archives are not deployment packages
  }
  if (offset + size > buf.length) throw corrupt();
  return { offset, size, count };
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt();
  return Number(v);
}

/** The zip64 extended-information field replaces exactly the 32-bit fields that are saturated. */
function applyZip64(extra: Buffer, sizes: { uncompressed: number; compressed: number; local: number }): void {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    const body = extra.subarray(p + 4, p + 4 + len);
    p += 4 + len;
    if (id !== 0x0001) continue;
    let q = 0;
    const next = (): number => {
      if (q + 8 > body.length) throw corrupt();
      const v = safeNumber(body.readBigUInt64LE(q));
      q += 8;
      return v;
    };
    if (sizes.uncompressed === U32_MAX) sizes.uncompressed = next();
    if (sizes.compressed === U32_MAX) sizes.compressed = next();
    if (sizes.local === U32_MAX) sizes.local = next();
    return;
  }
}

/**
 * A stored name → the relative path it may be written to, or undefined for the root itself
 * ('./'). Backslashes are separators (zips made on Windows use them), and any '..' segment is
 * refused even where it would stay inside: no legitimate package needs one.
 */
export function safeEntryPath(name: string): string | undefined {
  if (name.includes('\0')) throw unsafeEntry(name, 'has a NUL byte in its name');
  const p = name.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw unsafeEntry(name, 'has an absolute path');
  const segments: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') throw unsafeEntry(name, 'climbs out of the package folder');
    segments.push(s);
  }
  return segments.length > 0 ? segments.join('/') : undefined;
}

function kindAndMode(host: number, external: number, name: string): { kind: EntryKind; mode: number } {
  const unixMode = host === HOST_UNIX || host === HOST_MACOS ? external >>> 16 : 0;
  const type = unixMode & S_IFMT;
  const looksLikeDir = name.endsWith('/') || name.endsWith('\\') || (external & DOS_DIRECTORY) !== 0;
  if (type === S_IFLNK) return { kind: 'symlink', mode: 0o777 };
  if (type === S_IFDIR || (type === 0 && looksLikeDir)) return { kind: 'directory', mode: 0o755 };
  // no unix attributes at all (Windows tools): readable, not executable
  return { kind: 'file', mode: unixMode === 0 ? 0o644 : unixMode & 0o777 };
}

/**
 * The entries of `buf`, in archive order, with normalised paths. Throws
 * InvalidParameterValueException for anything that is not a readable, safe zip.
 */
export function readZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipArchive {
  if (buf.length < EOCD_SIZE) throw corrupt();
  const dir = readDirectoryLocation(buf, findEndOfCentralDirectory(buf));
  if (dir.count > limits.maxEntries) {
    throw awsError('InvalidParameterValueException', `${UNZIP_FAILED} (more than ${limits.maxEntries} entries)`);
  }
  const entries: ZipEntry[] = [];
  let declaredSize = 0;
  let p = dir.offset;
  const end = dir.offset + dir.size;
  for (let i = 0; i < dir.count; i++) {
    if (p + CENTRAL_SIZE > end || buf.readUInt32LE(p) !== SIG_CENTRAL) throw corrupt();
    const madeBy = buf.readUInt16LE(p + 4);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc32 = buf.readUInt32LE(p + 16);
    const sizes = { compressed: buf.readUInt32LE(p + 20), uncompressed: buf.readUInt32LE(p + 24), local: buf.readUInt32LE(p + 42) };
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const next = p + CENTRAL_SIZE + nameLen + extraLen + commentLen;
    if (next > end) throw corrupt();
    const rawName = buf.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLen);
    const name = rawName.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1');
    applyZip64(buf.subarray(p + CENTRAL_SIZE + nameLen, p + CENTRAL_SIZE + nameLen + extraLen), sizes);
    p = next;

    if (flags & FLAG_ENCRYPTED) throw corrupt();
    if (method !== 0 && method !== 8) throw corrupt();
    if (method === 0 && sizes.compressed !== sizes.uncompressed) throw corrupt();
    const path = safeEntryPath(name);
    const { kind, mode } = kindAndMode(madeBy >> 8, external, name);
    const dataOffset = localDataOffset(buf, sizes.local);
    if (dataOffset + sizes.compressed > buf.length) throw corrupt();
    if (path === undefined) {
      if (kind === 'directory') continue; // './': the package folder itself
      throw unsafeEntry(name, 'has no file name');
    }
    entries.push({ path, kind, method, compressedSize: sizes.compressed, uncompressedSize: sizes.uncompressed, crc32, dataOffset, mode });
    declaredSize += sizes.uncompressed;
  }
  return { entries, declaredSize };
}

function localDataOffset(buf: Buffer, local: number): number {
  if (local + LOCAL_SIZE > buf.length || buf.readUInt32LE(local) !== SIG_LOCAL) throw corrupt();
  return local + LOCAL_SIZE + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
}
