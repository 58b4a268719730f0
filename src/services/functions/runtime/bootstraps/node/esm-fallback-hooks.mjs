/**
 * ES module resolve hooks (registered with module.register) that give `import` what NODE_PATH
 * gives `require`: a bare specifier that Node cannot find from the importing file is looked up in
 * the layers' node_modules and in the AWS SDK Signalbox provides, in NODE_PATH's order. The
 * function's own node_modules are tried first, because Node's normal resolution runs first.
 *
 * `reload`: the hooks were registered after a first import of the handler failed to link. Nothing
 * of that module graph ran (linking precedes evaluation), but Node caches the failed modules by
 * URL, so every file URL gets a query that makes it a new module this time.
 */
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

let parents = [];
let reload = false;

export function initialize(data) {
  // resolving from a file inside `<x>` searches `<x>/node_modules` first
  parents = data.nodeModules.map((dir) => pathToFileURL(join(dirname(dir), '__signalbox_resolve__.mjs')).href);
  reload = data.reload;
}

function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-zA-Z][a-zA-Z\d+.-]*:)/.test(specifier);
}

function fresh(result) {
  if (!reload || !result.url.startsWith('file:') || result.url.includes('?')) return result;
  return { ...result, url: `${result.url}?signalbox-reload` };
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return fresh(await nextResolve(specifier, context));
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw err;
    for (const parentURL of parents) {
      try {
        return fresh(await nextResolve(specifier, { ...context, parentURL }));
      } catch {
        /* not in this one */
      }
    }
    throw err;
  }
}
