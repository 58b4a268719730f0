/**
 * @module protocols/rest-xml
 * REST-XML (S3): HTTP bindings from `rest.ts`, bodies as XML.
 *
 * Input: the `payload` member is the whole body (a blob = raw bytes, always present, possibly
 * empty — PutObject; a structure = an XML document whose root element is the payload's
 * locationName — PutBucketTagging's `<Tagging>`); without a payload member the unbound members
 * are read from the root element's children. XML is parsed with fast-xml-parser (validated;
 * DOCTYPEs refused, so no entity expansion); broken XML → `MalformedXML`, a header or query
 * value of the wrong type → `InvalidArgument`, as S3 answers.
 *
 * Output: `<?xml?>` + root element. The root is named by the payload member's locationName, else
 * the output shape's locationName; the minified v2 models dropped the output shape names S3
 * uses (`ListBucketResult`…), so a small table restores the common ones, else `<Op>Result` (the
 * SDK deserializers ignore the root name). A root whose only body member has the root's own name
 * and is a scalar is written as text (`<LocationConstraint>eu-west-1</LocationConstraint>`).
 * The namespace is the shape's xmlNamespace, else the service metadata's (S3's own when the
 * service is S3: its model metadata has none). Errors are S3's
 * `<Error><Code/><Message/>…<RequestId/></Error>` with `application/xml`.
 */
import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import { awsError, type ServiceError } from '../core/errors.js';
import type { Codec, CodecContext, Input, Output, WireRequest, WireResponse } from './codec.js';
import type { OperationModel, Shape } from './model.js';
import { badValueAs, hasHeader, readHttpBindings, writeHttpBindings } from './rest.js';
import { INVALID, isScalar, parseScalarText, setOwn, toBuffer } from './shapes.js';
import { XmlWriter, escapeText, memberElementName, namespaceAttr, writeFields, writeStructureBody, writeValue } from './xml.js';

const bad = badValueAs('InvalidArgument');
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
/** S3's document namespace; its model metadata carries none, but every S3 response uses it. */
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Root element names S3 uses for outputs without a payload member (lost from the v2 model). */
const S3_ROOTS: Record<string, string> = {
  ListObjects: 'ListBucketResult',
  ListObjectsV2: 'ListBucketResult',
  ListObjectVersions: 'ListVersionsResult',
  ListBuckets: 'ListAllMyBucketsResult',
  ListMultipartUploads: 'ListMultipartUploadsResult',
  ListParts: 'ListPartsResult',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  CompleteMultipartUpload: 'CompleteMultipartUploadResult',
  DeleteObjects: 'DeleteResult',
  GetBucketTagging: 'Tagging',
  GetObjectTagging: 'Tagging',
  GetBucketLocation: 'LocationConstraint',
  GetBucketVersioning: 'VersioningConfiguration',
  GetBucketAcl: 'AccessControlPolicy',
  GetObjectAcl: 'AccessControlPolicy',
  GetBucketCors: 'CORSConfiguration',
  GetBucketLifecycleConfiguration: 'LifecycleConfiguration',
  GetBucketNotificationConfiguration: 'NotificationConfiguration',
};

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** A parsed element: child elements by local name (always arrays), `#text`, attributes in `@`. */
type XNode = Record<string, unknown> & { '#text'?: string; '@'?: Record<string, string> };

// fast-xml-parser is loaded on the first REST-XML request body (S3): start-up is faster without it.
let parser: XMLParser | undefined;
function xmlParser(): XMLParser {
  parser ??= new (createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser')).XMLParser({
    ignoreAttributes: false,
    attributesGroupName: '@',
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false, // S3 keys may start or end with spaces
    alwaysCreateTextNode: true,
    isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
    processEntities: true,
    htmlEntities: true, // also decodes numeric references (&#xD;) that clients use for CR
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  return parser;
}

function malformed(): ServiceError {
  return awsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
}

/**
 * Parses a body into its root element (undefined for an empty body). `expect`: the root's
 * required name (a payload's locationName), as S3 rejects any other document.
 */
export function parseXmlRoot(body: Buffer, expect?: string): XNode | undefined {
  const text = body.toString('utf8');
  if (text.trim().length === 0) return undefined;
  if (/<!DOCTYPE/i.test(text)) throw malformed();
  let doc: Record<string, unknown>;
  try {
    doc = xmlParser().parse(text, true) as Record<string, unknown>;
  } catch {
    throw malformed();
  }
  const roots = Object.entries(doc).filter(([k, v]) => k !== '#text' && Array.isArray(v));
  if (roots.length !== 1 || (roots[0][1] as unknown[]).length !== 1) throw malformed();
  if (expect !== undefined && roots[0][0] !== local(expect)) throw malformed();
  return (roots[0][1] as XNode[])[0];
}

/** `xsi:type` → `type`: the parser strips namespace prefixes from names. */
function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function textOf(el: unknown): string {
  if (el !== null && typeof el === 'object') return ((el as XNode)['#text'] as string | undefined) ?? '';
  return typeof el === 'string' ? el : '';
}

function children(el: XNode, name: string): XNode[] {
  const v = el[local(name)];
  return Array.isArray(v) ? (v as XNode[]) : [];
}

function scalar(shape: Shape, text: string, name: string): unknown {
  const v = parseScalarText(shape.type, text);
  if (v === INVALID) throw awsError('MalformedXML', `Invalid value for ${name}.`);
  return v;
}

function readMapEntries(map: Shape, entries: XNode[], name: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keyName = map.key?.locationName ?? 'key';
  const valueName = map.value?.locationName ?? 'value';
  for (const e of entries) {
    const k = children(e, keyName)[0];
    const v = children(e, valueName)[0];
    if (k === undefined || v === undefined) continue;
    setOwn(out, textOf(k), readXml(map.value!, v, name));
  }
  return out;
}

/** Reads the children of a structure element along `shape` (HTTP-bound members skipped). */
export function readXmlStructure(shape: Shape, el: XNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const members = shape.members ?? {};
  for (const name of Object.keys(members)) {
    const m = members[name];
    if (m.location !== undefined) continue;
    if (m.xmlAttribute) {
      const a = el['@']?.[local(m.locationName ?? name)];
      if (a !== undefined) out[name] = scalar(m, a, name);
    } else if (m.type === 'list' && m.flattened) {
      const els = children(el, memberElementName(m, name));
      if (els.length > 0) out[name] = els.map((e) => readXml(m.member!, e, name));
    } else if (m.type === 'map' && m.flattened) {
      const els = children(el, m.locationName ?? name);
      if (els.length > 0) out[name] = readMapEntries(m, els, name);
    } else {
      const e = children(el, m.locationName ?? name)[0];
      if (e !== undefined) out[name] = readXml(m, e, name);
    }
  }
  return out;
}

function readXml(shape: Shape, el: XNode, name: string): unknown {
  switch (shape.type) {
    case 'structure':
      return readXmlStructure(shape, el);
    case 'list':
      return children(el, shape.member?.locationName ?? 'member').map((e) => readXml(shape.member!, e, name));
    case 'map':
      return readMapEntries(shape, children(el, 'entry'), name);
    default:
      return scalar(shape, textOf(el), name);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

function bodyMemberNames(shape: Shape): string[] {
  const members = shape.members ?? {};
  return Object.keys(members).filter((n) => members[n].location === undefined);
}

/** The XML (or raw) body of an output, with its content type; '' when there is none. */
function outputBody(op: OperationModel, output: Output | undefined, ctx: CodecContext): [Buffer | string, string?] {
  const shape = op.output;
  if (!shape) return [''];
  const meta = ctx.service.metadata;
  const serviceNs = meta.xmlNamespace ?? (meta.endpointPrefix === 's3' ? S3_NAMESPACE : undefined);
  if (shape.payload) {
    const m = shape.members![shape.payload];
    const v = output?.[shape.payload];
    if (v === undefined || v === null) return [''];
    if (m.type === 'blob') return [toBuffer(v), 'application/octet-stream'];
    if (m.type === 'string') return [typeof v === 'string' ? v : String(v), 'text/plain'];
    const w = new XmlWriter().raw(XML_DECL);
    writeValue(w, m, m.locationName ?? shape.payload, v, m.xmlNamespace || !serviceNs ? '' : namespaceAttr(serviceNs));
    return [w.toString(), 'application/xml'];
  }
  const names = bodyMemberNames(shape);
  if (names.length === 0) return [''];
  const root = shape.locationName ?? S3_ROOTS[op.name] ?? `${op.name}Result`;
  const ns = namespaceAttr(shape.xmlNamespace ?? serviceNs);
  const w = new XmlWriter().raw(XML_DECL);
  const only = names.length === 1 ? shape.members![names[0]] : undefined;
  if (only && isScalar(only) && (only.locationName ?? names[0]) === root) {
    // S3's GetBucketLocation: the root element *is* the value.
    const v = output?.[names[0]];
    w.open(root, ns);
    if (v !== undefined && v !== null) w.raw(escapeText(String(v)));
    w.close(root);
  } else {
    w.open(root, ns);
    writeStructureBody(w, shape, output ?? {});
    w.close(root);
  }
  return [w.toString(), 'application/xml'];
}

function baseHeaders(ctx: CodecContext): Record<string, string> {
  // S3 clients look for x-amz-request-id; the others for x-amzn-RequestId.
  return { 'x-amzn-RequestId': ctx.requestId, 'x-amz-request-id': ctx.requestId };
}

export const restXmlCodec: Codec = {
  protocol: 'rest-xml',

  parse(req: WireRequest, op: OperationModel, ctx: CodecContext): Input {
    const shape = op.input;
    if (!shape) return {};
    const out: Input = {};
    readHttpBindings(req, shape, ctx, bad, out);
    if (shape.payload) {
      const m = shape.members![shape.payload];
      if (m.type === 'blob') out[shape.payload] = req.body;
      else if (m.type === 'string') {
        if (req.body.length > 0) out[shape.payload] = req.body.toString('utf8');
      } else {
        const root = parseXmlRoot(req.body, m.locationName);
        if (root) out[shape.payload] = readXml(m, root, shape.payload);
      }
    } else if (bodyMemberNames(shape).length > 0) {
      const root = parseXmlRoot(req.body);
      if (root) Object.assign(out, readXmlStructure(shape, root));
    }
    return out;
  },

  serialize(output: Output | undefined, op: OperationModel, ctx: CodecContext): WireResponse {
    const headers = baseHeaders(ctx);
    const status = writeHttpBindings(op.output, output, headers) ?? op.http.responseCode ?? 200;
    const [body, type] = outputBody(op, output, ctx);
    if (type && !hasHeader(headers, 'content-type')) headers['Content-Type'] = type;
    return { status, headers, body };
  },

  serializeError(err: ServiceError, _op: OperationModel | undefined, ctx: CodecContext): WireResponse {
    const w = new XmlWriter().raw(XML_DECL).open('Error');
    w.leaf('Code', err.queryCode ?? err.code).leaf('Message', err.message);
    if (err.fields) writeFields(w, err.fields);
    w.leaf('RequestId', ctx.requestId).close('Error');
    return { status: err.status, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body: w.toString() };
  },
};
