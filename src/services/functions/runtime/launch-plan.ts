/**
 * @module services/functions/runtime/launch-plan
 * Which process an instance of each runtime is, and the runtime's part of its environment.
 */
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { findCustomBootstrap, nodeLayerModules, pythonLayerPaths } from './layer-paths.js';
import { BOOTSTRAPS_DIR, type PythonInterpreter } from './toolchain.js';
import type { FunctionSpec } from './types.js';

export const SUPPORTED_RUNTIMES = [
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13',
  'provided.al2', 'provided.al2023',
] as const;

export type RuntimeFamily = 'node' | 'python' | 'custom';

export function runtimeFamily(runtime: string): RuntimeFamily | undefined {
  if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return undefined;
  if (runtime.startsWith('nodejs')) return 'node';
  if (runtime.startsWith('python')) return 'python';
  return 'custom';
}

export interface LaunchPlan {
  argv: string[];
  /** AWS's LAMBDA_RUNTIME_DIR */
  runtimeDir: string;
  executionEnv?: string;
  runtimeBinDir?: string;
  /** NODE_PATH / PYTHONPATH: unreserved, so a function may set its own */
  runtimeDefaults: Record<string, string>;
}

/** An instance that cannot start at all (Lambda's Runtime.InvalidEntrypoint). */
export interface LaunchFailure {
  errorType: string;
  errorMessage: string;
}

export interface LaunchTools {
  nodeExecutable: string;
  python?: PythonInterpreter;
  /** node_modules with the provided AWS SDK, if Signalbox has one */
  sdkNodeModules?: string;
}

function nodePlan(spec: FunctionSpec, tools: LaunchTools): LaunchPlan {
  const major = /^nodejs(\d+)/.exec(spec.runtime)?.[1] ?? '20';
  const memory = spec.memorySizeMb;
  const runtimeDir = join(BOOTSTRAPS_DIR, 'node');
  const nodePath = [...nodeLayerModules(spec.layerDirs, major), ...(tools.sdkNodeModules ? [tools.sdkNodeModules] : []), spec.codeDir];
  return {
    // the heap sizes Lambda's Node runtimes derive from the memory size: V8 collects garbage
    // before the instance's memory limit is reached instead of growing into it
    argv: [
      tools.nodeExecutable, '--expose-gc', '--max-http-header-size=81920',
      `--max-semi-space-size=${Math.max(1, Math.floor((memory * 5) / 100))}`,
      `--max-old-space-size=${Math.floor((memory * 90) / 100)}`,
      join(runtimeDir, 'bootstrap.cjs'),
    ],
    runtimeDir,
    executionEnv: `AWS_Lambda_${spec.runtime}`,
    runtimeBinDir: dirname(tools.nodeExecutable),
    runtimeDefaults: { NODE_PATH: nodePath.join(':') },
  };
}

function pythonPlan(spec: FunctionSpec, python: PythonInterpreter): LaunchPlan {
  const declared = spec.runtime.slice('python'.length);
  const versions = declared === python.version ? [declared] : [declared, python.version];
  const runtimeDir = join(BOOTSTRAPS_DIR, 'python');
  return {
    // -u: print() reaches the log as it happens; -B: no __pycache__ written into the code
    argv: [python.executable, '-u', '-B', join(runtimeDir, 'bootstrap.py')],
    runtimeDir,
    executionEnv: `AWS_Lambda_${spec.runtime}`,
    runtimeBinDir: dirname(python.executable),
    runtimeDefaults: { PYTHONPATH: [spec.codeDir, ...pythonLayerPaths(spec.layerDirs, versions)].join(':') },
  };
}

function customPlan(spec: FunctionSpec): LaunchPlan | LaunchFailure {
  const bootstrap = findCustomBootstrap(spec.codeDir, spec.layerDirs);
  if (!bootstrap) {
    const looked = [spec.codeDir, ...spec.layerDirs].map((d) => join(d, 'bootstrap')).join(' ');
    return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `Couldn't find valid bootstrap(s): [${looked}]` };
  }
  try {
    accessSync(bootstrap, constants.X_OK);
  } catch {
    return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `fork/exec ${bootstrap}: permission denied` };
  }
  return { argv: [bootstrap], runtimeDir: dirname(bootstrap), runtimeDefaults: {} };
}

export function planLaunch(spec: FunctionSpec, tools: LaunchTools): LaunchPlan | LaunchFailure {
  const family = runtimeFamily(spec.runtime);
  let plan: LaunchPlan | LaunchFailure;
  if (family === 'node') plan = nodePlan(spec, tools);
  else if (family === 'python' && tools.python) plan = pythonPlan(spec, tools.python);
  else if (family === 'custom') plan = customPlan(spec);
  else return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `runtime ${spec.runtime} is not available` };
  // Lambda's wrapper scripts for managed runtimes: the wrapper receives the runtime's command line
  const wrapper = spec.environment.AWS_LAMBDA_EXEC_WRAPPER;
  if ('argv' in plan && wrapper && family !== 'custom') plan.argv = [wrapper, ...plan.argv];
  return plan;
}
