/**
 * @module services/functions/index
 * Lambda as the gateway sees it: REST-JSON, signed with the `lambda` SigV4 name, audited as
 * `lambda.amazonaws.com`. `/_signalbox/lambda/code/<id>` serves deployment packages to the
 * signed links GetFunction and GetLayerVersion hand out.
 *
 * At start-up the deployer finishes what was accepted before a restart (packages still to unpack,
 * functions still Pending). `invoke/` runs functions: Invoke, asynchronous events (also from
 * other services, through the `lambda` target) and function URLs.
 */
import { loadServiceModel } from '../../protocols/model.js';
import { bindOperations, defaultIsReadOnly, type Handler, type ServiceFactory } from '../service.js';
import { createHandlers } from './api/index.js';
import { CodePackages } from './code/packages.js';
import { Deployer } from './deployer.js';
import type { FunctionsDeps } from './deps.js';
import { createInvokePath } from './invoke/index.js';
import { serveCode } from './routes.js';

export const createFunctionsService: ServiceFactory = (deps) => {
  // wall-clock on purpose: compared with folder mtimes, which a test clock does not move
  const createdAt = Date.now();
  const packages = CodePackages.forDataDir(deps.config.dataDir);
  const deployer = new Deployer({ store: deps.store, packages, log: deps.log });
  const d: FunctionsDeps = { ...deps, packages, deployer };
  const invokePath = createInvokePath(deps);
  const isReadOnly = (op: string) => defaultIsReadOnly(op) || op === 'Invoke' || op === 'InvokeAsync';
  return {
    name: 'lambda',
    signingName: 'lambda',
    eventSource: 'lambda.amazonaws.com',
    model: loadServiceModel('lambda-2015-03-31'),
    protocols: ['rest-json'],
    handlers: { ...forgettingResolved(createHandlers(d), isReadOnly, invokePath.changed), ...bindOperations(invokePath.deps, invokePath.operations) },
    // invocations are data events, which CloudTrail leaves out by default
    isReadOnly,
    route: async (req) => (await serveCode(d, req)) ?? invokePath.route(req),
    start() {
      deployer.recover(createdAt).catch((e: unknown) => deps.log.error({ err: e }, 'lambda: resuming pending deployments failed'));
    },
    async stop() {
      await invokePath.stop();
      await deployer.stop();
    },
  };
};

/** Every operation that changes something makes the invoke path read functions afresh, before and after. */
function forgettingResolved(handlers: Record<string, Handler>, isReadOnly: (op: string) => boolean, changed: () => void): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  for (const [op, h] of Object.entries(handlers)) {
    out[op] = isReadOnly(op)
      ? h
      : async (input, ctx) => {
          changed();
          try {
            return await h(input, ctx);
          } finally {
            changed();
          }
        };
  }
  return out;
}
