/**
 * PutDashboard body validation: the reference's examples are accepted, the failures users
 * captured from AWS are refused with the same paths and messages, and unknown properties only
 * warn.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isServiceError } from '../../core/errors.js';
import { inspectDashboardBody, validateDashboardBody } from './body.js';

const metricWidget = (properties: unknown, extra: object = {}) => ({ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties, ...extra });
const body = (widgets: unknown[], extra: object = {}) => JSON.stringify({ widgets, ...extra });
const cpu = ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-012345'];

/** The reference's examples (Dashboard Body Structure and Syntax), as sent. */
const ACCEPTED: Array<[string, string]> = [
  ['empty widgets array', '{"widgets":[]}'],
  ['metric and text widgets, start, periodOverride', JSON.stringify({
    start: '-PT6H', periodOverride: 'inherit',
    widgets: [
      metricWidget({ metrics: [cpu], period: 300, stat: 'Average', region: 'us-east-1', title: 'EC2 Instance CPU', liveData: false, legend: { position: 'right' } }),
      { type: 'text', x: 0, y: 7, width: 3, height: 3, properties: { markdown: 'Hello world', background: 'transparent' } },
    ],
  })],
  ['shorthands, ids, a math and a search expression', body([
    metricWidget({
      metrics: [
        ['AWS/EC2', 'DiskReadBytes', 'InstanceId', 'i-123', { id: 'm1' }],
        ['.', '.', '.', 'i-abc', { id: 'm2' }],
        [{ expression: 'SUM(METRICS())', label: 'Sum of DiskReadbytes', id: 'e3' }],
        [{ expression: "SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300)", id: 'e1' }],
        ['...', { stat: 'p99' }],
      ],
      view: 'timeSeries', stacked: false, region: 'us-east-1',
    }),
  ])],
  ['renderers, yAxis, annotations (band and hidden), gauge, table', body([
    metricWidget({
      metrics: [cpu, ['AWS/EC2', 'NetworkIn', 'InstanceId', 'i-012345', { yAxis: 'right', label: 'NetworkIn', period: 3600, stat: 'Maximum', color: '#9467bd', visible: true }]],
      region: 'us-east-1', timezone: '+0300', stacked: true, view: 'gauge',
      yAxis: { left: { min: 0, max: 100 }, right: { min: 50 } },
      annotations: {
        horizontal: [[{ label: 'Band top', value: 200, color: '#9467bd', visible: true, yAxis: 'right' }, { value: 95.5, label: 'Band bottom' }], { visible: false, color: '#aaa', label: 'Hidden', value: 150 }],
        vertical: [{ visible: true, color: '#9467bd', label: 'Bug fix deployed', value: '2018-08-28T15:25:26Z', fill: 'after' }],
      },
      table: { summaryColumns: ['MIN', 'MAX'], layout: 'vertical', stickySummary: true, showTimeSeriesData: false },
    }),
  ])],
  ['an alarm annotation instead of metrics', body([metricWidget({ annotations: { alarms: ['arn:aws:cloudwatch:us-east-1:1:alarm:a'] }, region: 'us-east-1' })])],
  ['log, alarm, explorer and custom widgets', body([
    { type: 'log', x: 12, y: 24, width: 12, height: 6, properties: { region: 'us-east-1', title: 'Errors', query: "SOURCE 'app.log' | filter @message like /ERROR/", view: 'table' } },
    { type: 'alarm', properties: { alarms: ['arn:aws:cloudwatch:us-east-1:012345678901:alarm:EC2FrontendCPU'], sortBy: 'stateUpdatedTimestamp', states: ['ALARM', 'INSUFFICIENT_DATA'], title: 'Not OK' } },
    { type: 'explorer', width: 24, height: 15, x: 0, y: 0, properties: {
      metrics: [{ metricName: 'CPUUtilization', resourceType: 'AWS::EC2::Instance', stat: 'Average' }],
      aggregateBy: { key: 'InstanceType', func: 'MAX' }, labels: [{ key: 'State', value: 'running' }],
      widgetOptions: { legend: { position: 'bottom' }, view: 'timeSeries', rowsPerPage: 8, widgetsPerRow: 2 }, period: 300, splitBy: 'AvailabilityZone',
    } },
    { type: 'custom', properties: { endpoint: 'arn:aws:lambda:us-east-1:1:function:w', title: 'custom' } },
  ])],
  ['variables: property, pattern, searched radio', body([], {
    variables: [
      { type: 'property', property: 'region', inputType: 'select', id: 'unique_id_1', label: 'Region', defaultValue: 'us-east-1', visible: true, values: [{ label: 'IAD', value: 'us-east-1' }, { value: 'us-east-2' }] },
      { type: 'pattern', pattern: 'us-east-1', inputType: 'input', id: 'region', label: 'Region', defaultValue: 'us-east-1' },
      { type: 'pattern', pattern: 'originalFuncName', inputType: 'radio', id: 'functionName', search: '{AWS/Lambda,FunctionName} MetricName="Duration"', populateFrom: 'FunctionName', defaultValue: '__FIRST' },
    ],
  })],
  ['absolute time range', body([], { start: '2018-12-17T06:00:00.000Z', end: '2018-12-17T12:00:00.000Z', periodOverride: 'auto' })],
];

/** Bodies AWS refuses, with the messages it gives (captured ones marked). */
const REFUSED: Array<[string, string, Array<[string, string]>]> = [
  ['metrics rows that are objects (captured)', body([metricWidget({ metrics: [{ namespace: 'AWS/EC2' }], region: 'us-east-1' })]), [
    ['/widgets/0/properties/metrics/0', 'Should be array'],
    ['/widgets/0/properties/metrics/0', 'Field "metrics" has to be an array of array of strings, with an optional metricRenderer object as last element'],
  ]],
  ['an object before the end of a row (captured)', body([metricWidget({ metrics: [['AWS/Lambda', 'Invocations', { stat: 'Sum' }, { FunctionName: 'f' }]], region: 'us-east-1' })]), [
    ['/widgets/0/properties/metrics/0/2', 'Invalid metric field type, only "String" type is allowed'],
    ['/widgets/0/properties/metrics/0', 'Should NOT have more than 3 items'],
  ]],
  ['a dimensions map as the renderer (captured)', body([metricWidget({ metrics: [['AWS/ECS', 'CPUUtilization', { ClusterName: 'c' }]], region: 'us-east-1' })]), [
    ['/widgets/0/properties/metrics/0', 'Should NOT have more than 2 items'],
  ]],
  ['a color that is not a hex code (captured)', body([metricWidget({ metrics: [['ECSLogs', 'Errors', { stat: 'Sum', color: 'red' }]], region: 'us-east-1' })]), [
    ['/widgets/0/properties/metrics/0', 'Should NOT have more than 2 items'],
  ]],
  ['no widgets', '{"start":"-PT3H"}', [['', "Should have required property 'widgets'"]]],
  ['widgets not an array', '{"widgets":{}}', [['/widgets', 'Should be array']]],
  ['too many widgets', body(Array.from({ length: 501 }, () => ({ type: 'text', properties: { markdown: 'x' } }))), [['/widgets', 'Should NOT have more than 500 items']]],
  ['unknown widget type, no properties', body([{ type: 'graph' }]), [
    ['/widgets/0/type', 'Should be equal to one of the allowed values'],
    ['/widgets/0', "Should have required property 'properties'"],
  ]],
  ['grid out of range', body([{ type: 'text', x: 24, y: -1, width: 25, height: 1001, properties: { markdown: 'x' } }]), [
    ['/widgets/0/x', 'Should be <= 23'],
    ['/widgets/0/y', 'Should be >= 0'],
    ['/widgets/0/width', 'Should be <= 24'],
    ['/widgets/0/height', 'Should be <= 1000'],
  ]],
  ['width 0 and a fractional height', body([{ type: 'text', width: 0, height: 1.5, properties: { markdown: 'x' } }]), [
    ['/widgets/0/width', 'Should be >= 1'],
    ['/widgets/0/height', 'Should be integer'],
  ]],
  ['x without y', body([{ type: 'text', x: 1, properties: { markdown: 'x' } }]), [['/widgets/0', 'Should have property y when property x is present']]],
  ['text without markdown', body([{ type: 'text', properties: {} }]), [['/widgets/0/properties', "Should have required property 'markdown'"]]],
  ['metric widget without metrics or alarm', body([metricWidget({ region: 'us-east-1' })]), [['/widgets/0/properties', "Should have required property 'metrics'"]]],
  ['bad view, stacked, period and legend', body([metricWidget({ metrics: [cpu], region: 'r', view: 'line', stacked: 'yes', period: 0, legend: { position: 'top' } })]), [
    ['/widgets/0/properties/view', 'Should be equal to one of the allowed values'],
    ['/widgets/0/properties/stacked', 'Should be boolean'],
    ['/widgets/0/properties/period', 'Should be >= 1'],
    ['/widgets/0/properties/legend/position', 'Should be equal to one of the allowed values'],
  ]],
  ['a lone namespace and an id starting uppercase', body([metricWidget({ metrics: [['AWS/EC2'], ['AWS/EC2', 'CPU', { id: 'M1' }]], region: 'r' })]), [
    ['/widgets/0/properties/metrics/0', 'Should NOT have fewer than 2 items'],
    ['/widgets/0/properties/metrics/1', 'Should NOT have more than 2 items'],
  ]],
  ['log widget without query, alarm widget without alarms', body([{ type: 'log', properties: { region: 'r' } }, { type: 'alarm', properties: { alarms: [] } }]), [
    ['/widgets/0/properties', "Should have required property 'query'"],
    ['/widgets/1/properties/alarms', 'Should NOT have fewer than 1 items'],
  ]],
  ['end without start, bad periodOverride', body([], { end: '2018-12-17T12:00:00.000Z', periodOverride: 'always' }), [
    ['', 'Should have property start when property end is present'],
    ['/periodOverride', 'Should be equal to one of the allowed values'],
  ]],
  ['variables: missing fields, bad id, too long label, select without values', body([], {
    variables: [{ type: 'property', inputType: 'select', id: 'bad id!', label: 'x'.repeat(31) }],
  }), [
    ['/variables/0/id', 'Should match pattern "^[0-9A-Za-z_-]{1,32}$"'],
    ['/variables/0', "Should have required property 'property'"],
    ['/variables/0/label', 'Should NOT be longer than 30 characters'],
    ['/variables/0', "Should have required property 'values'"],
  ]],
];

describe('dashboard body', () => {
  for (const [name, text] of ACCEPTED) {
    it(`accepts: ${name}`, () => {
      const report = inspectDashboardBody(text);
      assert.deepEqual(report?.errors, [], name);
      assert.deepEqual(validateDashboardBody(text).messages, report!.warnings);
    });
  }

  for (const [name, text, expected] of REFUSED) {
    it(`refuses: ${name}`, () => {
      assert.deepEqual(inspectDashboardBody(text)?.errors.map((e) => [e.DataPath, e.Message]), expected);
    });
  }

  it('the refusal: InvalidParameterInput, the count, the pretty-printed list, the messages member', () => {
    const text = body([metricWidget({ metrics: [['AWS/ECS', 'CPUUtilization', { ClusterName: 'c' }], ['AWS/ECS', 'MemoryUtilization', { ClusterName: 'c' }]], region: 'r' })]);
    assert.throws(() => validateDashboardBody(text), (err: unknown) => {
      assert.ok(isServiceError(err));
      assert.equal(err.code, 'InvalidParameterInput');
      assert.equal(err.status, 400);
      assert.equal(err.message, `The dashboard body is invalid, there are 2 validation errors:
[
  {
    "dataPath": "/widgets/0/properties/metrics/0",
    "message": "Should NOT have more than 2 items"
  },
  {
    "dataPath": "/widgets/0/properties/metrics/1",
    "message": "Should NOT have more than 2 items"
  }
]`);
      assert.deepEqual(err.fields, { dashboardValidationMessages: [
        { DataPath: '/widgets/0/properties/metrics/0', Message: 'Should NOT have more than 2 items' },
        { DataPath: '/widgets/0/properties/metrics/1', Message: 'Should NOT have more than 2 items' },
      ] });
      return true;
    });
  });

  it('not a JSON object: the one-line refusal', () => {
    for (const text of ['', 'not json', '[]', '"widgets"', 'null', '{"widgets":[]']) {
      assert.throws(() => validateDashboardBody(text), (err: unknown) => {
        assert.ok(isServiceError(err));
        assert.equal(err.code, 'InvalidParameterInput');
        assert.equal(err.message, 'The field DashboardBody must be a valid JSON object');
        return true;
      }, text);
    }
  });

  it('warnings only: unknown properties, a metric widget without region, a gauge without range', () => {
    const text = JSON.stringify({
      widgets: [metricWidget({ metrics: [cpu], view: 'gauge' }, { colour: 'red' }), { type: 'log', properties: { query: 'q', region: 'r', view: 'stackedArea' } }],
      theme: 'dark',
    });
    assert.deepEqual(validateDashboardBody(text).messages, [
      { DataPath: '', Message: 'The "theme" property is not expected, will be ignored' },
      { DataPath: '/widgets/0', Message: 'The "colour" property is not expected to be part of a widget definition, will be ignored' },
      { DataPath: '/widgets/0/properties', Message: "Should have required property 'region'" },
      { DataPath: '/widgets/0/properties/yAxis', Message: 'A gauge needs yAxis.left.min and yAxis.left.max' },
      { DataPath: '/widgets/1/properties/view', Message: 'Should be equal to one of the allowed values' },
    ]);
  });
});
