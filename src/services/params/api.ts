/**
 * @module services/params/api
 * Operation name (AWS spelling) → handler, for the SSM Parameter Store operations.
 *
 * Only the Parameter Store part of SSM is served; every other SSM operation has no handler and
 * the gateway answers it NotImplemented. The handlers live with their domain (reads, listing,
 * writes, tagging); this table is the one place that says which operations exist.
 */
import { bindOperations, type Handler, type ServiceDeps } from '../service.js';
import { describeParameters, getParametersByPath } from './listing.js';
import { getParameter, getParameterHistory, getParameters } from './reads.js';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './tagging.js';
import { deleteParameter, deleteParameters, labelParameterVersion, putParameter, unlabelParameterVersion } from './writes.js';

type Deps = Pick<ServiceDeps, 'store' | 'secrets' | 'clock'>;
type Operation = (d: Deps, input: Record<string, unknown>, ctx: Parameters<Handler>[1]) => Promise<object>;

const OPERATIONS: Record<string, Operation> = {
  PutParameter: putParameter,
  GetParameter: getParameter,
  GetParameters: getParameters,
  GetParametersByPath: getParametersByPath,
  DescribeParameters: describeParameters,
  GetParameterHistory: getParameterHistory,
  DeleteParameter: deleteParameter,
  DeleteParameters: deleteParameters,
  LabelParameterVersion: labelParameterVersion,
  UnlabelParameterVersion: unlabelParameterVersion,
  AddTagsToResource: addTagsToResource,
  RemoveTagsFromResource: removeTagsFromResource,
  ListTagsForResource: listTagsForResource,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

export function createHandlers(deps: Deps): Record<string, Handler> {
  return bindOperations(deps, OPERATIONS);
}
