/**
 * @module services/pending
 * Services whose model is served before their handlers exist. Routing, SigV4 and the codecs work
 * for them, so each operation answers `NotImplemented` (501) in the client's own protocol rather
 * than "unknown service". An issue that implements a service replaces its line in
 * `services/index.ts` with the service's own folder.
 */
import type { ProtocolName } from '../protocols/codec.js';
import { loadServiceModel, type ServiceMetadata } from '../protocols/model.js';
import type { ServiceFactory } from './service.js';

export interface PendingSpec {
  name: string;
  uid: string;
  signingName: string;
  eventSource: string;
  protocols: ProtocolName[];
  overrides?: Partial<ServiceMetadata>;
}

export function pendingService(spec: PendingSpec): ServiceFactory {
  return () => ({
    name: spec.name,
    signingName: spec.signingName,
    eventSource: spec.eventSource,
    model: loadServiceModel(spec.uid, spec.overrides),
    protocols: spec.protocols,
    handlers: {},
  });
}

export const PENDING: readonly PendingSpec[] = [
  { name: 'firehose', uid: 'firehose-2015-08-04', signingName: 'firehose', eventSource: 'firehose.amazonaws.com', protocols: ['json'] },
  { name: 's3', uid: 's3-2006-03-01', signingName: 's3', eventSource: 's3.amazonaws.com', protocols: ['rest-xml'] },
];
