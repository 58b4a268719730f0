/**
 * Deployment packages: honest archives (ours and the ones real tools write) unpack with their
 * modes, and a table of crafted malicious or broken archives is refused with AWS's error —
 * without a byte landing outside the folder.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { isServiceError } from '../../../core/errors.js';
import { CodePackages } from './packages.js';
import { removeTree, unpackZip } from './unpack.js';
import { readZip, type ZipLimits } from './zip.js';
import { makeZip, type TestEntry } from './zip-writer.test.js';

const work = mkdtempSync(join(tmpdir(), 'sbx-unpack-'));
after(() => removeTree(work));

let n = 0;
/** A fresh destination inside its own sandbox folder, so escapes would be visible next to it. */
function sandbox(): { box: string; dest: string } {
  const box = join(work, `box-${++n}`);
  mkdirSync(box);
  return { box, dest: join(box, 'code') };
}

async function unpack(zip: Buffer, maxBytes = 10 * 1024 * 1024, limits?: ZipLimits): Promise<{ box: string; dest: string; bytes: number }> {
  const { box, dest } = sandbox();
  const bytes = await unpackZip(zip, readZip(zip, limits), dest, { maxBytes });
  return { box, dest, bytes };
}

const UNZIP = /^Could not unzip uploaded file\. Please check your file, then try to upload again\./;

interface BadCase {
  name: string;
  zip: () => Buffer;
  message: RegExp;
  maxBytes?: number;
  limits?: ZipLimits;
}

function honest(entries: TestEntry[]): Buffer {
  return makeZip(entries);
}

/** Central directory entries that all point at the same compressed data (the overlap bomb). */
function overlappingZip(copies: number): Buffer {
  const one = makeZip([{ name: 'x0', data: Buffer.alloc(1024 * 1024) }]);
  const cdStart = one.readUInt32LE(one.length - 22 + 16);
  const cdLen = one.readUInt32LE(one.length - 22 + 12);
  const central = one.subarray(cdStart, cdStart + cdLen);
  const centrals: Buffer[] = [];
  for (let i = 0; i < copies; i++) {
    const c = Buffer.from(central);
    c.write(`x${i % 10}`, 46, 'latin1'); // distinct names, same data offset
    centrals.push(c);
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(copies, 8);
  eocd.writeUInt16LE(copies, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(cdStart, 16);
  return Buffer.concat([one.subarray(0, cdStart), cd, eocd]);
}

const BAD: BadCase[] = [
  { name: 'empty input', zip: () => Buffer.alloc(0), message: UNZIP },
  { name: 'not a zip at all', zip: () => Buffer.from('this is a text file, not an archive'.repeat(10)), message: UNZIP },
  { name: 'truncated archive', zip: () => honest([{ name: 'a.js', data: 'x'.repeat(5000) }]).subarray(0, 60), message: UNZIP },
  { name: 'parent-directory entry', zip: () => honest([{ name: '../evil.txt', data: 'pwned' }]), message: /climbs out of the package folder/ },
  { name: 'parent-directory in the middle', zip: () => honest([{ name: 'a/../../evil.txt', data: 'pwned' }]), message: /climbs out/ },
  { name: 'backslash traversal (Windows separators)', zip: () => honest([{ name: '..\\evil.txt', data: 'pwned', mode: null }]), message: /climbs out/ },
  { name: 'absolute path', zip: () => honest([{ name: '/tmp/evil.txt', data: 'pwned' }]), message: /absolute path/ },
  { name: 'drive-letter path', zip: () => honest([{ name: 'C:\\evil.txt', data: 'pwned', mode: null }]), message: /absolute path/ },
  { name: 'NUL byte in a name', zip: () => honest([{ name: 'ok.js\0.txt', data: 'x' }]), message: /NUL byte/ },
  { name: 'symlink to an absolute path', zip: () => honest([{ name: 'passwd', type: 'symlink', data: '/etc/passwd' }]), message: /points outside/ },
  { name: 'symlink climbing out', zip: () => honest([{ name: 'lib/up', type: 'symlink', data: '../../outside' }]), message: /points outside/ },
  {
    name: 'symlink chain that escapes only when resolved',
    zip: () => honest([
      { name: 'deep/dir/b', type: 'symlink', data: '../..' },
      { name: 'deep/dir/a', type: 'symlink', data: 'b/../x' },
    ]),
    message: /passes through another symbolic link/,
  },
  {
    name: 'file written through a symlink',
    zip: () => honest([{ name: 'link', type: 'symlink', data: 'sub' }, { name: 'link/evil.txt', data: 'pwned' }]),
    message: /inside a symbolic link/,
  },
  { name: 'symlink and file with the same name', zip: () => honest([{ name: 'x', data: 'file' }, { name: 'x', type: 'symlink', data: 'y' }]), message: UNZIP },
  {
    name: 'deflate bomb with a lying size',
    zip: () => honest([{ name: 'bomb.bin', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 100 }]),
    maxBytes: 1024 * 1024,
    message: /^Unzipped size must be smaller than 1048576 bytes$/,
  },
  {
    name: 'honest archive bigger than the budget',
    zip: () => honest([{ name: 'a.bin', data: Buffer.alloc(600 * 1024) }, { name: 'b.bin', data: Buffer.alloc(600 * 1024) }]),
    maxBytes: 1024 * 1024,
    message: /^Unzipped size must be smaller than 1048576 bytes$/,
  },
  { name: 'overlapping entries (one stream, many names)', zip: () => overlappingZip(40), maxBytes: 8 * 1024 * 1024, message: /^Unzipped size must be smaller/ },
  { name: 'declared size smaller than the data', zip: () => honest([{ name: 'a.txt', data: 'x'.repeat(1000), declaredSize: 10 }]), message: UNZIP },
  { name: 'declared size larger than the data', zip: () => honest([{ name: 'a.txt', data: 'x'.repeat(10), declaredSize: 1000 }]), message: UNZIP },
  { name: 'CRC mismatch', zip: () => honest([{ name: 'a.txt', data: 'hello', crc: 12345 }]), message: UNZIP },
  { name: 'damaged deflate stream', zip: () => honest([{ name: 'a.txt', data: 'hello world', raw: Buffer.from([0xff, 0xff, 0xff, 0x00, 0x13]) }]), message: UNZIP },
  { name: 'unsupported method (bzip2)', zip: () => honest([{ name: 'a.txt', data: 'hello', method: 12 }]), message: UNZIP },
  { name: 'encrypted entry', zip: () => honest([{ name: 'a.txt', data: 'hello', encrypted: true }]), message: UNZIP },
  {
    name: 'stored entry whose sizes disagree',
    zip: () => honest([{ name: 'a.txt', data: 'hello', method: 'store', raw: Buffer.from('hello, longer') }]),
    message: UNZIP,
  },
  {
    name: 'local header offset past the end',
    zip: () => {
      const z = honest([{ name: 'a.txt', data: 'hello' }]);
      const cd = z.readUInt32LE(z.length - 22 + 16);
      z.writeUInt32LE(z.length + 100, cd + 42);
      return z;
    },
    message: UNZIP,
  },
  { name: 'a file where a folder must be', zip: () => honest([{ name: 'a', data: 'file' }, { name: 'a/b.js', data: 'x' }]), message: UNZIP },
  {
    name: 'too many entries',
    zip: () => honest(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: '' }))),
    limits: { maxEntries: 10 },
    message: /more than 10 entries/,
  },
];

describe('malicious and broken archives are refused', () => {
  for (const c of BAD) {
    test(c.name, async () => {
      const { box, dest } = sandbox();
      await assert.rejects(
        (async () => {
          const zip = c.zip();
          await unpackZip(zip, readZip(zip, c.limits), dest, { maxBytes: c.maxBytes ?? 10 * 1024 * 1024 });
        })(),
        (e: unknown) => {
          assert.ok(isServiceError(e), `expected a ServiceError, got ${String(e)}`);
          assert.equal(e.code, 'InvalidParameterValueException');
          assert.match(e.message, c.message);
          return true;
        },
      );
      // nothing next to the destination, and never a file outside the sandbox
      assert.deepEqual(readdirSync(box).filter((f) => f !== 'code'), []);
      assert.equal(existsSync(join(work, 'evil.txt')), false);
      assert.equal(existsSync(join(tmpdir(), 'evil.txt')), false);
    });
  }
});

describe('honest archives', () => {
  test('files, implicit and explicit folders, stored and deflated, read-only', async () => {
    const { dest, bytes } = await unpack(honest([
      { name: './', type: 'dir' },
      { name: 'index.js', data: 'exports.handler = 1;' },
      { name: 'lib/', type: 'dir' },
      { name: 'lib/util.js', data: 'module.exports = 2;', method: 'store' },
      { name: 'node_modules/pkg/index.js', data: 'x'.repeat(10_000) },
    ]));
    assert.equal(readFileSync(join(dest, 'index.js'), 'utf8'), 'exports.handler = 1;');
    assert.equal(readFileSync(join(dest, 'lib/util.js'), 'utf8'), 'module.exports = 2;');
    assert.equal(readFileSync(join(dest, 'node_modules/pkg/index.js'), 'utf8').length, 10_000);
    assert.equal(bytes, 20 + 19 + 10_000);
    assert.equal(statSync(join(dest, 'index.js')).mode & 0o777, 0o444);
    assert.equal(statSync(join(dest, 'lib')).mode & 0o777, 0o555);
    assert.equal(statSync(dest).mode & 0o777, 0o555);
  });

  test('a bootstrap stays executable; setuid and write bits are dropped', async () => {
    const { dest } = await unpack(honest([
      { name: 'bootstrap', data: '#!/bin/sh\necho hi\n', mode: 0o755 },
      { name: 'suid', data: 'x', mode: 0o4777 },
      { name: 'private.txt', data: 'x', mode: 0o600 },
    ]));
    assert.equal(statSync(join(dest, 'bootstrap')).mode & 0o7777, 0o555);
    assert.equal(statSync(join(dest, 'suid')).mode & 0o7777, 0o555);
    assert.equal(statSync(join(dest, 'private.txt')).mode & 0o7777, 0o444);
  });

  test('links that stay inside are kept', async () => {
    const { dest } = await unpack(honest([
      { name: 'real/lib.js', data: 'module.exports = 3;' },
      { name: 'lib', type: 'symlink', data: 'real' },
      { name: 'sub/alias.js', type: 'symlink', data: '../real/lib.js' },
    ]));
    assert.equal(readlinkSync(join(dest, 'lib')), 'real');
    assert.equal(readFileSync(join(dest, 'sub/alias.js'), 'utf8'), 'module.exports = 3;');
    assert.ok(lstatSync(join(dest, 'lib')).isSymbolicLink());
  });

  test('an archive made on Windows: no unix modes, backslash separators', async () => {
    const { dest } = await unpack(honest([{ name: 'dir\\file.js', data: 'x', mode: null }]));
    assert.equal(readFileSync(join(dest, 'dir/file.js'), 'utf8'), 'x');
    assert.equal(statSync(join(dest, 'dir/file.js')).mode & 0o777, 0o444);
  });

  test('the declared size is what the directory says', () => {
    const zip = honest([{ name: 'a', data: 'abc' }, { name: 'b', data: Buffer.alloc(1000) }]);
    assert.equal(readZip(zip).declaredSize, 1003);
  });

  test('Info-ZIP `zip -y` (modes, a link, a folder)', { skip: !existsSync('/usr/bin/zip') }, async () => {
    const src = join(work, 'zip-src');
    mkdirSync(join(src, 'lib'), { recursive: true });
    writeFileSync(join(src, 'bootstrap'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(src, 'lib', 'a.txt'), 'A'.repeat(3000));
    symlinkSync('lib/a.txt', join(src, 'link.txt'));
    const out = join(work, 'infozip.zip');
    execFileSync('/usr/bin/zip', ['-q', '-r', '-y', out, '.'], { cwd: src });
    const { dest } = await unpack(readFileSync(out));
    assert.equal(statSync(join(dest, 'bootstrap')).mode & 0o777, 0o555);
    assert.equal(readlinkSync(join(dest, 'link.txt')), 'lib/a.txt');
    assert.equal(readFileSync(join(dest, 'link.txt'), 'utf8').length, 3000);
  });

  test("Python's zipfile with zip64 fields forced", async (t) => {
    const out = join(work, 'zip64.zip');
    const script = [
      'import sys, zipfile',
      "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:",
      "    with z.open('big/data.txt', 'w', force_zip64=True) as f: f.write(b'z' * 100000)",
      "    z.writestr('small.txt', 'hello')",
    ].join('\n');
    try {
      execFileSync('python3', ['-c', script, out]);
    } catch {
      t.skip('python3 is not available');
      return;
    }
    const { dest } = await unpack(readFileSync(out));
    assert.equal(readFileSync(join(dest, 'big/data.txt')).length, 100000);
    assert.equal(readFileSync(join(dest, 'small.txt'), 'utf8'), 'hello');
  });
});

describe('CodePackages on disk', () => {
  test('save, unpack once, serve the zip, remove', async () => {
    const packages = new CodePackages(join(work, 'packages'));
    const id = CodePackages.newId();
    const zip = honest([{ name: 'index.js', data: 'exports.handler = 1;' }]);
    await packages.saveZip(id, zip);
    assert.deepEqual(await packages.readZip(id), zip);
    // an interrupted earlier attempt leaves a staging folder: it is cleared on the retry
    mkdirSync(join(packages.folder(id), 'unpacking-stale'));
    assert.equal(await packages.unpack(id, 1024 * 1024), 20);
    assert.equal(await packages.unpack(id, 1024 * 1024), 20, 'a second call finds the finished folder');
    assert.deepEqual(readdirSync(packages.folder(id)).sort(), ['package.zip', 'unpacked']);
    assert.equal(readFileSync(join(packages.unpackedDir(id), 'index.js'), 'utf8'), 'exports.handler = 1;');
    assert.deepEqual(await packages.idsOlderThan(Date.now() + 1000), [id]);
    await packages.remove(id);
    assert.equal(existsSync(packages.folder(id)), false);
  });

  test('a package that fails to unpack leaves no half-written folder', async () => {
    const packages = new CodePackages(join(work, 'packages-bad'));
    const id = CodePackages.newId();
    await packages.saveZip(id, honest([{ name: 'a.bin', data: deflateRawSync(Buffer.alloc(10)), crc: 1 }]));
    await assert.rejects(packages.unpack(id, 1024), /Could not unzip/);
    assert.deepEqual(readdirSync(packages.folder(id)), ['package.zip']);
  });
});
