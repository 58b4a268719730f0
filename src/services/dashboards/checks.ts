/**
 * @module services/dashboards/checks
 * The vocabulary of dashboard body validation: a collector of errors (the body is refused) and
 * warnings (it is stored, the messages are returned), and the JSON-Schema-like checks.
 *
 * CloudWatch validates bodies with a JSON schema and reports ajv-style messages with a
 * capitalised first word and JSON-pointer paths (captured: `/widgets/0/properties/metrics/0`
 * "Should be array", "Should NOT have more than 2 items"), so these checks speak the same way.
 */

export interface DashboardValidationMessage {
  DataPath: string;
  Message: string;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

function hasType(v: unknown, t: JsonType): boolean {
  switch (t) {
    case 'array': return Array.isArray(v);
    case 'object': return isObject(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    default: return typeof v === t;
  }
}

/** A JSON pointer segment (`~` and `/` escaped). */
export const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

export class Findings {
  readonly errors: DashboardValidationMessage[] = [];
  readonly warnings: DashboardValidationMessage[] = [];

  error(path: string, message: string): false {
    this.errors.push({ DataPath: path, Message: message });
    return false;
  }

  warn(path: string, message: string): void {
    this.warnings.push({ DataPath: path, Message: message });
  }

  /** `v` has JSON type `t` (absent values pass: use {@link required} for presence). */
  type(v: unknown, t: JsonType, path: string): boolean {
    if (v === undefined || hasType(v, t)) return true;
    return this.error(path, `Should be ${t}`);
  }

  required(obj: JsonObject, key: string, path: string): boolean {
    if (obj[key] !== undefined) return true;
    return this.error(path, `Should have required property '${key}'`);
  }

  oneOf(v: unknown, allowed: readonly unknown[], path: string): boolean {
    if (v === undefined || allowed.includes(v)) return true;
    return this.error(path, 'Should be equal to one of the allowed values');
  }

  /** An integer within [min, max]. */
  integer(v: unknown, path: string, min?: number, max?: number): boolean {
    if (v === undefined) return true;
    if (!this.type(v, 'integer', path)) return false;
    const n = v as number;
    if (min !== undefined && n < min) return this.error(path, `Should be >= ${min}`);
    if (max !== undefined && n > max) return this.error(path, `Should be <= ${max}`);
    return true;
  }

  string(v: unknown, path: string, maxLength?: number, pattern?: RegExp): boolean {
    if (v === undefined) return true;
    if (!this.type(v, 'string', path)) return false;
    const s = v as string;
    if (maxLength !== undefined && s.length > maxLength) return this.error(path, `Should NOT be longer than ${maxLength} characters`);
    if (pattern && !pattern.test(s)) return this.error(path, `Should match pattern "${pattern.source}"`);
    return true;
  }

  /** An array of `min`..`max` items; each item is handed to `each`. */
  array(v: unknown, path: string, min: number, max: number, each?: (item: Json, path: string) => void): boolean {
    if (v === undefined) return true;
    if (!this.type(v, 'array', path)) return false;
    const items = v as Json[];
    if (items.length < min) return this.error(path, `Should NOT have fewer than ${min} items`);
    if (items.length > max) return this.error(path, `Should NOT have more than ${max} items`);
    if (each) items.forEach((item, i) => each(item, pointer(path, i)));
    return true;
  }

  /** Properties outside `known` are ignored by CloudWatch, which says so in a warning. */
  unknown(obj: JsonObject, known: readonly string[], path: string, inWidget: boolean): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      this.warn(path, inWidget
        ? `The "${key}" property is not expected to be part of a widget definition, will be ignored`
        : `The "${key}" property is not expected, will be ignored`);
    }
  }
}
