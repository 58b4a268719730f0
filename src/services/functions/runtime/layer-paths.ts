/**
 * @module services/functions/runtime/layer-paths
 * Where each runtime looks into layers. Lambda extracts every layer into /opt, later layers
 * overwriting earlier ones file by file; Signalbox keeps each layer in its own folder and puts
 * the folders on the search paths instead, later layers first, so a later layer's package wins.
 * Only folders that exist are listed, which keeps module lookups short.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const existing = (paths: string[]): string[] => paths.filter((p) => existsSync(p));

/** Later layers first: they win, as AWS's overwrite rule makes them. */
const laterFirst = (layerDirs: string[]): string[] => [...layerDirs].reverse();

/** NODE_PATH's layer part: every layer's nodejs/nodeNN/node_modules, then every nodejs/node_modules. */
export function nodeLayerModules(layerDirs: string[], nodeMajor: string): string[] {
  const layers = laterFirst(layerDirs);
  return existing([
    ...layers.map((l) => join(l, 'nodejs', `node${nodeMajor}`, 'node_modules')),
    ...layers.map((l) => join(l, 'nodejs', 'node_modules')),
  ]);
}

/**
 * sys.path's layer part: every layer's python/lib/pythonX.Y/site-packages, then every python/.
 * `versions` are the runtime's declared version and the interpreter's, when they differ.
 */
export function pythonLayerPaths(layerDirs: string[], versions: string[]): string[] {
  const layers = laterFirst(layerDirs);
  return existing([
    ...layers.flatMap((l) => versions.map((v) => join(l, 'python', 'lib', `python${v}`, 'site-packages'))),
    ...layers.map((l) => join(l, 'python')),
  ]);
}

export const layerBinDirs = (layerDirs: string[]): string[] => existing(laterFirst(layerDirs).map((l) => join(l, 'bin')));

export const layerLibDirs = (layerDirs: string[]): string[] => existing(laterFirst(layerDirs).map((l) => join(l, 'lib')));

/** A custom runtime's entry point: the function's own bootstrap, else the last layer's that has one. */
export function findCustomBootstrap(codeDir: string, layerDirs: string[]): string | undefined {
  return [codeDir, ...laterFirst(layerDirs)].map((d) => join(d, 'bootstrap')).find((p) => existsSync(p));
}
