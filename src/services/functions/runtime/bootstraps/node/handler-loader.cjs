'use strict';
/**
 * Finds and loads the handler named by _HANDLER ("dir/file.export.nested") the way Lambda's Node
 * runtimes do: file.js, file.mjs, then file.cjs under LAMBDA_TASK_ROOT (a .js file is an ES module
 * when the nearest package.json says "type": "module"), else a module of that name resolvable from
 * there. Failures become Runtime.MalformedHandlerName, Runtime.ImportModuleError,
 * Runtime.UserCodeSyntaxError or Runtime.HandlerNotFound.
 */
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { register } = require('node:module');
const { RuntimeError } = require('./invoke-errors.cjs');

const EXTENSIONS = ['.js', '.mjs', '.cjs'];
let hooksRegistered = false;

function splitHandler(handler) {
  const slash = handler.lastIndexOf('/');
  const moduleRoot = handler.slice(0, slash + 1);
  const match = /^([^.]*)\.(.*)$/.exec(handler.slice(slash + 1));
  if (!match || !match[1] || !match[2]) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handler}`);
  return { moduleRoot, moduleName: match[1], exportPath: match[2] };
}

/** The nearest package.json's "type", looking no higher than `top` (the task root, AWS's /var/task). */
function packageType(file, top = path.parse(file).root) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      return { type: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type, dir };
    } catch (e) {
      if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') return { type: undefined, dir };
    }
    if (dir === top || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * On Lambda nothing above /var/task has a package.json. Here the code may sit below one that says
 * "type": "module" (a data folder inside a project), which would make Node treat the function's
 * CommonJS .js files as ES modules: such files are compiled as CommonJS, as on Lambda.
 */
function ignorePackageScopeAbove(taskRoot) {
  const above = packageType(taskRoot);
  if (!above || above.type !== 'module') return;
  const Module = require('node:module');
  const compileJs = Module._extensions['.js'];
  Module._extensions['.js'] = function compileOwnCommonJs(module, filename) {
    if (filename.startsWith(taskRoot + path.sep) && !packageType(filename, taskRoot)) {
      return module._compile(fs.readFileSync(filename, 'utf8'), filename);
    }
    return compileJs(module, filename);
  };
}

/** NODE_PATH's node_modules folders: the layers', then the SDK Signalbox provides. */
function fallbackNodeModules() {
  return (process.env.NODE_PATH || '').split(':').filter((d) => path.basename(d) === 'node_modules');
}

/**
 * module.register starts a loader thread (tens of milliseconds), so the hooks are registered only
 * when an import needs them: the entry file imports dynamically, or a first import failed on a
 * package that only a fallback folder has.
 */
function registerFallbackHooks(reload) {
  if (hooksRegistered) return;
  hooksRegistered = true;
  register(pathToFileURL(path.join(__dirname, 'esm-fallback-hooks.mjs')).href, {
    data: { nodeModules: fallbackNodeModules(), reload },
  });
}

function missingPackage(err) {
  const m = /Cannot find package '([^']+)'/.exec(String(err && err.message));
  if (!m) return undefined;
  const parts = m[1].split('/');
  return m[1].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importFailure(err) {
  if (err instanceof RuntimeError) return err;
  if (err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND')) {
    return new RuntimeError('Runtime.ImportModuleError', String(err));
  }
  if (err instanceof SyntaxError) return new RuntimeError('Runtime.UserCodeSyntaxError', String(err));
  return err;
}

async function importModule(file) {
  const url = pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (err) {
    const pkg = !hooksRegistered && missingPackage(err);
    if (!pkg || !fallbackNodeModules().some((dir) => fs.existsSync(path.join(dir, pkg)))) throw err;
    registerFallbackHooks(true);
    return await import(url);
  }
}

function findModuleFile(taskRoot, moduleRoot, moduleName) {
  const base = path.resolve(taskRoot, moduleRoot, moduleName);
  for (const ext of EXTENSIONS) {
    if (fs.existsSync(base + ext)) return base + ext;
  }
  try {
    return require.resolve(moduleName, { paths: [path.resolve(taskRoot, moduleRoot)] });
  } catch {
    throw new RuntimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${__filename}`,
    );
  }
}

async function loadModule(file, taskRoot) {
  let source = '';
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    /* a package main resolved elsewhere: loading reports the problem */
  }
  if (source.includes('import(')) registerFallbackHooks(false);
  const esm = file.endsWith('.mjs') || (file.endsWith('.js') && packageType(file, taskRoot)?.type === 'module');
  return esm ? importModule(file) : require(file);
}

async function loadHandler(taskRootAsGiven, handler) {
  const { moduleRoot, moduleName, exportPath } = splitHandler(handler || '');
  // module file names are real paths: compare them with the real task root
  const taskRoot = fs.realpathSync(taskRootAsGiven);
  ignorePackageScopeAbove(taskRoot);
  let loaded;
  try {
    loaded = await loadModule(findModuleFile(taskRoot, moduleRoot, moduleName), taskRoot);
  } catch (err) {
    throw importFailure(err);
  }
  let fn = loaded;
  for (const key of exportPath.split('.')) fn = fn == null ? undefined : fn[key];
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${moduleName}.${exportPath} is undefined or not exported`);
  }
  return fn;
}

module.exports = { loadHandler };
