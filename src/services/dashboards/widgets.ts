/**
 * @module services/dashboards/widgets
 * The `properties` of each widget type, after "Dashboard Body Structure and Syntax" (CloudWatch
 * API reference): metric, text, log, alarm, explorer, plus `custom` (Lambda-backed widgets)
 * and `chart`, which PutDashboard also accepts.
 *
 * Properties a type does not document are left alone: the console writes many undocumented
 * ones (`setPeriodToTimeRange`, `sparkline`, …) and a body copied from "View/edit source" must
 * go back in unchanged. What the reference marks "Required: Yes" but the console would default
 * (`region`) is a warning, not a refusal.
 */
import { Findings, isObject, pointer, type Json, type JsonObject } from './checks.js';

export const WIDGET_TYPES = ['metric', 'text', 'log', 'alarm', 'explorer', 'custom', 'chart'] as const;

const METRIC_VIEWS = ['timeSeries', 'singleValue', 'gauge', 'bar', 'pie', 'table'];
const LOG_VIEWS = ['table', 'timeSeries', 'bar', 'pie'];
const ALARM_STATES = ['ALARM', 'INSUFFICIENT_DATA', 'OK'];
const COLOR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
/** metric ids start with a lowercase letter (reference: "The Id must start with a lowercase letter") */
const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;

/** The per-metric rendering object allowed as the last element of a metrics row. */
function validRenderer(r: JsonObject): boolean {
  for (const [k, v] of Object.entries(r)) {
    switch (k) {
      case 'accountId': case 'expression': case 'label': case 'region': case 'stat':
        if (typeof v !== 'string') return false;
        break;
      case 'id': if (typeof v !== 'string' || !METRIC_ID.test(v)) return false; break;
      case 'color': if (typeof v !== 'string' || !COLOR.test(v)) return false; break;
      case 'period': if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return false; break;
      case 'visible': if (typeof v !== 'boolean') return false; break;
      case 'yAxis': if (v !== 'left' && v !== 'right') return false; break;
      default: return false; // e.g. a dimensions map put where the renderer goes
    }
  }
  return true;
}

/**
 * One row of `metrics`: strings (namespace, metric name, dimension name/value pairs, `.` and
 * `...` shorthands) optionally ended by a rendering object, or a lone expression object.
 * Messages as captured from AWS: a non-string member before the end is
 * `Invalid metric field type, only "String" type is allowed`; a rendering object that fails its
 * schema surfaces (through the schema's alternatives) as `Should NOT have more than N items`
 * with N one less than the row's length (captured for `{"color": "red"}` and for a dimensions
 * map in place of the renderer); a row that is not an array gets two messages.
 */
function metricRow(f: Findings, row: Json, path: string): void {
  if (!Array.isArray(row)) {
    f.error(path, 'Should be array');
    f.error(path, 'Field "metrics" has to be an array of array of strings, with an optional metricRenderer object as last element');
    return;
  }
  if (row.length === 0) {
    f.error(path, 'Should NOT have fewer than 1 items');
    return;
  }
  const last = row[row.length - 1];
  const renderer = isObject(last) ? last : undefined;
  const fields = renderer ? row.slice(0, -1) : row;
  fields.forEach((v, i) => {
    if (typeof v !== 'string') f.error(pointer(path, i), 'Invalid metric field type, only "String" type is allowed');
  });
  if (renderer && !validRenderer(renderer)) f.error(path, `Should NOT have more than ${row.length - 1} items`);
  const isExpression = renderer !== undefined && typeof renderer.expression === 'string';
  if (fields.length === 0 && !isExpression) f.error(pointer(path, 0), "Should have required property 'expression'");
  if (fields.length === 1 && fields[0] !== '...' && !isExpression) f.error(path, 'Should NOT have fewer than 2 items');
}

function yAxis(f: Findings, v: Json | undefined, path: string): void {
  if (v === undefined || !f.type(v, 'object', path)) return;
  for (const side of ['left', 'right']) {
    const axis = (v as JsonObject)[side];
    const p = pointer(path, side);
    if (axis === undefined || !f.type(axis, 'object', p)) continue;
    const a = axis as JsonObject;
    f.type(a.min, 'number', pointer(p, 'min'));
    f.type(a.max, 'number', pointer(p, 'max'));
    f.string(a.label, pointer(p, 'label'));
    f.type(a.showUnits, 'boolean', pointer(p, 'showUnits'));
  }
}

function annotation(f: Findings, v: Json, path: string): void {
  // a band is a pair of annotation objects
  const parts = Array.isArray(v) ? v : [v];
  parts.forEach((part, i) => {
    const p = Array.isArray(v) ? pointer(path, i) : path;
    if (!f.type(part, 'object', p)) return;
    const a = part as JsonObject;
    f.required(a, 'value', p);
    f.string(a.color, pointer(p, 'color'), undefined, COLOR);
    f.string(a.label, pointer(p, 'label'));
    f.type(a.visible, 'boolean', pointer(p, 'visible'));
  });
}

function metricProperties(f: Findings, p: JsonObject, path: string): void {
  const annotations = isObject(p.annotations) ? p.annotations : undefined;
  if (p.metrics === undefined && annotations?.alarms === undefined) f.error(path, "Should have required property 'metrics'");
  f.array(p.metrics, pointer(path, 'metrics'), 0, 500, (row, rowPath) => metricRow(f, row, rowPath));
  if (p.region === undefined) f.warn(path, "Should have required property 'region'");
  f.string(p.region, pointer(path, 'region'));
  f.oneOf(p.view, METRIC_VIEWS, pointer(path, 'view'));
  for (const flag of ['stacked', 'liveData', 'sparkline']) f.type(p[flag], 'boolean', pointer(path, flag));
  f.integer(p.period, pointer(path, 'period'), 1);
  f.string(p.stat, pointer(path, 'stat'));
  f.string(p.title, pointer(path, 'title'));
  f.string(p.accountId, pointer(path, 'accountId'));
  f.string(p.timezone, pointer(path, 'timezone'), undefined, /^[+-]\d{4}$/);
  if (p.legend !== undefined && f.type(p.legend, 'object', pointer(path, 'legend'))) {
    f.oneOf((p.legend as JsonObject).position, ['right', 'bottom', 'hidden'], pointer(pointer(path, 'legend'), 'position'));
  }
  yAxis(f, p.yAxis, pointer(path, 'yAxis'));
  if (p.view === 'gauge') {
    const left = isObject(p.yAxis) && isObject(p.yAxis.left) ? p.yAxis.left : undefined;
    if (typeof left?.min !== 'number' || typeof left?.max !== 'number') {
      f.warn(pointer(path, 'yAxis'), 'A gauge needs yAxis.left.min and yAxis.left.max');
    }
  }
  if (p.annotations !== undefined && f.type(p.annotations, 'object', pointer(path, 'annotations'))) {
    const ap = pointer(path, 'annotations');
    f.array(annotations!.alarms, pointer(ap, 'alarms'), 0, 1, (arn, itemPath) => { f.type(arn, 'string', itemPath); });
    for (const dir of ['horizontal', 'vertical']) {
      f.array(annotations![dir], pointer(ap, dir), 0, Infinity, (a, itemPath) => annotation(f, a, itemPath));
    }
  }
  if (p.table !== undefined && f.type(p.table, 'object', pointer(path, 'table'))) {
    const t = p.table as JsonObject;
    const tp = pointer(path, 'table');
    f.oneOf(t.layout, ['vertical', 'horizontal'], pointer(tp, 'layout'));
    f.array(t.summaryColumns, pointer(tp, 'summaryColumns'), 0, 4, (c, cp) => { f.oneOf(c, ['MIN', 'MAX', 'SUM', 'AVG'], cp); });
  }
}

function textProperties(f: Findings, p: JsonObject, path: string): void {
  if (f.required(p, 'markdown', path)) f.string(p.markdown, pointer(path, 'markdown'));
  f.oneOf(p.background, ['solid', 'transparent'], pointer(path, 'background'));
}

function logProperties(f: Findings, p: JsonObject, path: string): void {
  if (f.required(p, 'query', path)) f.string(p.query, pointer(path, 'query'));
  if (p.region === undefined) f.warn(path, "Should have required property 'region'");
  f.string(p.region, pointer(path, 'region'));
  f.string(p.title, pointer(path, 'title'));
  if (p.view !== undefined && f.string(p.view, pointer(path, 'view')) && !LOG_VIEWS.includes(p.view as string)) {
    f.warn(pointer(path, 'view'), 'Should be equal to one of the allowed values');
  }
}

function alarmProperties(f: Findings, p: JsonObject, path: string): void {
  if (f.required(p, 'alarms', path)) f.array(p.alarms, pointer(path, 'alarms'), 1, 100, (a, ap) => { f.type(a, 'string', ap); });
  f.oneOf(p.sortBy, ['default', 'stateUpdatedTimestamp', 'timestamp'], pointer(path, 'sortBy'));
  f.array(p.states, pointer(path, 'states'), 0, 3, (s, sp) => { f.oneOf(s, ALARM_STATES, sp); });
  f.string(p.title, pointer(path, 'title'));
}

function explorerProperties(f: Findings, p: JsonObject, path: string): void {
  if (f.required(p, 'metrics', path)) {
    f.array(p.metrics, pointer(path, 'metrics'), 1, 100, (m, mp) => {
      if (!f.type(m, 'object', mp)) return;
      if (f.required(m as JsonObject, 'metricName', mp)) f.string((m as JsonObject).metricName, pointer(mp, 'metricName'));
      if (f.required(m as JsonObject, 'resourceType', mp)) f.string((m as JsonObject).resourceType, pointer(mp, 'resourceType'));
    });
  }
  if (f.required(p, 'labels', path)) {
    f.array(p.labels, pointer(path, 'labels'), 0, Infinity, (l, lp) => {
      if (f.type(l, 'object', lp)) f.required(l as JsonObject, 'key', lp);
    });
  }
  if (p.aggregateBy !== undefined && f.type(p.aggregateBy, 'object', pointer(path, 'aggregateBy'))) {
    f.oneOf((p.aggregateBy as JsonObject).func, ['AVG', 'MIN', 'MAX', 'STDDEV', 'SUM'], pointer(pointer(path, 'aggregateBy'), 'func'));
  }
  f.integer(p.period, pointer(path, 'period'), 1);
  f.string(p.splitBy, pointer(path, 'splitBy'));
  f.type(p.widgetOptions, 'object', pointer(path, 'widgetOptions'));
}

function customProperties(f: Findings, p: JsonObject, path: string): void {
  if (f.required(p, 'endpoint', path)) f.string(p.endpoint, pointer(path, 'endpoint'));
}

export const PROPERTY_CHECKS: Record<(typeof WIDGET_TYPES)[number], (f: Findings, p: JsonObject, path: string) => void> = {
  metric: metricProperties,
  text: textProperties,
  log: logProperties,
  alarm: alarmProperties,
  explorer: explorerProperties,
  custom: customProperties,
  chart: () => {},
};
