/**
 * @module services/functions/code/zip-writer.test
 * A tiny zip writer for tests (named *.test.ts so the build leaves it out; it holds no tests):
 * honest archives for the API tests, and crafted ones for the malicious-zip table — lying
 * sizes and checksums, climbing names, links out of the folder, unsupported methods.
 */
import { deflateRawSync } from 'node:zlib';
import { crc32 } from './unpack.js';

export interface TestEntry {
  name: string;
  data?: Buffer | string;
  /** default: deflate for files, store for folders and links */
  method?: 'store' | 'deflate' | number;
  type?: 'file' | 'dir' | 'symlink';
  /** unix permission bits (default 0o644 files, 0o755 folders); null writes no unix attributes */
  mode?: number | null;
  /** the uncompressed size written in the headers instead of the real one */
  declaredSize?: number;
  /** the CRC-32 written in the headers instead of the real one */
  crc?: number;
  /** raw entry data instead of compressing `data` */
  raw?: Buffer;
  encrypted?: boolean;
  /** write the name as these bytes (no UTF-8 flag) */
  rawName?: Buffer;
}

const TYPE_BITS = { file: 0o100000, dir: 0o040000, symlink: 0o120000 } as const;

/** A zip archive of `entries` (unix "made by", DOS time 1980-01-01). */
export function makeZip(entries: TestEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const type = e.type ?? (e.name.endsWith('/') ? 'dir' : 'file');
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? '', 'utf8');
    const methodCode = typeof e.method === 'number' ? e.method : (e.method ?? (type === 'file' ? 'deflate' : 'store')) === 'deflate' ? 8 : 0;
    const body = e.raw ?? (methodCode === 8 ? deflateRawSync(data) : data);
    const name = e.rawName ?? Buffer.from(e.name, 'utf8');
    const flags = (e.rawName ? 0 : 0x800) | (e.encrypted ? 1 : 0);
    const crc = e.crc ?? crc32(data, 0);
    const size = e.declaredSize ?? data.length;
    const mode = e.mode === null ? 0 : (e.mode ?? (type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644)) | TYPE_BITS[type];

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(methodCode, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.mode === null ? 20 : (3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(methodCode, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((mode << 16) | (type === 'dir' ? 0x10 : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** A one-file package: `index.js` (or `name`) with `source`. */
export function codeZip(source = 'exports.handler = async (event) => ({ ok: true, event });\n', name = 'index.js'): Buffer {
  return makeZip([{ name, data: source }]);
}
