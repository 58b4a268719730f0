/**
 * @module services/functions/code/packages
 * Where deployment packages (function code and layer content) live on disk:
 *
 *   <dataDir>/functions/code/<id>/package.zip     the zip as uploaded (GetFunction Code.Location)
 *   <dataDir>/functions/code/<id>/unpacked/       its content, read-only (the runtime's codeDir)
 *   <dataDir>/functions/code/<id>/unpacking-…/    a half-written unpack (removed on retry)
 *
 * A package is unpacked once, whichever versions and functions share it. The zip is written and
 * synced before the API answers; the unpacked folder appears in one rename, so a crash leaves
 * either no folder or a complete one. Which packages exist and whether they are unpacked is the
 * store's business (`lambda_code_packages`); this module only moves bytes.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeTree, unpackZip } from './unpack.js';
import { readZip } from './zip.js';

const ZIP_FILE = 'package.zip';
const UNPACKED = 'unpacked';
const UNPACKING_PREFIX = 'unpacking-';
const ID_PATTERN = /^[a-z0-9]{20,40}$/;

export class CodePackages {
  constructor(readonly root: string) {}

  static forDataDir(dataDir: string): CodePackages {
    return new CodePackages(join(dataDir, 'functions', 'code'));
  }

  /** A fresh package id: folder-name safe, unguessable (it appears in URLs). */
  static newId(): string {
    return randomBytes(16).toString('hex');
  }

  static isId(id: string): boolean {
    return ID_PATTERN.test(id);
  }

  folder(id: string): string {
    return join(this.root, id);
  }

  zipPath(id: string): string {
    return join(this.root, id, ZIP_FILE);
  }

  /** The read-only unpacked content (exists once `unpack` succeeded). */
  unpackedDir(id: string): string {
    return join(this.root, id, UNPACKED);
  }

  /** Writes the zip and syncs it (and its folder) to disk before resolving. */
  async saveZip(id: string, zip: Buffer): Promise<void> {
    const folder = this.folder(id);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const fh = await open(this.zipPath(id), 'wx', 0o600);
    try {
      await fh.writeFile(zip);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await syncFolder(folder);
  }

  readZip(id: string): Promise<Buffer> {
    return readFile(this.zipPath(id));
  }

  /**
   * Unpacks the package (again, when a previous attempt was interrupted) and answers the bytes it
   * holds. Throws InvalidParameterValueException when the archive is damaged, unsafe or too big.
   */
  async unpack(id: string, maxBytes: number): Promise<number> {
    const folder = this.folder(id);
    const done = this.unpackedDir(id);
    if (await exists(done)) return folderSize(done);
    await this.removeLeftovers(id);
    const zip = await this.readZip(id);
    const staging = join(folder, UNPACKING_PREFIX + randomBytes(6).toString('hex'));
    try {
      const bytes = await unpackZip(zip, readZip(zip), staging, { maxBytes });
      await rename(staging, done);
      await syncFolder(folder);
      return bytes;
    } catch (e) {
      await removeTree(staging);
      throw e;
    }
  }

  async remove(id: string): Promise<void> {
    if (!CodePackages.isId(id)) return;
    await removeTree(this.folder(id));
  }

  /** Package folders on disk whose folder was last changed before `before` (epoch ms). */
  async idsOlderThan(before: number): Promise<string[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const out: string[] = [];
    for (const name of names) {
      if (!CodePackages.isId(name)) continue;
      const info = await stat(join(this.root, name)).catch(() => undefined);
      if (info && info.mtimeMs < before) out.push(name);
    }
    return out;
  }

  private async removeLeftovers(id: string): Promise<void> {
    const names = await readdir(this.folder(id)).catch(() => [] as string[]);
    for (const n of names) if (n.startsWith(UNPACKING_PREFIX)) await removeTree(join(this.folder(id), n));
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Bytes of the regular files below `dir` (an unpack that finished before a crash). */
async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.isDirectory()) total += await folderSize(path);
    else if (d.isFile()) total += (await stat(path)).size;
  }
  return total;
}

/** fsync of a folder makes a new or renamed entry in it durable (POSIX; ignored where refused). */
async function syncFolder(path: string): Promise<void> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync().catch(() => undefined);
  } finally {
    await fh.close();
  }
}
