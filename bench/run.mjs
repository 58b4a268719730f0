/**
 * Runs every benchmark in bench/ (each *.mjs here except this file), one after another so they do
 * not compete for the CPU, and passes their tables through. `npm run bench` calls it.
 *
 *   npm run build && npm run bench            # all
 *   npm run bench -- startup                  # only the named ones (file names without .mjs)
 *
 * Exits 1 when a benchmark fails (or when a name is unknown).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBuild } from './lib/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== basename(fileURLToPath(import.meta.url)))
  .map((f) => f.slice(0, -'.mjs'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(1);
}
requireBuild();

// Each benchmark bounds itself; this is the backstop if one ignores its own watchdog.
const LIMIT_MS = 10 * 60 * 1000;
let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    current?.kill('SIGTERM');
    process.exit(130);
  });
}

const results = [];
for (const name of wanted.length ? wanted : all) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const code = await new Promise((resolve) => {
    current = spawn(process.execPath, [join(here, `${name}.mjs`)], { stdio: ['ignore', 'inherit', 'inherit'] });
    const t = setTimeout(() => {
      console.error(`${name}: over ${LIMIT_MS / 60000} min, stopping it`);
      // SIGTERM first: the benchmark's exit handler then stops the servers it started.
      current.kill('SIGTERM');
      setTimeout(() => current.kill('SIGKILL'), 5000).unref();
    }, LIMIT_MS);
    current.once('exit', (c, s) => {
      clearTimeout(t);
      resolve(c ?? s);
    });
  });
  results.push({ name, code, s: (Date.now() - t0) / 1000 });
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name.padEnd(16)} ${r.s.toFixed(1)} s${r.code === 0 ? '' : ` (exit ${r.code})`}`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
