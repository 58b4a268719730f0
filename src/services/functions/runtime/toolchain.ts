/**
 * @module services/functions/runtime/toolchain
 * What the runtimes run on: this process's `node` for every nodejs*.x runtime, the `python3` on
 * PATH for every python3.* runtime (resolved once to its real executable, so that a version
 * manager's shim is not paid on every cold start), the bootstrap assets, and the AWS SDK for
 * JavaScript v3 that Lambda's Node runtimes provide.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BOOTSTRAPS_DIR = fileURLToPath(new URL('./bootstraps/', import.meta.url));

export interface PythonInterpreter {
  executable: string;
  /** "3.11" */
  version: string;
}

/** Asks `command` (default python3 from PATH) for its real executable and version. */
export function findPython(command = 'python3'): Promise<PythonInterpreter> {
  return new Promise((resolve, reject) => {
    const script = 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])';
    execFile(command, ['-c', script], { timeout: 15_000 }, (err, stdout) => {
      const [executable, version] = stdout.trim().split('\n');
      if (err || !executable || !version) reject(new Error(`no usable ${command} for python runtimes: ${err?.message ?? stdout}`));
      else resolve({ executable, version });
    });
  });
}

/**
 * The SDK scopes a function may import without bundling them, as on Lambda's nodejs18.x+: only
 * these, not the rest of Signalbox's dependencies.
 */
const PROVIDED_SCOPES = ['@aws-sdk', '@smithy', '@aws-crypto'];

function signalboxNodeModules(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@aws-sdk/client-lambda/package.json');
    return dirname(dirname(dirname(pkg)));
  } catch {
    return undefined;
  }
}

/**
 * A node_modules folder under `scratchDir` holding symlinks to the provided scopes in Signalbox's
 * node_modules; it goes on NODE_PATH (and into the ES module fallback). Node follows the links
 * to the real files, so the SDK's own dependencies resolve from Signalbox's tree.
 * Undefined when Signalbox has no SDK installed.
 */
export function provideSdkModules(scratchDir: string): string | undefined {
  const source = signalboxNodeModules();
  if (!source) return undefined;
  const target = join(scratchDir, 'runtime-sdk', 'node_modules');
  mkdirSync(target, { recursive: true });
  for (const scope of PROVIDED_SCOPES) {
    const from = join(source, scope);
    const link = join(target, scope);
    if (!existsSync(from)) continue;
    try {
      if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === from) continue;
      rmSync(link, { recursive: true, force: true });
    } catch {
      /* not there yet */
    }
    symlinkSync(from, link, 'dir');
  }
  return target;
}
