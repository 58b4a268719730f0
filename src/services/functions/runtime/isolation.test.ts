/**
 * What a function can write: in a mount namespace only its own tmp folder (mounted on /tmp when
 * Signalbox's files are not under /tmp); without one, its TMPDIR.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isUnderTmp, writableDiskMounts } from './isolation.js';
import { BOOTSTRAPS_DIR } from './toolchain.js';
import { harness } from './harness.test.js';

const PROBE = `
  const fs = require('node:fs');
  const os = require('node:os');
  const attempt = (path) => { try { fs.writeFileSync(path, 'x'); return 'written'; } catch (e) { return e.code; } };
  exports.handler = async (event) => ({
    code: attempt(process.env.LAMBDA_TASK_ROOT + '/new-file'),
    outside: attempt(event.outside),
    tmp: attempt(os.tmpdir() + '/scratch-file'),
    tmpDir: os.tmpdir(),
    slashTmp: event.slashTmp ? attempt('/tmp/signalbox-isolation-probe') : undefined,
    kept: fs.existsSync(os.tmpdir() + '/scratch-file'),
  });`;

describe('isolation', () => {
  it('reads the writable disk mounts from mountinfo', () => {
    const mountinfo = [
      '22 1 252:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '23 22 0:21 / /proc rw,nosuid - proc proc rw',
      '24 22 0:5 / /dev rw - devtmpfs udev rw',
      '25 22 252:1 / /srv/my\\040data rw,noatime - xfs /dev/vdb rw',
      '26 22 0:30 / /tmp rw - tmpfs tmpfs rw',
      '27 22 0:31 / /mnt/cd ro - iso9660 /dev/sr0 ro',
      '28 22 0:32 / /sys/fs/cgroup rw - cgroup2 cgroup rw',
    ].join('\n');
    assert.deepEqual(writableDiskMounts(mountinfo), ['/', '/srv/my data', '/tmp']);
  });

  it('in a mount namespace the function writes its tmp folder and nothing else', async (t) => {
    const h = harness();
    try {
      if ((await h.runtime.isolationMode()) !== 'namespaces') return t.skip('no mount namespaces on this machine');
      const codeDir = h.code({ 'index.js': PROBE });
      const out = await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }), { outside: `${h.root}/outside-file` });
      // everything of this test lives under /tmp, so /tmp stays shared: only the code is read-only there
      assert.equal(out.json.code, 'EROFS', out.payload.toString());
      assert.equal(out.json.tmp, 'written');
      assert.equal(out.json.kept, true);
      assert.ok(!existsSync(`${codeDir}/new-file`));
    } finally {
      await h.close();
    }
  });

  it('gets a private /tmp when Signalbox keeps its files elsewhere', async (t) => {
    // a base outside /tmp: /var/tmp is the conventional place for that
    if (!existsSync('/var/tmp')) return t.skip('no /var/tmp');
    // the runtime's own files (its bootstraps) are Signalbox's too: a checkout under /tmp keeps /tmp shared
    if (isUnderTmp(BOOTSTRAPS_DIR)) return t.skip('this checkout lives under /tmp');
    mkdirSync('/var/tmp', { recursive: true });
    const h = harness({ base: '/var/tmp' });
    try {
      if ((await h.runtime.isolationMode()) !== 'namespaces') return t.skip('no mount namespaces on this machine');
      const codeDir = h.code({ 'index.js': PROBE });
      const out = await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }), { outside: `${h.root}/outside-file`, slashTmp: true });
      assert.equal(out.json.tmpDir, '/tmp');
      assert.equal(out.json.tmp, 'written');
      assert.equal(out.json.slashTmp, 'written');
      assert.equal(out.json.code, 'EROFS');
      assert.equal(out.json.outside, 'EROFS');
      assert.ok(!existsSync(`${h.root}/outside-file`));
      assert.ok(!existsSync('/tmp/scratch-file') && !existsSync('/tmp/signalbox-isolation-probe'), 'the host /tmp is untouched');
    } finally {
      await h.close();
    }
  });

  it('without namespaces the function still gets a TMPDIR of its own', async () => {
    const h = harness({ isolation: 'none' });
    try {
      assert.equal(await h.runtime.isolationMode(), 'process-group');
      const codeDir = h.code({ 'index.js': PROBE });
      const out = await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }), { outside: `${h.root}/outside-file` });
      assert.equal(out.json.tmp, 'written');
      assert.ok(out.json.tmpDir.startsWith(`${h.root}/scratch/instances/`), out.json.tmpDir);
      assert.ok(existsSync(out.json.tmpDir));
      h.runtime.retire(h.runtime.instances()[0]!.key);
      for (let i = 0; i < 100 && existsSync(out.json.tmpDir); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(!existsSync(out.json.tmpDir), 'the tmp folder goes with the instance');
    } finally {
      await h.close();
    }
  });
});
