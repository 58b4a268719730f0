/**
 * @module services/params/filters
 * ParameterFilters (DescribeParameters, GetParametersByPath) and the legacy `Filters` of
 * DescribeParameters: validation with AWS's errors, then one predicate per request.
 *
 * AWS allows different keys and options per operation: DescribeParameters takes Name (Equals,
 * BeginsWith, Contains), Path (OneLevel, Recursive), Type, KeyId, Tier, DataType and `tag:<key>`
 * (Equals, BeginsWith) but not Label; GetParametersByPath takes only Type, KeyId (Equals,
 * BeginsWith) and Label (Equals). Values of one filter are alternatives; filters all apply.
 * Path filters become SQL (they narrow what is read); the rest is evaluated on each row.
 */
import { awsError } from '../../core/errors.js';
import { DATA_TYPES, normalisePath, PARAMETER_TYPES, TIERS } from './params.js';
import type { PathScope } from './store.js';
import { optString, optStringList, Violations } from './validation.js';

type Input = Record<string, unknown>;
export type FilterMode = 'describe' | 'path';

/** What a filter is evaluated against: the newest version, plus tags/labels when asked for. */
export interface Candidate {
  name: string;
  type: string;
  keyId: string | null;
  tier: string;
  dataType: string;
  tags?: ReadonlyMap<string, string>;
  /** label → version */
  labels?: ReadonlyMap<string, number>;
}

export interface CompiledFilters {
  paths?: PathScope[];
  needsTags: boolean;
  needsLabels: boolean;
  /** GetParametersByPath Label filter: the labelled version is the one returned */
  labels?: string[];
  matches(c: Candidate): boolean;
}

interface Filter {
  key: string;
  option: string;
  values: string[] | undefined;
}

const KEY_PATTERN = /^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$/;
const KEY_PATTERN_SOURCE = 'tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType';
const DESCRIBE_KEYS = ['Path', 'Name', 'Type', 'KeyId', 'Tier', 'DataType'];
const PATH_KEYS = ['Type', 'KeyId', 'Label'];

function optionsFor(key: string, mode: FilterMode): string[] {
  if (mode === 'path') return key === 'Label' ? ['Equals'] : ['BeginsWith', 'Equals'];
  if (key === 'Path') return ['Recursive', 'OneLevel'];
  if (key === 'Name') return ['BeginsWith', 'Equals', 'Contains'];
  return ['BeginsWith', 'Equals'];
}

const ENUM_VALUES: Record<string, readonly string[]> = { Type: PARAMETER_TYPES, Tier: TIERS, DataType: DATA_TYPES };

/** Names compare without regard to a leading '/', as AWS's Name filter does. */
function rooted(s: string): string {
  return `/${s.replace(/^\/+/, '')}`;
}

function matchText(actual: string | null | undefined, option: string, values: readonly string[]): boolean {
  if (actual === null || actual === undefined) return false;
  if (option === 'BeginsWith') return values.some((v) => actual.startsWith(v));
  if (option === 'Contains') return values.some((v) => actual.includes(v));
  return values.includes(actual);
}

export function compileParameterFilters(raw: Input[] | undefined, mode: FilterMode): CompiledFilters {
  const filters = readFilters(raw ?? []);
  checkFilters(filters, mode);

  const tests: ((c: Candidate) => boolean)[] = [];
  const out: CompiledFilters = { needsTags: false, needsLabels: false, matches: (c) => tests.every((t) => t(c)) };
  for (const f of filters) {
    const values = f.values ?? [];
    switch (f.key) {
      case 'Path':
        out.paths = values.map((p) => ({ path: normalisePath(p), recursive: f.option === 'Recursive' }));
        break;
      case 'Name': {
        if (f.option === 'Contains') tests.push((c) => matchText(c.name, 'Contains', values));
        else tests.push((c) => matchText(rooted(c.name), f.option, values.map(rooted)));
        break;
      }
      case 'Type':
        tests.push((c) => matchText(c.type, f.option, values));
        break;
      case 'KeyId':
        tests.push((c) => matchText(c.keyId, f.option, values));
        break;
      case 'Tier':
        tests.push((c) => matchText(c.tier, f.option, values));
        break;
      case 'DataType':
        tests.push((c) => matchText(c.dataType, f.option, values));
        break;
      case 'Label':
        out.needsLabels = true;
        out.labels = values;
        tests.push((c) => values.some((l) => c.labels?.has(l) ?? false));
        break;
      default: {
        // tag:<key> — the tag must exist; with values, its value must match one of them
        const tagKey = f.key.slice('tag:'.length);
        out.needsTags = true;
        tests.push((c) => {
          const value = c.tags?.get(tagKey);
          if (value === undefined) return false;
          return f.values === undefined || matchText(value, f.option, values);
        });
      }
    }
  }
  return out;
}

function readFilters(raw: Input[]): Filter[] {
  const v = new Violations();
  const filters = raw.map((r, i) => {
    const at = `parameterFilters.${i + 1}.member`;
    const key = optString(r, 'Key');
    const option = optString(r, 'Option');
    const values = optStringList(r, 'Values');
    if (v.required(key, `${at}.key`)) {
      v.length(key, `${at}.key`, 1, 132);
      v.pattern(key, `${at}.key`, KEY_PATTERN, KEY_PATTERN_SOURCE);
    }
    v.length(option, `${at}.option`, 1, 10);
    v.length(values, `${at}.values`, 1, 50);
    if (values?.some((s) => s.length < 1 || s.length > 1024)) {
      v.add(values, `${at}.values`, '[Member must have length less than or equal to 1024, Member must have length greater than or equal to 1]');
    }
    return { key: key ?? '', option: option ?? '', values };
  });
  v.throwIfAny();
  return filters.map((f) => ({ ...f, option: f.option || (f.key === 'Path' ? 'OneLevel' : 'Equals') }));
}

function checkFilters(filters: Filter[], mode: FilterMode): void {
  const allowed = mode === 'path' ? PATH_KEYS : DESCRIBE_KEYS;
  for (const f of filters) {
    const isTag = f.key.startsWith('tag:');
    if ((isTag && mode === 'path') || (!isTag && !allowed.includes(f.key))) {
      throw awsError('InvalidFilterKey', `The following filter key is not valid: ${f.key}. Valid filter keys include: [${allowed.join(', ')}].`);
    }
  }
  for (const f of filters) {
    if (f.values === undefined && !f.key.startsWith('tag:')) {
      throw awsError('InvalidFilterValue', `The following filter values are missing : null for filter key ${f.key}.`);
    }
  }
  const seen = new Set<string>();
  for (const f of filters) {
    if (seen.has(f.key)) {
      throw awsError('InvalidFilterKey',
        `The following filter is duplicated in the request: ${f.key}. A request can contain only one occurrence of a specific filter.`);
    }
    seen.add(f.key);
  }
  for (const f of filters) {
    const options = optionsFor(f.key, mode);
    if (!options.includes(f.option)) {
      throw awsError('InvalidFilterOption', `The following filter option is not valid: ${f.option}. Valid options include: [${options.join(', ')}].`);
    }
  }
  for (const f of filters) {
    const allowedValues = ENUM_VALUES[f.key];
    if (allowedValues && f.option === 'Equals') {
      const bad = f.values?.find((x) => !allowedValues.includes(x));
      if (bad !== undefined) {
        throw awsError('InvalidFilterValue', `The following filter value is not valid: ${bad}. Valid values include: [${allowedValues.join(', ')}]`);
      }
    }
    if (f.key === 'Path') {
      for (const p of f.values ?? []) {
        normalisePath(p);
        if (/^\/(aws|ssm)/i.test(p)) {
          throw awsError('ValidationException',
            'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, please specify within a global namespace.');
        }
      }
    }
  }
}

/** DescribeParameters' older `Filters`: Name (begins with), Type and KeyId (equal to). */
export function compileLegacyFilters(raw: Input[]): CompiledFilters {
  const v = new Violations();
  const converted: Input[] = raw.map((r, i) => {
    const at = `filters.${i + 1}.member`;
    const key = optString(r, 'Key');
    const values = optStringList(r, 'Values');
    if (v.required(key, `${at}.key`)) v.oneOf(key, `${at}.key`, ['Name', 'Type', 'KeyId']);
    if (v.required(values, `${at}.values`)) v.length(values, `${at}.values`, 1, 50);
    return { Key: key, Option: key === 'Name' ? 'BeginsWith' : 'Equals', Values: values };
  });
  v.throwIfAny();
  return compileParameterFilters(converted, 'describe');
}
