/**
 * @module protocols/xml
 * The small XML writer Query and rest-xml share, and the shape-directed serializer on top of it.
 *
 * Why our own writer: the output is always a fixed envelope plus model-driven elements, so plain
 * string concatenation with correct escaping is all that is needed, and it keeps the codecs free
 * of a DOM. The naming rules follow what the SDK deserializers expect:
 *   - a member's element is its `locationName`, else the member name;
 *   - a list is `<Name><member>…</member></Name>` (item name = the list member's locationName,
 *     else `member`); a flattened list repeats the item element in place, named by the list
 *     member's locationName, else the member's locationName, else the member name;
 *   - a map is `<Name><entry><key>k</key><value>v</value></entry></Name>` (key/value names
 *     overridable by locationName); a flattened map repeats `<Name><key/><value/></Name>`;
 *   - structures write members in `xmlOrder` when the model gives one, else model order;
 *   - timestamps are ISO 8601 UTC with millis unless the member says otherwise.
 */
import type { Shape } from './model.js';
import { formatScalarText, isPlainObject, memberOrder } from './shapes.js';

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\r\n\t]/;

/**
 * Escapes element text. `\r` is written as a character reference because XML parsers turn a
 * literal CR (and CRLF) into LF, which would silently change message bodies.
 */
export function escapeText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#xD;')
    .replace(/\n/g, '&#xA;')
    .replace(/\t/g, '&#x9;');
}

/** Append-only XML text builder. Element names come from the model, never from clients. */
export class XmlWriter {
  private s = '';

  /** `attrs` is pre-rendered (` a="b"`), see `attr()` */
  open(name: string, attrs = ''): this {
    this.s += '<' + name + attrs + '>';
    return this;
  }

  close(name: string): this {
    this.s += '</' + name + '>';
    return this;
  }

  /** `<name>escaped text</name>` */
  leaf(name: string, text: string): this {
    this.s += '<' + name + '>' + escapeText(text) + '</' + name + '>';
    return this;
  }

  raw(xml: string): this {
    this.s += xml;
    return this;
  }

  toString(): string {
    return this.s;
  }
}

/** ` name="value"` with the value escaped. */
export function attr(name: string, value: string): string {
  return ' ' + name + '="' + escapeAttr(value) + '"';
}

/** `xmlns` declaration for a shape's xmlNamespace trait ('' when none). */
export function namespaceAttr(ns: Shape['xmlNamespace'] | undefined): string {
  if (ns === undefined) return '';
  if (typeof ns === 'string') return attr('xmlns', ns);
  if (!ns.uri) return '';
  return attr(ns.prefix ? `xmlns:${ns.prefix}` : 'xmlns', ns.uri);
}

function entriesOf(value: unknown): Iterable<[string, unknown]> {
  if (value instanceof Map) return value;
  return isPlainObject(value) ? Object.entries(value) : [];
}

/** Element name of a structure member, with botocore's rule for flattened lists. */
export function memberElementName(member: Shape, name: string): string {
  if (member.type === 'list' && member.flattened && member.member?.locationName) return member.member.locationName;
  return member.locationName ?? name;
}

/** Attributes (xmlAttribute members and the namespace) for a structure's opening tag. */
function structureAttrs(shape: Shape, value: Record<string, unknown>): string {
  let a = namespaceAttr(shape.xmlNamespace);
  const members = shape.members ?? {};
  for (const name of Object.keys(members)) {
    const m = members[name];
    if (!m.xmlAttribute) continue;
    const v = value[name];
    if (v === undefined || v === null) continue;
    a += attr(m.locationName ?? name, formatScalarText(m, v, 'iso8601'));
  }
  return a;
}

/** Writes the child elements of a structure (members bound to HTTP locations are skipped). */
export function writeStructureBody(w: XmlWriter, shape: Shape, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  const members = shape.members ?? {};
  for (const name of memberOrder(shape)) {
    const m = members[name];
    if (m === undefined || m.location !== undefined || m.xmlAttribute) continue;
    const v = obj[name];
    if (v === undefined || v === null) continue;
    writeMember(w, m, name, v);
  }
}

/** Writes one structure member, handling the flattened list / map forms. */
export function writeMember(w: XmlWriter, member: Shape, name: string, value: unknown): void {
  if (member.type === 'list' && member.flattened) {
    if (!Array.isArray(value)) return;
    const el = memberElementName(member, name);
    for (const item of value) if (item !== undefined && item !== null) writeValue(w, member.member!, el, item);
    return;
  }
  if (member.type === 'map' && member.flattened) {
    const el = member.locationName ?? name;
    for (const [k, v] of entriesOf(value)) {
      if (v === undefined || v === null) continue;
      w.open(el);
      writeEntry(w, member, k, v);
      w.close(el);
    }
    return;
  }
  writeValue(w, member, member.locationName ?? name, value);
}

function writeEntry(w: XmlWriter, map: Shape, k: string, v: unknown): void {
  w.leaf(map.key?.locationName ?? 'key', String(k));
  writeValue(w, map.value!, map.value?.locationName ?? 'value', v);
}

/** Writes `value` as the element `el` of type `shape`. */
export function writeValue(w: XmlWriter, shape: Shape, el: string, value: unknown, extraAttrs = ''): void {
  switch (shape.type) {
    case 'structure': {
      const obj = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      w.open(el, structureAttrs(shape, obj) + extraAttrs);
      writeStructureBody(w, shape, obj);
      w.close(el);
      return;
    }
    case 'list': {
      w.open(el, extraAttrs);
      const itemName = shape.member?.locationName ?? 'member';
      if (Array.isArray(value)) {
        for (const item of value) if (item !== undefined && item !== null) writeValue(w, shape.member!, itemName, item);
      }
      w.close(el);
      return;
    }
    case 'map': {
      w.open(el, extraAttrs);
      for (const [k, v] of entriesOf(value)) {
        if (v === undefined || v === null) continue;
        w.open('entry');
        writeEntry(w, shape, k, v);
        w.close('entry');
      }
      w.close(el);
      return;
    }
    default:
      w.open(el, extraAttrs);
      w.raw(escapeText(formatScalarText(shape, value, 'iso8601')));
      w.close(el);
  }
}

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** The envelope already says these; a field of the same name must not repeat them. */
const ENVELOPE = new Set(['Code', 'Message', 'Type', 'RequestId']);

/**
 * Error extras as child elements. Error fields carry no shape (the pinned models leave error
 * structures out), so they are written the way Query and rest-xml write any value: scalars as
 * text, Dates ISO 8601, bytes base64, a list as `<name><member>…</member></name>` and a
 * structure as one child element per member, recursively. CloudWatch's
 * `dashboardValidationMessages` thus reaches Query clients as
 * `<dashboardValidationMessages><member><DataPath>…</DataPath><Message>…</Message></member></dashboardValidationMessages>`,
 * which is what the SDKs read into the error's member.
 */
export function writeFields(w: XmlWriter, fields: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(fields)) {
    if (ENVELOPE.has(k)) continue;
    writeField(w, k, v);
  }
}

function writeField(w: XmlWriter, name: string, v: unknown): void {
  if (v === undefined || v === null || !ELEMENT_NAME.test(name)) return;
  if (v instanceof Date) w.leaf(name, v.toISOString());
  else if (v instanceof Uint8Array) w.leaf(name, Buffer.from(v).toString('base64'));
  else if (Array.isArray(v)) {
    w.open(name);
    for (const item of v) writeField(w, 'member', item);
    w.close(name);
  } else if (v instanceof Map || isPlainObject(v)) {
    w.open(name);
    for (const [k, x] of entriesOf(v)) writeField(w, k, x);
    w.close(name);
  } else if (typeof v === 'object') w.leaf(name, JSON.stringify(v));
  else w.leaf(name, String(v));
}
