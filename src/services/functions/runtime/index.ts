/**
 * @module services/functions/runtime
 * The function runtime: Lambda functions run as child processes that speak the Lambda Runtime
 * API, with warm instances, timeouts, memory limits and Lambda's log lines. The Lambda API
 * (services/functions) hands it FunctionSpecs; see types.ts for the contract.
 */
export { FunctionRuntime, type FunctionRuntimeOptions, type InstanceInfo } from './function-runtime.js';
export { RESERVED_ENVIRONMENT_KEYS } from './environment.js';
export { makeTreeWritable, type IsolationRequest } from './isolation.js';
export { runtimeFamily, SUPPORTED_RUNTIMES, type RuntimeFamily } from './launch-plan.js';
export { MAX_RESPONSE_BYTES } from './platform-lines.js';
export type { FunctionSpec, InstanceAccess, InvokeOutcome, InvokeRequest, LogSink } from './types.js';
