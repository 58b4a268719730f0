/**
 * @module services/functions/code/unpack
 * Writes the entries of a zip (as `zip.ts` read them) into a fresh folder, safely:
 * - every byte that comes out of an entry is counted as it streams, against the caller's budget
 *   and against the size the directory declared, so an archive built to explode (a small
 *   declaration over a deflate stream that inflates to gigabytes, or entries that overlap) stops
 *   at the budget instead of filling the disk;
 * - each entry's CRC-32 is checked, so a damaged package is refused rather than half-written;
 * - symbolic links are created last, after every file, and only when they stay inside the
 *   folder without passing through another link; no file is ever written below a link;
 * - unix permission bits are kept (a `bootstrap` stays executable), then write bits are dropped:
 *   the unpacked package is read-only, as AWS's /var/task is.
 */
import { chmod, lstat, mkdir, open, readdir, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as zlib from 'node:zlib';
import { awsError, isServiceError, type ServiceError } from '../../../core/errors.js';
import { corrupt, unsafeEntry, type ZipArchive, type ZipEntry } from './zip.js';

/** The longest symbolic-link target read (PATH_MAX); anything longer is not a real link. */
const MAX_LINK_TARGET = 4096;
const CHUNK = 64 * 1024;

export function unzippedTooLarge(limit: number): ServiceError {
  return awsError('InvalidParameterValueException', `Unzipped size must be smaller than ${limit} bytes`);
}

// --- CRC-32 (zlib's when this Node has it, else a table) -----------------------------------

type Crc = (data: Buffer, previous: number) => number;

const nodeCrc = (zlib as unknown as { crc32?: Crc }).crc32;

let table: Uint32Array | undefined;
function tableCrc(data: Buffer, previous: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

export const crc32: Crc = nodeCrc ? (d, p) => nodeCrc(d, p) >>> 0 : tableCrc;

// --- entry data ---------------------------------------------------------------------------

function compressed(buf: Buffer, e: ZipEntry): Buffer {
  return buf.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
}

async function* storedChunks(data: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += CHUNK) yield data.subarray(i, i + CHUNK);
}

function entryChunks(buf: Buffer, e: ZipEntry): AsyncIterable<Buffer> {
  if (e.method === 0) return storedChunks(compressed(buf, e));
  const inflate = zlib.createInflateRaw({ chunkSize: CHUNK });
  inflate.end(compressed(buf, e));
  return inflate;
}

/** A damaged deflate stream, or a tree the entries cannot form (a file where a folder must be). */
function isArchiveFault(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return code.startsWith('Z_') || ['EISDIR', 'ENOTDIR', 'EEXIST', 'ENAMETOOLONG', 'ERR_INVALID_ARG_VALUE'].includes(code);
}

/** The (small) content of one entry, inflated with a hard cap; used for link targets. */
export function readSmallEntry(buf: Buffer, e: ZipEntry, max: number): Buffer {
  if (e.uncompressedSize > max) throw unsafeEntry(e.path, 'is a symbolic link with an overlong target');
  let out: Buffer;
  try {
    out = e.method === 0 ? compressed(buf, e) : zlib.inflateRawSync(compressed(buf, e), { maxOutputLength: max });
  } catch {
    throw corrupt();
  }
  if (out.length !== e.uncompressedSize || crc32(out, 0) !== e.crc32) throw corrupt();
  return out;
}

// --- links ---------------------------------------------------------------------------------

/**
 * path → target of every symbolic link, once each is shown to stay inside the folder. A target
 * is resolved segment by segment from the link's own folder; passing through another link is
 * refused, because the operating system would resolve that link first and could climb out
 * where the text of the target does not. No entry may sit below a link either.
 */
export function checkLinks(buf: Buffer, archive: ZipArchive): Map<string, string> {
  const linkPaths = new Set(archive.entries.filter((e) => e.kind === 'symlink').map((e) => e.path));
  const links = new Map<string, string>();
  if (linkPaths.size === 0) return links;
  for (const e of archive.entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (linkPaths.has(parts.slice(0, i).join('/'))) throw unsafeEntry(e.path, 'is inside a symbolic link');
    }
  }
  for (const e of archive.entries) {
    if (e.kind !== 'symlink') continue;
    const target = readSmallEntry(buf, e, MAX_LINK_TARGET).toString('utf8');
    if (target === '' || target.includes('\0')) throw unsafeEntry(e.path, 'is a symbolic link without a usable target');
    if (target.startsWith('/')) throw unsafeEntry(e.path, 'is a symbolic link that points outside the package folder');
    const at = e.path.split('/').slice(0, -1);
    const segments = target.split('/');
    segments.forEach((s, i) => {
      if (s === '' || s === '.') return;
      if (s === '..') {
        if (at.length === 0) throw unsafeEntry(e.path, 'is a symbolic link that points outside the package folder');
        at.pop();
        return;
      }
      at.push(s);
      if (i < segments.length - 1 && linkPaths.has(at.join('/'))) {
        throw unsafeEntry(e.path, 'is a symbolic link that passes through another symbolic link');
      }
    });
    links.set(e.path, target);
  }
  return links;
}

// --- unpacking -------------------------------------------------------------------------------

export interface UnpackOptions {
  /** the most bytes all entries together may inflate to */
  maxBytes: number;
}

async function writeFileEntry(buf: Buffer, e: ZipEntry, file: string, budget: { left: number; limit: number }): Promise<void> {
  const fh = await open(file, 'w', 0o600);
  try {
    let written = 0;
    let crc = 0;
    for await (const chunk of entryChunks(buf, e)) {
      written += chunk.length;
      // counted before it is written: the declaration may lie, the stream may not be trusted
      if (written > budget.left) throw unzippedTooLarge(budget.limit);
      crc = crc32(chunk, crc);
      await fh.write(chunk);
    }
    if (written !== e.uncompressedSize || crc !== e.crc32) throw corrupt();
    budget.left -= written;
  } finally {
    await fh.close();
  }
}

/** Final permissions: write bits dropped everywhere, execute bits kept, everything readable. */
async function makeReadOnly(root: string, modes: Map<string, number>): Promise<void> {
  const dirs: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    dirs.push(dir);
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, d.name);
      const relPath = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(path, relPath);
      else if (d.isFile()) await chmod(path, ((modes.get(relPath) ?? 0o644) & 0o111) | 0o444);
    }
  };
  await walk(root, '');
  for (const dir of dirs.reverse()) await chmod(dir, 0o555);
}

/**
 * Unpacks `archive` (read from `buf`) into `dest`, which must not exist yet. Answers the bytes
 * written. Throws InvalidParameterValueException when the archive is damaged, unsafe or inflates
 * past `maxBytes`; `dest` is then left for the caller to remove.
 */
export async function unpackZip(buf: Buffer, archive: ZipArchive, dest: string, opts: UnpackOptions): Promise<number> {
  const links = checkLinks(buf, archive);
  const budget = { left: opts.maxBytes, limit: opts.maxBytes };
  const modes = new Map<string, number>();
  await mkdir(dest, { mode: 0o700 });
  try {
    for (const e of archive.entries) {
      const target = join(dest, e.path);
      if (e.kind === 'directory') {
        await mkdir(target, { recursive: true, mode: 0o755 });
      } else if (e.kind === 'file') {
        // no link exists yet, so creating the parents cannot be redirected anywhere
        await mkdir(dirname(target), { recursive: true, mode: 0o755 });
        modes.set(e.path, e.mode);
        await writeFileEntry(buf, e, target, budget);
      }
    }
    for (const [path, linkTarget] of links) {
      const at = join(dest, path);
      await mkdir(dirname(at), { recursive: true, mode: 0o755 });
      await symlink(linkTarget, at);
    }
    await makeReadOnly(dest, modes);
  } catch (e) {
    if (isServiceError(e)) throw e;
    if (isArchiveFault(e)) throw corrupt();
    throw e;
  }
  return opts.maxBytes - budget.left;
}

/** Removes a tree this module made read-only (write bits restored on folders first). */
export async function removeTree(root: string): Promise<void> {
  const info = await lstat(root).catch(() => undefined);
  if (!info) return;
  if (info.isDirectory()) {
    const walk = async (dir: string): Promise<void> => {
      await chmod(dir, 0o700);
      for (const d of await readdir(dir, { withFileTypes: true })) if (d.isDirectory()) await walk(join(dir, d.name));
    };
    await walk(root);
  }
  await rm(root, { recursive: true, force: true });
}
