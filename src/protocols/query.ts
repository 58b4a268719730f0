/**
 * @module protocols/query
 * AWS Query: form-encoded requests, XML responses. SNS speaks nothing else; CloudWatch and SQS
 * still get it from older SDKs and the Debian AWS CLI.
 *
 * Request: `Action=Op&Version=…&A.B.C=v` from the POST body (`application/x-www-form-urlencoded`,
 * charset or not) and/or the query string (GET; SNS confirmation links). The flat keys are first
 * folded into a tree on `.` (one pass over the pairs), then the tree is read along the input shape:
 *   lists `Name.member.N` (or `Name.<item locationName>.N`), flattened lists `Name.N`,
 *   maps `Name.entry.N.key|value` (names overridable), flattened maps `Name.N.key|value`,
 *   structures `A.B.C`, members renamed by `locationName`.
 * Leniency, because the cost is nil and real clients differ: members are also found by their
 * own name, and — for JSON-era models served over Query (SQS's v2 model has lost the Query
 * names) — a flattened list/map without a locationName is also found under its singular
 * (`AttributeName.1` for `AttributeNames`), with map keys/values also as `Name`/`Key`/`Value`.
 *
 * Response: `<OpResponse xmlns=ns><OpResult>…</OpResult><ResponseMetadata>…` (the Result element
 * is the model's resultWrapper, else `<Op>Result` as the JS SDK always expects one); errors are
 * `<ErrorResponse>` with Type/Code/Message and the status of the error.
 */
import { awsError, type ServiceError } from '../core/errors.js';
import type { Codec, CodecContext, Input, Output, WireRequest, WireResponse } from './codec.js';
import type { OperationModel, Shape } from './model.js';
import { INVALID, decodeFormComponent, parseScalarText, setOwn } from './shapes.js';

export { decodeFormComponent };
import { XmlWriter, memberElementName, namespaceAttr, writeFields, writeStructureBody } from './xml.js';

// ---------------------------------------------------------------------------------------------
// Form decoding into a key tree
// ---------------------------------------------------------------------------------------------

/** One dotted path segment: its own value (when the key ended here) and its children. */
class QNode {
  value?: string;
  kids?: Map<string, QNode>;

  child(name: string): QNode {
    if (!this.kids) this.kids = new Map();
    let n = this.kids.get(name);
    if (!n) {
      n = new QNode();
      this.kids.set(name, n);
    }
    return n;
  }
}


/** Folds `a=1&b.c=2` into the tree `root` (later duplicates win). */
function addPairs(root: QNode, text: string): void {
  if (text.length === 0) return;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const hasEq = eq >= 0 && eq < end;
      const key = decodeFormComponent(text.slice(start, hasEq ? eq : end));
      const value = hasEq ? decodeFormComponent(text.slice(eq + 1, end)) : '';
      let node = root;
      for (const seg of key.split('.')) node = node.child(seg);
      node.value = value;
    }
    start = end + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the tree along the input shape
// ---------------------------------------------------------------------------------------------

type QueryIndex = Map<string, [name: string, member: Shape]>;
const indexCache = new WeakMap<object, QueryIndex>();
/** Never aliases: these are the protocol's own parameters. */
const RESERVED = new Set(['Action', 'Version']);

function queryIndex(shape: Shape): QueryIndex {
  const members = shape.members ?? {};
  let idx = indexCache.get(members);
  if (idx) return idx;
  idx = new Map();
  const aliases: Array<[string, string, Shape]> = [];
  for (const name of Object.keys(members)) {
    const m = members[name];
    idx.set(memberElementName(m, name), [name, m]);
    aliases.push([name, name, m]);
    const flat = (m.type === 'list' || m.type === 'map') && m.flattened;
    if (flat && !m.locationName && !m.member?.locationName && name.length > 1 && name.endsWith('s')) {
      aliases.push([name.slice(0, -1), name, m]);
    }
  }
  for (const [alias, name, m] of aliases) if (!idx.has(alias) && !RESERVED.has(alias)) idx.set(alias, [name, m]);
  indexCache.set(members, idx);
  return idx;
}

function badValue(name: string, value: string): ServiceError {
  return awsError('InvalidParameterValue', `Value '${value.slice(0, 128)}' for parameter ${name} is invalid.`);
}

/** Children named by a positive integer, in numeric order (`member.10` after `member.9`). */
function indexed(node: QNode | undefined): QNode[] {
  if (!node?.kids) return [];
  const items: Array<[number, QNode]> = [];
  for (const [k, n] of node.kids) {
    if (k.length > 0 && k.length < 10 && /^\d+$/.test(k)) items.push([Number(k), n]);
  }
  items.sort((a, b) => a[0] - b[0]);
  return items.map((i) => i[1]);
}

function firstKid(node: QNode, names: Array<string | undefined>): QNode | undefined {
  for (const n of names) {
    if (n === undefined) continue;
    const k = node.kids?.get(n);
    if (k) return k;
  }
  return undefined;
}

function readNode(shape: Shape, node: QNode, name: string): unknown {
  switch (shape.type) {
    case 'structure':
      return readStructure(shape, node);
    case 'list': {
      const item = shape.member!;
      const container = shape.flattened ? node : firstKid(node, [item.locationName, 'member']);
      const out: unknown[] = [];
      for (const n of indexed(container)) {
        const v = readNode(item, n, name);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    case 'map': {
      const container = shape.flattened ? node : node.kids?.get('entry');
      const keyNames = [shape.key?.locationName, 'key', 'Name', 'Key'];
      const valueNames = [shape.value?.locationName, 'value', 'Value'];
      const out: Record<string, unknown> = {};
      for (const entry of indexed(container)) {
        const k = firstKid(entry, keyNames)?.value;
        const vn = firstKid(entry, valueNames);
        if (k === undefined || vn === undefined) continue;
        const v = readNode(shape.value!, vn, name);
        if (v !== undefined) setOwn(out, k, v);
      }
      return out;
    }
    default: {
      if (node.value === undefined) return undefined;
      const v = parseScalarText(shape.type, node.value);
      if (v === INVALID) throw badValue(name, node.value);
      return v;
    }
  }
}

function readStructure(shape: Shape, node: QNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!node.kids) return out;
  const idx = queryIndex(shape);
  for (const [key, child] of node.kids) {
    const e = idx.get(key);
    if (!e) continue; // unknown parameters (Action, Version, client extras) are ignored
    const v = readNode(e[1], child, e[0]);
    if (v !== undefined) out[e[0]] = v;
  }
  return out;
}

/** All parameters of a Query request as a key tree (query string first, body wins). */
function collectParams(req: WireRequest): QNode {
  const root = new QNode();
  addPairs(root, req.rawQuery);
  if (req.body.length > 0) addPairs(root, req.body.toString('utf8'));
  return root;
}

function findParam(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (decodeFormComponent(eq < 0 ? pair : pair.slice(0, eq)) === name) found = decodeFormComponent(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return found;
}

/**
 * The `Action` parameter (body wins over query string, as in `parse`), for routers that have
 * not picked an operation yet. A cheap scan: no tree is built.
 */
export function queryAction(req: WireRequest): string | undefined {
  return (req.body.length > 0 ? findParam(req.body.toString('utf8'), 'Action') : undefined) ?? findParam(req.rawQuery, 'Action');
}

// ---------------------------------------------------------------------------------------------
// The codec
// ---------------------------------------------------------------------------------------------

function xmlHeaders(ctx: CodecContext): Record<string, string> {
  return { 'Content-Type': 'text/xml', 'x-amzn-RequestId': ctx.requestId };
}

export const queryCodec: Codec = {
  protocol: 'query',

  parse(req: WireRequest, op: OperationModel): Input {
    const root = collectParams(req);
    return op.input ? readStructure(op.input, root) : {};
  },

  serialize(output: Output | undefined, op: OperationModel, ctx: CodecContext): WireResponse {
    const w = new XmlWriter();
    const root = `${op.name}Response`;
    w.open(root, namespaceAttr(ctx.service.metadata.xmlNamespace));
    if (op.output) {
      const wrapper = op.output.resultWrapper ?? `${op.name}Result`;
      w.open(wrapper);
      writeStructureBody(w, op.output, output ?? {});
      w.close(wrapper);
    }
    w.open('ResponseMetadata').leaf('RequestId', ctx.requestId).close('ResponseMetadata');
    w.close(root);
    return { status: 200, headers: xmlHeaders(ctx), body: w.toString() };
  },

  serializeError(err: ServiceError, _op: OperationModel | undefined, ctx: CodecContext): WireResponse {
    const w = new XmlWriter();
    w.open('ErrorResponse', namespaceAttr(ctx.service.metadata.xmlNamespace)).open('Error');
    w.leaf('Type', err.fault).leaf('Code', err.queryCode ?? err.code).leaf('Message', err.message);
    if (err.fields) writeFields(w, err.fields);
    w.close('Error').leaf('RequestId', ctx.requestId).close('ErrorResponse');
    return { status: err.status, headers: xmlHeaders(ctx), body: w.toString() };
  },
};
