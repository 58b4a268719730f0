/**
 * @module services/cloudwatch/wire
 * CloudWatch's model as it is served: one model (`monitoring-2010-08-01`) over AWS JSON 1.0,
 * Smithy RPC v2 CBOR and Query (aws-behaviour.md §1). Also loaded by the PutMetricData decoding
 * worker, which must decode exactly as the gateway does.
 */
import { loadServiceModel, type ServiceMetadata, type ServiceModel } from '../../protocols/model.js';

const CLOUDWATCH_WIRE: Partial<ServiceMetadata> = {
  jsonVersion: '1.0',
  targetPrefix: 'GraniteServiceVersion20100801',
  awsQueryCompatible: true,
  smithyServiceName: 'GraniteServiceVersion20100801',
};

export function loadCloudWatchModel(): ServiceModel {
  return loadServiceModel('monitoring-2010-08-01', CLOUDWATCH_WIRE);
}
