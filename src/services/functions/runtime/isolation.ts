/**
 * @module services/functions/runtime/isolation
 * How far an instance is fenced in, decided once per runtime by trying it:
 *
 * - `namespaces` (Linux with util-linux `unshare`, `setpriv` and `mount`; as root, or with
 *   unprivileged user namespaces): each instance starts in a private mount namespace in which
 *   every writable disk mount is read-only except the instance's own tmp folder, which is mounted
 *   on /tmp (AWS's private /tmp) unless Signalbox's own files live under /tmp. All capabilities
 *   are dropped before the runtime starts, so the function cannot remount anything, even as root.
 * - `process-group`: no namespaces. The function can write wherever its user can; when that user
 *   is not root, the code and layer trees lose their write bits so they stay read-only.
 *
 * Both modes start instances in a process group of their own (killed as a whole) with a
 * parent-death signal where `setpriv` exists; the reaper (process-reaper.ts) covers the rest.
 */
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Logger } from '../../../core/log.js';

export type IsolationRequest = 'auto' | 'namespaces' | 'none';

export interface IsolationPlan {
  mode: 'namespaces' | 'process-group';
  /** absolute paths of the helper binaries found on this machine */
  setpriv?: string;
  unshare?: string;
  mount?: string;
  /** mount points made read-only in each instance's namespace */
  readOnlyMounts: string[];
  /** unprivileged: the namespace also needs a user namespace (the function then sees uid 0) */
  userNamespace: boolean;
}

const BIN_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];

function findBinary(name: string): string | undefined {
  for (const dir of BIN_DIRS) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Kernel file systems and the like: they stay as they are (and /proc, /sys, /dev, /run are skipped). */
const VIRTUAL_FS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'mqueue', 'debugfs', 'tracefs', 'securityfs',
  'pstore', 'bpf', 'configfs', 'fusectl', 'hugetlbfs', 'autofs', 'binfmt_misc', 'efivarfs', 'nsfs', 'rpc_pipefs',
  'fuse.lxcfs', 'overlay-virtual',
]);
const SKIPPED_TREES = ['/proc', '/sys', '/dev', '/run'];

const unescapeMountPath = (p: string): string => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));

/** Writable disk mounts, from /proc/self/mountinfo (per-mount options, then " - fstype"). */
export function writableDiskMounts(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const mountPoint = unescapeMountPath(fields[4] ?? '');
    const options = (fields[5] ?? '').split(',');
    const fsType = right.split(' ')[0] ?? '';
    if (!mountPoint || !options.includes('rw') || VIRTUAL_FS.has(fsType)) continue;
    if (SKIPPED_TREES.some((t) => mountPoint === t || mountPoint.startsWith(`${t}/`))) continue;
    out.push(mountPoint);
  }
  return [...new Set(out)];
}

/** The command that starts `argv` for one instance under the plan (the sandbox script is ours). */
export function wrapCommand(
  plan: IsolationPlan,
  argv: string[],
  sandbox: { setupScript: string; tmpDir: string; privateTmp: boolean; readOnlyTrees: string[] },
): string[] {
  // the parent-death signal is set last, so it belongs to the process Signalbox spawned (the same
  // pid throughout: unshare without --fork, sh and setpriv all exec in place)
  const dropAndRun = plan.setpriv ? [plan.setpriv, '--pdeathsig', 'KILL', ...(plan.mode === 'namespaces' ? ['--bounding-set', '-all', '--inh-caps', '-all'] : []), '--', ...argv] : argv;
  if (plan.mode !== 'namespaces') return dropAndRun;
  return [
    plan.unshare!, ...(plan.userNamespace ? ['--user', '--map-root-user'] : []), '--mount', '--propagation', 'private', '--',
    '/bin/sh', sandbox.setupScript, plan.mount!, sandbox.tmpDir, sandbox.privateTmp ? 'private' : 'shared',
    ...plan.readOnlyMounts, '--', ...(sandbox.privateTmp ? [] : sandbox.readOnlyTrees), '--', ...dropAndRun,
  ];
}

function run(argv: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((done) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 10_000 }, (err, stdout, stderr) => done({ ok: !err, output: `${stdout}${stderr}`.trim() }));
  });
}

/**
 * Finds the strongest isolation this machine allows by starting `/bin/true` the way instances
 * start. `scratchDir` holds the probe's tmp folder.
 */
export async function planIsolation(request: IsolationRequest, scratchDir: string, setupScript: string, log: Logger): Promise<IsolationPlan> {
  const setpriv = findBinary('setpriv');
  const fallback: IsolationPlan = { mode: 'process-group', setpriv, readOnlyMounts: [], userNamespace: false };
  if (request === 'none' || process.platform !== 'linux') return fallback;
  const unshare = findBinary('unshare');
  const mount = findBinary('mount');
  let readOnlyMounts: string[] = [];
  try {
    readOnlyMounts = writableDiskMounts();
  } catch {
    /* no /proc: no namespaces either */
  }
  const userNamespace = process.getuid?.() !== 0;
  const plan: IsolationPlan = { mode: 'namespaces', setpriv, unshare, mount, readOnlyMounts, userNamespace };
  let why = 'unshare, setpriv or mount is missing';
  if (unshare && setpriv && mount && readOnlyMounts.length > 0) {
    const tmpDir = join(scratchDir, 'isolation-probe');
    mkdirSync(tmpDir, { recursive: true });
    const probe = await run(wrapCommand(plan, ['/bin/true'], { setupScript, tmpDir, privateTmp: false, readOnlyTrees: [tmpDir] }));
    rmSync(tmpDir, { recursive: true, force: true });
    if (probe.ok) {
      log.debug({ readOnlyMounts, userNamespace }, 'function instances run in mount namespaces');
      return plan;
    }
    why = probe.output || 'the probe failed';
  }
  if (request === 'namespaces') throw new Error(`function isolation with namespaces is not available here: ${why}`);
  log.warn({ reason: why }, 'function instances run without mount namespaces: a function can write outside its tmp folder');
  return fallback;
}

/** Whether `path` (resolved through symlinks) is /tmp or inside it. */
export function isUnderTmp(path: string): boolean {
  let real = resolve(path);
  try {
    real = realpathSync(path);
  } catch {
    /* not there (yet): judge the path as given */
  }
  let tmp = '/tmp';
  try {
    tmp = realpathSync('/tmp');
  } catch {
    /* no /tmp */
  }
  return real === tmp || real.startsWith(tmp + sep);
}

function chmodTree(root: string, change: (mode: number) => number): void {
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) for (const name of readdirSync(p)) stack.push(join(p, name));
    const mode = change(st.mode & 0o7777);
    if (mode !== (st.mode & 0o7777)) chmodSync(p, mode);
  }
}

/** Takes the write bits off a tree (the process-group mode's read-only code; root ignores them). */
export function makeTreeReadOnly(root: string): void {
  chmodTree(root, (mode) => mode & ~0o222);
}

/** Gives the owner back write permission on a tree made read-only, so that it can be deleted. */
export function makeTreeWritable(root: string): void {
  chmodTree(root, (mode) => mode | 0o200);
}
