/**
 * @module protocols/index
 * The codec registry and the public face of `src/protocols`.
 *
 * Codecs hold no per-request state (their caches are keyed by model shapes), so one instance per
 * protocol serves every service and every request; `getCodec` just hands it out.
 */
import type { Codec, ProtocolName } from './codec.js';
import { jsonCodec } from './json.js';
import { queryCodec } from './query.js';
import { restJsonCodec } from './rest-json.js';
import { restXmlCodec } from './rest-xml.js';
import { cborCodec } from './rpcv2-cbor.js';

const CODECS: Record<ProtocolName, Codec> = {
  query: queryCodec,
  json: jsonCodec,
  'rpcv2-cbor': cborCodec,
  'rest-json': restJsonCodec,
  'rest-xml': restXmlCodec,
};

export function getCodec(name: ProtocolName): Codec {
  const codec = CODECS[name];
  if (!codec) throw new Error(`unknown protocol ${String(name)}`);
  return codec;
}

export type { Codec, CodecContext, Input, Output, ProtocolName, WireRequest, WireResponse } from './codec.js';
export type { OperationModel, ServiceMetadata, ServiceModel, Shape } from './model.js';
export { loadServiceModel } from './model.js';
export { matchRestOperation, type RestMatch } from './rest-path.js';
export { queryAction } from './query.js';
export { jsonCodec, queryCodec, cborCodec, restJsonCodec, restXmlCodec };
export { parseTimestamp, formatTimestamp, decodeBase64 } from './shapes.js';
