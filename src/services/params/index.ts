/**
 * @module services/params/index
 * The SSM Parameter Store service as the gateway sees it: AWS JSON 1.1 with the `AmazonSSM`
 * target prefix, signed with the `ssm` SigV4 name, audited as `ssm.amazonaws.com`.
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import { loadServiceModel } from '../../protocols/model.js';
import type { ServiceFactory } from '../service.js';
import { createHandlers } from './api.js';

export const createParamsService: ServiceFactory = (deps) => ({
  name: 'ssm',
  signingName: 'ssm',
  eventSource: 'ssm.amazonaws.com',
  model: loadServiceModel('ssm-2014-11-06'),
  protocols: ['json'],
  handlers: createHandlers(deps),
});
