/**
 * @module services/dashboards/body
 * PutDashboard's check of a `DashboardBody`.
 *
 * What AWS does (API reference, captured errors):
 * - a body that is not a JSON object is refused with `InvalidParameterInput` "The field
 *   DashboardBody must be a valid JSON object";
 * - schema errors refuse the body with `InvalidParameterInput`
 *   "The dashboard body is invalid, there are N validation errors:\n[…]" (the list pretty-printed
 *   with `dataPath`/`message` members), and the same list as the error's
 *   `dashboardValidationMessages` (`DataPath`/`Message`);
 * - otherwise the dashboard is saved, and PutDashboard returns `DashboardValidationMessages`
 *   holding only warnings ("the input was valid enough for the dashboard to be created"), such as
 *   `The "x" property is not expected to be part of a widget definition, will be ignored`.
 *
 * The structure: `widgets` (required, 0–500), optional `variables` (0–25), `start`, `end`
 * (which needs `start`), `periodOverride` (auto | inherit); each widget has a `type`, `x`
 * (0–23) and `y` (>= 0) given together, `width` (1–24), `height` (1–1000) and `properties`
 * checked per type in ./widgets.ts. No size limit is documented for the body; the HTTP body
 * limit applies.
 */
import { awsError } from '../../core/errors.js';
import { Findings, isObject, pointer, type DashboardValidationMessage, type Json, type JsonObject } from './checks.js';
import { PROPERTY_CHECKS, WIDGET_TYPES } from './widgets.js';

export type { DashboardValidationMessage } from './checks.js';

export const MAX_WIDGETS = 500;
export const MAX_VARIABLES = 25;

export interface DashboardBodyReport {
  /** problems that make PutDashboard refuse the body */
  errors: DashboardValidationMessage[];
  /** messages PutDashboard returns with a saved dashboard */
  warnings: DashboardValidationMessage[];
}

const TOP_LEVEL = ['widgets', 'variables', 'start', 'end', 'periodOverride'];
const WIDGET_KEYS = ['type', 'x', 'y', 'width', 'height', 'properties'];
const VARIABLE_ID = /^[0-9A-Za-z_-]{1,32}$/;

function widget(f: Findings, w: Json, path: string): void {
  if (!f.type(w, 'object', path)) return;
  const o = w as JsonObject;
  f.unknown(o, WIDGET_KEYS, path, true);
  if (f.required(o, 'type', path)) f.oneOf(o.type, WIDGET_TYPES, pointer(path, 'type'));
  f.integer(o.x, pointer(path, 'x'), 0, 23);
  f.integer(o.y, pointer(path, 'y'), 0);
  f.integer(o.width, pointer(path, 'width'), 1, 24);
  f.integer(o.height, pointer(path, 'height'), 1, 1000);
  // the reference: x is required when y is given, and y when x is
  if (o.x !== undefined && o.y === undefined) f.error(path, 'Should have property y when property x is present');
  if (o.y !== undefined && o.x === undefined) f.error(path, 'Should have property x when property y is present');
  if (!f.required(o, 'properties', path)) return;
  const pp = pointer(path, 'properties');
  if (!f.type(o.properties, 'object', pp)) return;
  const check = PROPERTY_CHECKS[o.type as keyof typeof PROPERTY_CHECKS];
  if (check) check(f, o.properties as JsonObject, pp);
}

function variable(f: Findings, v: Json, path: string): void {
  if (!f.type(v, 'object', path)) return;
  const o = v as JsonObject;
  if (f.required(o, 'type', path)) f.oneOf(o.type, ['property', 'pattern'], pointer(path, 'type'));
  if (f.required(o, 'inputType', path)) f.oneOf(o.inputType, ['input', 'select', 'radio'], pointer(path, 'inputType'));
  if (f.required(o, 'id', path)) f.string(o.id, pointer(path, 'id'), undefined, VARIABLE_ID);
  if (o.type === 'property' && f.required(o, 'property', path)) f.string(o.property, pointer(path, 'property'));
  if (o.type === 'pattern' && f.required(o, 'pattern', path)) f.string(o.pattern, pointer(path, 'pattern'));
  f.string(o.label, pointer(path, 'label'), 30);
  f.string(o.search, pointer(path, 'search'), 2048);
  f.string(o.populateFrom, pointer(path, 'populateFrom'));
  f.type(o.visible, 'boolean', pointer(path, 'visible'));
  f.array(o.values, pointer(path, 'values'), 1, 500, (item, ip) => {
    if (!f.type(item, 'object', ip) || !f.required(item as JsonObject, 'value', ip)) return;
    const value = (item as JsonObject).value;
    if (!['string', 'number', 'boolean'].includes(typeof value)) f.error(pointer(ip, 'value'), 'Should be string,number,boolean');
    f.string((item as JsonObject).label, pointer(ip, 'label'), 255);
  });
  // a dropdown or radio list needs its values, given or searched for
  if ((o.inputType === 'select' || o.inputType === 'radio') && o.values === undefined && o.search === undefined) {
    f.error(path, "Should have required property 'values'");
  }
  if (o.search !== undefined && o.populateFrom === undefined) f.error(path, "Should have required property 'populateFrom'");
}

/**
 * Reads a body and reports what PutDashboard would refuse and what it would only warn about;
 * `undefined` when the text is not a JSON object at all.
 */
export function inspectDashboardBody(text: string): DashboardBodyReport | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(body)) return undefined;
  const f = new Findings();
  f.unknown(body, TOP_LEVEL, '', false);
  if (f.required(body, 'widgets', '')) f.array(body.widgets, '/widgets', 0, MAX_WIDGETS, (w, p) => widget(f, w, p));
  f.array(body.variables, '/variables', 0, MAX_VARIABLES, (v, p) => variable(f, v, p));
  f.string(body.start, '/start');
  f.string(body.end, '/end');
  if (body.end !== undefined && body.start === undefined) f.error('', 'Should have property start when property end is present');
  f.oneOf(body.periodOverride, ['auto', 'inherit'], '/periodOverride');
  return { errors: f.errors, warnings: f.warnings };
}

/**
 * PutDashboard's verdict: throws `InvalidParameterInput` when AWS would refuse the body, else
 * returns the messages to send back as `DashboardValidationMessages` (warnings only, possibly
 * none).
 */
export function validateDashboardBody(text: string): { messages: DashboardValidationMessage[] } {
  const report = inspectDashboardBody(text);
  if (!report) throw awsError('InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
  if (report.errors.length > 0) {
    const listed = report.errors.map((e) => ({ dataPath: e.DataPath, message: e.Message }));
    throw awsError(
      'InvalidParameterInput',
      `The dashboard body is invalid, there are ${report.errors.length} validation errors:\n${JSON.stringify(listed, null, 2)}`,
      { dashboardValidationMessages: report.errors },
    );
  }
  return { messages: report.warnings };
}
