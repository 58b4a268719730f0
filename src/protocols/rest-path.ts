/**
 * @module protocols/rest-path
 * Finds the operation of a REST request (Lambda, S3) from method + path + query (+ headers).
 *
 * Each operation's `http.requestUri` template is compiled once per model into a RegExp:
 * literal text is matched as is, `{Label}` takes one path segment, `{Label+}` (greedy) takes the
 * rest of the path including `/`. Literal query parts of the template (`/{Bucket}?tagging`,
 * `?list-type=2`) must be present in the request (with that value when the template gives one).
 * A trailing `/` is tolerated unless the template ends in a greedy label (S3 keys may end in `/`).
 *
 * Several operations can share a template (S3: PutObject / CopyObject / UploadPart on
 * `PUT /{Bucket}/{Key+}`), so a candidate is also required to carry its *required* query-string
 * members (UploadPart's `partNumber`, `uploadId`) and, when headers are given, its required
 * header members (CopyObject's `x-amz-copy-source`). Among the candidates left, the most specific
 * wins, compared in this order:
 *   1. more literal query keys + required query / header members present;
 *   2. more literal path characters;  3. fewer greedy labels;
 *   4. not needing headers we could not check;  5. not deprecated;  6. model order.
 * The JS SDK's `x-id=<Operation>` query hint, when it names a matching candidate, decides outright.
 *
 * `pathParams` come back percent-decoded (`k%201/x.txt` → `k 1/x.txt`); a label whose escape is
 * malformed is left raw rather than failing the match (the handler then reports "not found").
 */
import type { OperationModel, ServiceModel } from './model.js';

export interface RestMatch {
  op: OperationModel;
  pathParams: Record<string, string>;
}

type Headers = Record<string, string | string[] | undefined>;

interface Route {
  op: OperationModel;
  re: RegExp;
  labels: string[];
  /** literal query keys the template requires, with the value when it gives one */
  query: Array<[key: string, value: string | undefined]>;
  /** query keys of required querystring members */
  requiredQuery: string[];
  /** lower-case names of required header members */
  requiredHeaders: string[];
  literalChars: number;
  greedy: number;
  index: number;
}

const LABEL = /\{([^}+]+)(\+?)\}/g;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Compiles one operation's `requestUri` template. */
function compileRoute(op: OperationModel, index: number): Route {
  const uri = op.http.requestUri || '/';
  const q = uri.indexOf('?');
  const pathT = q < 0 ? uri : uri.slice(0, q);
  const queryT = q < 0 ? '' : uri.slice(q + 1);

  let re = '^';
  let last = 0;
  let literalChars = 0;
  let greedy = 0;
  let endsGreedy = false;
  const labels: string[] = [];
  for (const m of pathT.matchAll(LABEL)) {
    const text = pathT.slice(last, m.index);
    re += escapeRe(text);
    literalChars += text.length;
    labels.push(m[1]);
    if (m[2] === '+') greedy++;
    re += m[2] === '+' ? '(.+)' : '([^/]+)';
    last = m.index! + m[0].length;
    endsGreedy = last === pathT.length && m[2] === '+';
  }
  let tail = pathT.slice(last);
  literalChars += tail.length;
  if (tail.endsWith('/') && pathT.length > 1) tail = tail.slice(0, -1);
  re += escapeRe(tail);
  if (!endsGreedy && pathT !== '/') re += '/?';
  re += '$';

  const query: Route['query'] = [];
  for (const part of queryT.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    query.push(eq < 0 ? [safeDecode(part), undefined] : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))]);
  }

  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  const members = op.input?.members ?? {};
  for (const name of op.input?.required ?? []) {
    const m = members[name];
    if (m?.location === 'querystring' && m.locationName) requiredQuery.push(m.locationName);
    else if (m?.location === 'header') requiredHeaders.push((m.locationName ?? name).toLowerCase());
  }
  return { op, re: new RegExp(re), labels, query, requiredQuery, requiredHeaders, literalChars, greedy, index };
}

const tables = new WeakMap<ServiceModel, Map<string, Route[]>>();

function table(model: ServiceModel): Map<string, Route[]> {
  let t = tables.get(model);
  if (t) return t;
  t = new Map();
  let index = 0;
  for (const op of Object.values(model.operations)) {
    const method = (op.http.method || 'POST').toUpperCase();
    let list = t.get(method);
    if (!list) t.set(method, (list = []));
    list.push(compileRoute(op, index++));
  }
  tables.set(model, t);
  return t;
}

/** Query string keys → first value, decoded leniently (routing only; codecs decode strictly). */
function queryKeys(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!rawQuery) return out;
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = safeDecode((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    if (!out.has(k)) out.set(k, eq < 0 ? '' : safeDecode(part.slice(eq + 1).replace(/\+/g, ' ')));
  }
  return out;
}

/** Ranking key of a candidate that matched; compared element by element, larger wins. */
function rank(r: Route, headersKnown: boolean): number[] {
  const discriminators = r.query.length + r.requiredQuery.length + (headersKnown ? r.requiredHeaders.length : 0);
  const unverified = headersKnown ? 0 : r.requiredHeaders.length;
  return [discriminators, r.literalChars, -r.greedy, -unverified, r.op.deprecated ? 0 : 1, -r.index];
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/**
 * The most specific operation whose template matches, with its decoded path labels.
 * `path` is the request path without query string, still percent-encoded; `rawQuery` without `?`;
 * `headers` (lower-case names, optional) let routes that need a header be told apart.
 */
export function matchRestOperation(
  model: ServiceModel,
  method: string,
  path: string,
  rawQuery: string,
  headers?: Headers,
): RestMatch | undefined {
  const routes = table(model).get(method.toUpperCase());
  if (!routes) return undefined;
  const p = path.length === 0 ? '/' : path;
  const keys = queryKeys(rawQuery);
  const hint = keys.get('x-id');
  let best: [Route, RegExpExecArray, number[]] | undefined;
  for (const r of routes) {
    if (!r.query.every(([k, v]) => keys.has(k) && (v === undefined || keys.get(k) === v))) continue;
    if (!r.requiredQuery.every((k) => keys.has(k))) continue;
    if (headers && !r.requiredHeaders.every((h) => headers[h] !== undefined)) continue;
    const m = r.re.exec(p);
    if (!m) continue;
    if (hint !== undefined && hint === r.op.name) {
      best = [r, m, []];
      break;
    }
    const k = rank(r, headers !== undefined);
    if (!best || better(k, best[2])) best = [r, m, k];
  }
  if (!best) return undefined;
  const [r, m] = best;
  const pathParams: Record<string, string> = {};
  for (let i = 0; i < r.labels.length; i++) pathParams[r.labels[i]] = safeDecode(m[i + 1]);
  return { op: r.op, pathParams };
}
