/**
 * @module services/events/transform
 * What a target receives: the event, a constant `Input`, the part of the event an `InputPath`
 * names, or an `InputTransformer`'s template filled from the event.
 *
 * JSON paths are the subset EventBridge documents: `$`, dot notation (names may hold dashes,
 * underscores, slashes), array indices `[0]`, and bracketed names `['detail-type']`.
 *
 * Templates: a template that is a JSON document (it starts with `{` or `[`) takes each
 * placeholder as a JSON value where it stands outside a string (`"id": <id>` → `"id": "i-1"`)
 * and as the value's text inside a string (`"on <id>"` → `"on i-1"`), escaped so that the result
 * stays JSON. Any other template is text: strings go in as they are, other values as JSON. A path
 * that does not resolve creates no variable: it renders as nothing inside a string or in text,
 * and as `null` where a JSON value is expected.
 */
import { validation } from './model.js';

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

/** The Target members that shape the input. */
export interface InputSpec {
  Id: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface RuleRef {
  arn: string;
  name: string;
}

const RESERVED = ['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json'];
const VARIABLE_RE = /^[A-Za-z0-9_-]+$/;
const PLACEHOLDER_RE = /^[A-Za-z0-9_.-]+$/;

type Step = string | number;

/** The steps of a JSON path, or null when it is not one EventBridge accepts. */
export function parsePath(path: string): Step[] | null {
  if (!path.startsWith('$')) return null;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      const name = path.slice(i + 1, j);
      if (name === '' || !/^[A-Za-z0-9_\-/:@$ *]+$/.test(name)) return null;
      steps.push(name);
      i = j;
    } else if (c === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) return null;
      const inner = path.slice(i + 1, end);
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (/^'[^']*'$/.test(inner) || /^"[^"]*"$/.test(inner)) steps.push(inner.slice(1, -1));
      else return null;
      i = end + 1;
    } else {
      return null;
    }
  }
  return steps;
}

/** The value at `path` in `event`; undefined when it does not resolve. */
export function evalPath(event: unknown, steps: readonly Step[]): unknown {
  let v: unknown = event;
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof s === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[s];
    } else {
      if (Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, s)) return undefined;
      v = (v as Record<string, unknown>)[s];
    }
  }
  return v;
}

function isJsonTemplate(template: string): boolean {
  const t = template.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

/**
 * Renders `template`, asking `valueOf` for each placeholder; placeholders that name no variable
 * (`<not a var>`, `<b>` without a `b`) stay as written.
 */
function render(template: string, known: (name: string) => boolean, valueOf: (name: string) => unknown): string {
  const json = isJsonTemplate(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (json && c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (json && c === '"') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (end > i && PLACEHOLDER_RE.test(name) && known(name)) {
        out += substitute(valueOf(name), json, inString);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function substitute(v: unknown, json: boolean, inString: boolean): string {
  if (v === undefined) return json && !inString ? 'null' : '';
  if (!json) return typeof v === 'string' ? v : JSON.stringify(v);
  if (!inString) return JSON.stringify(v);
  // inside a JSON string: the value's text, escaped as string content
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(text).slice(1, -1);
}

/** Checks a target's input members the way PutTargets does; throws ValidationException. */
export function checkInput(t: InputSpec): void {
  const given = [t.Input, t.InputPath, t.InputTransformer].filter((v) => v !== undefined).length;
  if (given > 1) throw validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`);
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      throw validation(`Target ${t.Id} Input is not a valid JSON text.`);
    }
  }
  if (t.InputPath !== undefined && parsePath(t.InputPath) === null) {
    throw validation(`Target ${t.Id} InputPath is not a valid JSON path: ${t.InputPath}`);
  }
  const x = t.InputTransformer;
  if (x === undefined) return;
  if (typeof x.InputTemplate !== 'string' || x.InputTemplate.length < 1 || x.InputTemplate.length > 8192) {
    throw validation(`InputTemplate for target ${t.Id} must be between 1 and 8192 characters long.`);
  }
  const map = x.InputPathsMap ?? {};
  const keys = Object.keys(map);
  if (keys.length > 100) throw validation(`InputPathsMap for target ${t.Id} can hold at most 100 variables.`);
  for (const k of keys) {
    if (RESERVED.includes(k) || k.startsWith('aws.')) throw validation(`InputTransformer for target ${t.Id} uses the reserved variable name ${k}.`);
    if (!VARIABLE_RE.test(k) || k.length > 256) throw validation(`InputPathsMap key ${k} for target ${t.Id} is not valid: it must match [A-Za-z0-9_-]+.`);
    if (typeof map[k] !== 'string' || map[k].length > 256 || parsePath(map[k]) === null) {
      throw validation(`InputPathsMap value ${String(map[k])} for target ${t.Id} is not a valid JSON path.`);
    }
  }
  if (isJsonTemplate(x.InputTemplate)) {
    // a placeholder stands for some JSON value: the template must then be a JSON document
    const probe = render(x.InputTemplate, (n) => n in map || RESERVED.includes(n), () => 'x');
    try {
      JSON.parse(probe);
    } catch (e) {
      throw validation(`Invalid InputTemplate for target ${t.Id} : ${(e as Error).message}`);
    }
  }
}

/** The body the target receives for `event` (its JSON text given too, so it is not built twice). */
export function targetInput(t: InputSpec, event: Record<string, unknown>, eventJson: string, rule: RuleRef, ingestionMs: number): string {
  if (t.Input !== undefined) return t.Input;
  if (t.InputPath !== undefined) {
    const v = evalPath(event, parsePath(t.InputPath) ?? []);
    return v === undefined ? '' : JSON.stringify(v);
  }
  const x = t.InputTransformer;
  if (!x) return eventJson;
  const map = x.InputPathsMap ?? {};
  const reserved = (name: string): unknown => {
    switch (name) {
      case 'aws.events.rule-arn': return rule.arn;
      case 'aws.events.rule-name': return rule.name;
      case 'aws.events.event.ingestion-time': return new Date(ingestionMs).toISOString();
      case 'aws.events.event.json': return event;
      case 'aws.events.event': {
        const { detail: _detail, ...rest } = event;
        return rest;
      }
      default: return undefined;
    }
  };
  return render(
    x.InputTemplate,
    (n) => Object.prototype.hasOwnProperty.call(map, n) || RESERVED.includes(n),
    (n) => (RESERVED.includes(n) ? reserved(n) : evalPath(event, parsePath(map[n]) ?? [])),
  );
}
