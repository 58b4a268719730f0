// Builds dist/: compiles src/ with tsc, copies the SQL migrations and the function bootstraps, and copies the service models
// of the services Signalbox serves from the pinned `aws-sdk` devDependency (never into the repo).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

/** uid of every model a service reads (src/services/<svc>/index.ts passes the same uid). */
export const MODELS = [
  'ssm-2014-11-06',
  'monitoring-2010-08-01',
  'sns-2010-03-31',
  'sqs-2012-11-05',
  'lambda-2015-03-31',
  'events-2015-10-07',
  'firehose-2015-08-04',
  'logs-2014-03-28',
  's3-2006-03-01',
];

// dist/ is overwritten in place, not wiped first: a test run that is reading it at the same
// moment keeps working. `npm run clean` starts afresh.
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

cpSync(join(root, 'src', 'store', 'migrations'), join(dist, 'store', 'migrations'), { recursive: true });
// the function runtimes' bootstraps are assets in their own languages (Node, Python, sh), not TypeScript
const bootstraps = join('services', 'functions', 'runtime', 'bootstraps');
cpSync(join(root, 'src', bootstraps), join(dist, bootstraps), { recursive: true });

const apis = join(dirname(require.resolve('aws-sdk/package.json')), 'apis');
mkdirSync(join(dist, 'models'), { recursive: true });
for (const uid of MODELS) {
  const from = join(apis, `${uid}.min.json`);
  if (!existsSync(from)) throw new Error(`model ${uid} missing from aws-sdk`);
  copyFileSync(from, join(dist, 'models', `${uid}.json`));
}
console.log(`built dist/ (${MODELS.length} service models)`);
