/**
 * @module services/functions/model/runtimes
 * Which runtimes exist at AWS, and which of them Signalbox runs (the runtime's bootstraps:
 * Node.js, Python, and `provided.*` with the package's own `bootstrap`).
 */
import { createHash } from 'node:crypto';
import { invalid } from './input.js';

/** The runtimes Signalbox can start (services/functions/runtime). */
export const SUPPORTED_RUNTIMES = [
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13',
  'provided.al2', 'provided.al2023',
] as const;

/** AWS's accepted runtime values, in the order its error message lists them. */
const AWS_RUNTIMES =
  '[nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java17, nodejs16.x, java25, dotnet8, python3.10, java11, python3.11, dotnet6, java21, nodejs18.x, provided.al2, ruby3.3, ruby3.4, java8.al2, ruby3.2, python3.8, python3.9]';
const AWS_RUNTIME_SET = new Set(AWS_RUNTIMES.slice(1, -1).split(', '));

/** Runtimes AWS retired for creating and updating functions, with the upgrade it recommends. */
const RETIRED: Record<string, string> = {
  'nodejs12.x': 'nodejs18.x',
  'nodejs14.x': 'nodejs20.x',
  'python3.7': 'python3.12',
  'java8': 'java21',
  'go1.x': 'provided.al2023',
  'provided': 'provided.al2023',
  'ruby2.7': 'ruby3.2',
  'dotnetcore3.1': 'dotnet6',
};

/** Every runtime value a layer may declare compatible (AWS keeps old names valid there). */
export const LAYER_RUNTIMES = new Set([
  ...AWS_RUNTIME_SET, ...Object.keys(RETIRED), 'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs4.3-edge',
  'python2.7', 'python3.6', 'ruby2.5', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'python3.14', 'nodejs24.x', 'java25',
]);

export function isProvided(runtime: string): boolean {
  return runtime.startsWith('provided');
}

/** Refuses a runtime AWS would refuse, and one AWS accepts but Signalbox cannot run. */
export function checkRuntime(runtime: string): void {
  if ((SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return;
  const upgrade = RETIRED[runtime];
  if (upgrade) {
    throw invalid(`The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${upgrade}) while creating or updating functions.`);
  }
  if (AWS_RUNTIME_SET.has(runtime)) {
    throw invalid(`The runtime parameter of ${runtime} is not supported by Signalbox. Supported runtimes: ${SUPPORTED_RUNTIMES.join(', ')}.`);
  }
  throw invalid(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ${AWS_RUNTIMES} or be a valid ARN`);
}

/** RuntimeVersionConfig.RuntimeVersionArn: one stable id per runtime and region. */
export function runtimeVersionArn(region: string, runtime: string): string {
  return `arn:aws:lambda:${region}::runtime:${createHash('sha256').update(`signalbox:${runtime}`).digest('hex')}`;
}

/** SnapStart is offered for these runtimes only (of the ones Signalbox runs). */
export const SNAP_START_RUNTIMES = new Set(['python3.12', 'python3.13']);
