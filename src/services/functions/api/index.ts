/**
 * @module services/functions/api/index
 * Operation name (AWS spelling) → handler, for the Lambda operations Signalbox serves. Invoke and
 * InvokeAsync, event source mappings, code signing, provisioned concurrency and layer-version
 * permissions have no handler yet: the gateway answers them NotImplemented. This table is the one
 * place that says which operations exist.
 */
import { bindOperations, type BoundOperation, type Handler } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { getAccountSettings } from './account.js';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import { deleteFunctionConcurrency, getFunctionConcurrency, putFunctionConcurrency } from './concurrency.js';
import { createFunction } from './create.js';
import { deleteFunction } from './delete.js';
import {
  deleteFunctionEventInvokeConfig, getFunctionEventInvokeConfig, listFunctionEventInvokeConfigs, putFunctionEventInvokeConfig,
  updateFunctionEventInvokeConfig,
} from './event-invoke.js';
import { deleteLayerVersion, getLayerVersion, getLayerVersionByArn, listLayers, listLayerVersions, publishLayerVersion } from './layers.js';
import { addPermission, getPolicy, removePermission } from './permissions.js';
import { getFunction, getFunctionConfiguration, listFunctions } from './read.js';
import { listTags, tagResource, untagResource } from './tags.js';
import { updateFunctionCode, updateFunctionConfiguration } from './update.js';
import { createFunctionUrlConfig, deleteFunctionUrlConfig, getFunctionUrlConfig, listFunctionUrlConfigs, updateFunctionUrlConfig } from './urls.js';
import { listVersionsByFunction, publishVersion } from './versions.js';

const OPERATIONS: Record<string, BoundOperation<FunctionsDeps>> = {
  CreateFunction: createFunction,
  GetFunction: getFunction,
  GetFunctionConfiguration: getFunctionConfiguration,
  ListFunctions: listFunctions,
  UpdateFunctionCode: updateFunctionCode,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
  DeleteFunction: deleteFunction,
  PublishVersion: publishVersion,
  ListVersionsByFunction: listVersionsByFunction,
  CreateAlias: createAlias,
  GetAlias: getAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  PutFunctionConcurrency: putFunctionConcurrency,
  GetFunctionConcurrency: getFunctionConcurrency,
  DeleteFunctionConcurrency: deleteFunctionConcurrency,
  PutFunctionEventInvokeConfig: putFunctionEventInvokeConfig,
  GetFunctionEventInvokeConfig: getFunctionEventInvokeConfig,
  UpdateFunctionEventInvokeConfig: updateFunctionEventInvokeConfig,
  DeleteFunctionEventInvokeConfig: deleteFunctionEventInvokeConfig,
  ListFunctionEventInvokeConfigs: listFunctionEventInvokeConfigs,
  AddPermission: addPermission,
  RemovePermission: removePermission,
  GetPolicy: getPolicy,
  PublishLayerVersion: publishLayerVersion,
  GetLayerVersion: getLayerVersion,
  GetLayerVersionByArn: getLayerVersionByArn,
  ListLayers: listLayers,
  ListLayerVersions: listLayerVersions,
  DeleteLayerVersion: deleteLayerVersion,
  CreateFunctionUrlConfig: createFunctionUrlConfig,
  GetFunctionUrlConfig: getFunctionUrlConfig,
  UpdateFunctionUrlConfig: updateFunctionUrlConfig,
  DeleteFunctionUrlConfig: deleteFunctionUrlConfig,
  ListFunctionUrlConfigs: listFunctionUrlConfigs,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTags: listTags,
  GetAccountSettings: getAccountSettings,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

export function createHandlers(deps: FunctionsDeps): Record<string, Handler> {
  return bindOperations(deps, OPERATIONS);
}
