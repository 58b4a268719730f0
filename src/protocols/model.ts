/**
 * @module protocols/model
 * AWS service models (operations and shapes), as the codecs walk them.
 *
 * The models come from the pinned `aws-sdk` (v2) devDependency: `scripts/build.mjs` copies
 * `apis/<uid>.min.json` for the services we serve into `dist/models/`. Nothing is copied into
 * the repository. A minified model inlines shapes used once and refers to shared ones as
 * `{ "shape": "S4", ...traits }`; `loadServiceModel` resolves those references into one
 * object graph (recursive shapes stay cyclic, never copied) so that codecs can walk
 * `shape.members[name]` directly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double'
  | 'boolean' | 'timestamp' | 'blob' | 'character' | 'bigdecimal' | 'biginteger';

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

/** A shape with the traits of the member that refers to it layered on top. */
export interface Shape {
  type: ShapeType;
  /** structure */
  members?: Record<string, Shape>;
  required?: string[];
  /** structure: the member that is the whole HTTP body (rest protocols) */
  payload?: string;
  /** list */
  member?: Shape;
  /** map */
  key?: Shape;
  value?: Shape;
  flattened?: boolean;
  locationName?: string;
  /** rest protocols: where a member travels */
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  queryName?: string;
  xmlNamespace?: { uri?: string; prefix?: string } | string;
  xmlAttribute?: boolean;
  xmlOrder?: string[];
  timestampFormat?: TimestampFormat;
  /** a string member that holds a JSON document (rest-json headers carry it base64) */
  jsonvalue?: boolean;
  streaming?: boolean;
  sensitive?: boolean;
  event?: boolean;
  eventstream?: boolean;
  enum?: string[];
  min?: number;
  max?: number;
  idempotencyToken?: boolean;
  /** query protocol: the element that wraps the output (`<GetXResult>`) */
  resultWrapper?: string;
}

export interface HttpBinding {
  method: string;
  requestUri: string;
  responseCode?: number;
}

export interface OperationModel {
  name: string;
  http: HttpBinding;
  input?: Shape;
  output?: Shape;
  /** the model marks it deprecated (REST routing prefers its successor on a shared template) */
  deprecated?: boolean;
}

/** What a service speaks on the wire; filled from the model's metadata, overridable per service. */
export interface ServiceMetadata {
  uid: string;
  apiVersion: string;
  endpointPrefix: string;
  serviceId: string;
  /** the protocol the model was written for */
  protocol: 'query' | 'json' | 'rest-json' | 'rest-xml' | 'ec2' | 'smithy-rpc-v2-cbor';
  jsonVersion?: '1.0' | '1.1';
  targetPrefix?: string;
  xmlNamespace?: string;
  /** JSON/CBOR errors also carry `x-amzn-query-error: Code;Sender` (CloudWatch, SQS) */
  awsQueryCompatible?: boolean;
  /** Smithy service shape name, the `<service>` of `/service/<service>/operation/<op>` */
  smithyServiceName?: string;
}

export interface ServiceModel {
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
}

type RawShape = Record<string, unknown> & { shape?: string; type?: ShapeType };
interface RawModel {
  metadata: Record<string, unknown>;
  operations: Record<string, { http?: Partial<HttpBinding>; input?: RawShape; output?: RawShape; deprecated?: boolean }>;
  shapes: Record<string, RawShape>;
}

/** Folders searched for `<uid>.json` (built) or `<uid>.min.json` (the devDependency itself). */
function modelDirs(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  let root = here;
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  return [join(root, 'dist', 'models'), join(root, 'node_modules', 'aws-sdk', 'apis')];
}

function readRawModel(uid: string): RawModel {
  for (const dir of modelDirs()) {
    for (const file of [`${uid}.json`, `${uid}.min.json`]) {
      const path = join(dir, file);
      if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as RawModel;
    }
  }
  throw new Error(`service model ${uid} not found: run \`npm run build\``);
}

/**
 * Resolves every `{shape: name}` reference into an object whose prototype is the named shape,
 * so member traits (locationName, location, flattened…) sit on top without copying the target.
 */
function resolveModel(raw: RawModel): Record<string, OperationModel> {
  const named = new Map<string, Shape>();
  const done = new WeakSet<object>();

  const ref = (node: RawShape): Shape => {
    if (node.shape !== undefined) {
      const target = named.get(node.shape);
      if (!target) throw new Error(`unknown shape ${node.shape}`);
      const { shape: _name, ...traits } = node;
      const member = Object.create(target) as Shape;
      Object.assign(member, traits);
      return member;
    }
    return fill(node);
  };

  const fill = (node: RawShape): Shape => {
    if (done.has(node)) return node as unknown as Shape;
    done.add(node);
    if (node.type === undefined) node.type = 'string';
    if (node.members && typeof node.members === 'object') {
      const members = node.members as Record<string, RawShape>;
      for (const name of Object.keys(members)) members[name] = ref(members[name]) as unknown as RawShape;
    }
    if (node.member) node.member = ref(node.member as RawShape);
    if (node.key) node.key = ref(node.key as RawShape);
    if (node.value) node.value = ref(node.value as RawShape);
    return node as unknown as Shape;
  };

  // Register every named shape first (references may point forward), then fill them.
  for (const [name, shape] of Object.entries(raw.shapes)) named.set(name, shape as unknown as Shape);
  for (const shape of Object.values(raw.shapes)) fill(shape);

  const operations: Record<string, OperationModel> = {};
  for (const [name, op] of Object.entries(raw.operations)) {
    operations[name] = {
      name,
      http: { method: op.http?.method ?? 'POST', requestUri: op.http?.requestUri ?? '/', responseCode: op.http?.responseCode },
      input: op.input ? ref(op.input) : undefined,
      output: op.output ? ref(op.output) : undefined,
      ...(op.deprecated === true ? { deprecated: true } : {}),
    };
  }
  return operations;
}

/**
 * Wire names a model has lost, put back when it is loaded: `Operation.input|output.Step…` →
 * locationName, where a step is a structure member's name, or `member` / `key` / `value` for a
 * list's item or a map's key and value. SQS's JSON-era model dropped its Query names
 * (`SendMessageBatchRequestEntry.N`, `<Attribute><Name>…</Name><Value>…</Value></Attribute>`),
 * which Query clients still send and expect. Only the Query and XML codecs read locationName;
 * the awsJson and CBOR codecs ignore it, so the same model keeps serving JSON unchanged.
 */
export type WireNames = Readonly<Record<string, string>>;

function applyWireNames(operations: Record<string, OperationModel>, names: WireNames): void {
  for (const [path, name] of Object.entries(names)) {
    const [opName, direction, ...steps] = path.split('.');
    const op = operations[opName];
    let node: Shape | undefined = direction === 'input' ? op?.input : direction === 'output' ? op?.output : undefined;
    for (const step of steps) {
      if (!node) break;
      const part: Shape | undefined =
        (step === 'member' && node.type === 'list') || ((step === 'key' || step === 'value') && node.type === 'map')
          ? node[step]
          : node.members?.[step];
      node = part;
    }
    // A name that no longer resolves means the pinned model changed shape: fail at start-up.
    if (!node || steps.length === 0) throw new Error(`wire name ${path}: no such member in the model`);
    // Own property: a member reference inherits from its named shape, which stays untouched.
    node.locationName = name;
  }
}

const cache = new Map<string, ServiceModel>();

/**
 * Loads (once) the model `uid`, e.g. `ssm-2014-11-06`, with metadata overrides and lost wire
 * names (see `WireNames`) applied.
 */
export function loadServiceModel(uid: string, overrides: Partial<ServiceMetadata> = {}, wireNames?: WireNames): ServiceModel {
  const key = `${uid}:${JSON.stringify(overrides)}:${wireNames ? JSON.stringify(wireNames) : ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const raw = readRawModel(uid);
  const m = raw.metadata;
  const metadata: ServiceMetadata = {
    uid,
    apiVersion: String(m.apiVersion),
    endpointPrefix: String(m.endpointPrefix),
    serviceId: String(m.serviceId),
    protocol: m.protocol as ServiceMetadata['protocol'],
    jsonVersion: m.jsonVersion as ServiceMetadata['jsonVersion'],
    targetPrefix: m.targetPrefix as string | undefined,
    xmlNamespace: m.xmlNamespace as string | undefined,
    awsQueryCompatible: m.awsQueryCompatible !== undefined,
    ...overrides,
  };
  const operations = resolveModel(raw);
  if (wireNames) applyWireNames(operations, wireNames);
  const model: ServiceModel = { metadata, operations };
  cache.set(key, model);
  return model;
}
