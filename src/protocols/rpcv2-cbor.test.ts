/**
 * Smithy RPC v2 CBOR round trips against the real CloudWatch client (`AwsSmithyRpcV2CborProtocol`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from 'cbor-x';
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand, DescribeAlarmsCommand, DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { awsError } from '../core/errors.js';
import { loadServiceModel } from './model.js';
import { cborCodec } from './rpcv2-cbor.js';
import { SDK_CONFIG, codecServer, rejection, relabel, serviceErrorOf, wireRequest } from './sdk-harness.test.js';

const cwModel = loadServiceModel('monitoring-2010-08-01', {
  jsonVersion: '1.0',
  targetPrefix: 'GraniteServiceVersion20100801',
  awsQueryCompatible: true,
  smithyServiceName: 'GraniteServiceVersion20100801',
});

function client(server: ReturnType<typeof codecServer>) {
  return new CloudWatchClient({ ...SDK_CONFIG, requestHandler: server.requestHandler, protocol: AwsSmithyRpcV2CborProtocol });
}

test('CBOR PutMetricData: tag-1 timestamps, nested lists and structures decode', async () => {
  const server = codecServer(cwModel, 'rpcv2-cbor', () => undefined);
  const out = await client(server).send(
    new PutMetricDataCommand({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: new Date(1704067200500), Value: 1.5, Unit: 'Milliseconds' },
        { MetricName: 'Count', Timestamp: new Date(1704067200000), Values: [1, 2], Counts: [3, 4], StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 } },
      ],
    }),
  );
  const ex = server.last();
  assert.equal(ex.wire.path, '/service/GraniteServiceVersion20100801/operation/PutMetricData');
  assert.equal(ex.wire.headers['smithy-protocol'], 'rpc-v2-cbor');
  const input = ex.input as any;
  assert.ok(input.MetricData[0].Timestamp instanceof Date);
  assert.equal(input.MetricData[0].Timestamp.getTime(), 1704067200500); // float epoch
  assert.equal(input.MetricData[1].Timestamp.getTime(), 1704067200000); // integer epoch
  assert.deepEqual(input.MetricData[0].Dimensions, [{ Name: 'Host', Value: 'h1' }]);
  assert.deepEqual(input.MetricData[1].Values, [1, 2]);
  assert.deepEqual(input.MetricData[1].StatisticValues, { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 });
  assert.equal(ex.response?.headers['Content-Type'], 'application/cbor');
  assert.equal(ex.response?.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(out.$metadata.httpStatusCode, 200);
});

test('CBOR GetMetricData: Date lists, doubles, strings and nested lists reach the SDK', async () => {
  const t0 = new Date('2024-01-01T00:00:00Z');
  const t1 = new Date('2024-01-01T00:01:00.250Z');
  const server = codecServer(cwModel, 'rpcv2-cbor', () => ({
    MetricDataResults: [
      // a timestamp may come from the handler as epoch seconds or an ISO string
      { Id: 'm1', Label: 'L', Timestamps: [t0, 1704067260.25, '2024-01-01T00:02:00Z'], Values: [1.5, 2, -0.25], StatusCode: 'Complete', Messages: undefined },
    ],
    NextToken: undefined,
    Messages: [],
  }));
  const out = await client(server).send(
    new GetMetricDataCommand({
      StartTime: t0,
      EndTime: t1,
      MetricDataQueries: [{ Id: 'm1', Expression: 'SUM(METRICS())', ReturnData: false }],
      MaxDatapoints: 100,
    }),
  );
  const input = server.last().input as any;
  assert.equal(input.StartTime.getTime(), t0.getTime());
  assert.equal(input.EndTime.getTime(), t1.getTime());
  assert.equal(input.MaxDatapoints, 100);
  assert.deepEqual(input.MetricDataQueries, [{ Id: 'm1', Expression: 'SUM(METRICS())', ReturnData: false }]);
  const r = out.MetricDataResults![0];
  assert.deepEqual(r.Timestamps?.map((d) => d.toISOString()), ['2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.250Z', '2024-01-01T00:02:00.000Z']);
  assert.deepEqual(r.Values, [1.5, 2, -0.25]);
  assert.equal(r.StatusCode, 'Complete');
  assert.deepEqual(out.Messages, []);
  assert.equal(out.NextToken, undefined);
  // absent members are left out, never encoded as CBOR undefined (the smithy decoder makes null)
  const raw = decode(server.last().response?.body as Buffer);
  assert.deepEqual(Object.keys(raw), ['MetricDataResults', 'Messages']);
  assert.deepEqual(Object.keys(raw.MetricDataResults[0]), ['Id', 'Label', 'Timestamps', 'Values', 'StatusCode']);
});

test('CBOR DescribeAlarms: booleans, integers, timestamps inside a list of structures', async () => {
  const updated = new Date('2024-03-04T05:06:07.890Z');
  const server = codecServer(cwModel, 'rpcv2-cbor', () => ({
    MetricAlarms: [
      {
        AlarmName: 'a1',
        ActionsEnabled: true,
        AlarmActions: ['arn:aws:sns:us-east-1:1:t'],
        StateValue: 'ALARM',
        StateUpdatedTimestamp: updated,
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 99.5,
        Dimensions: [{ Name: 'Host', Value: 'h1' }],
      },
    ],
    CompositeAlarms: [],
  }));
  const out = await client(server).send(new DescribeAlarmsCommand({ AlarmNames: ['a1', 'a2'], MaxRecords: 50, AlarmTypes: ['MetricAlarm'] }));
  assert.deepEqual(server.last().input, { AlarmNames: ['a1', 'a2'], MaxRecords: 50, AlarmTypes: ['MetricAlarm'] });
  const a = out.MetricAlarms![0];
  assert.equal(a.ActionsEnabled, true);
  assert.equal(a.Period, 60);
  assert.equal(a.Threshold, 99.5);
  assert.equal(a.StateUpdatedTimestamp?.toISOString(), '2024-03-04T05:06:07.890Z');
  assert.deepEqual(a.Dimensions, [{ Name: 'Host', Value: 'h1' }]);
  assert.deepEqual(a.AlarmActions, ['arn:aws:sns:us-east-1:1:t']);
});

test('CBOR empty input and empty output', async () => {
  const server = codecServer(cwModel, 'rpcv2-cbor', () => undefined);
  await client(server).send(new DeleteAlarmsCommand({ AlarmNames: [] }));
  assert.deepEqual(server.last().input, { AlarmNames: [] });
  assert.deepEqual([...(server.last().response?.body as Buffer)], [0xa0]); // {}
  const op = cwModel.operations.DescribeAlarms;
  assert.deepEqual(cborCodec.parse(wireRequest({ body: Buffer.alloc(0) }), op, { requestId: 'r', service: cwModel }), {});
});

test('CBOR error: __type, message, x-amzn-query-error', async () => {
  const server = codecServer(cwModel, 'rpcv2-cbor', () => {
    throw relabel(awsError('InvalidParameterValue', 'bad value'), 'InvalidParameterValueException', 'InvalidParameterValue');
  });
  const err = await rejection(client(server).send(new DescribeAlarmsCommand({})));
  assert.equal(server.last().response?.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
  assert.equal(server.last().response?.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(err.name, 'InvalidParameterValueException');
  assert.equal(err.Code, 'InvalidParameterValue');
  assert.equal(err.message, 'bad value');
  assert.equal(err.$metadata.httpStatusCode, 400);

  const server5 = codecServer(cwModel, 'rpcv2-cbor', () => {
    throw awsError('InternalFailure', 'boom');
  });
  const err5 = await rejection(client(server5).send(new DescribeAlarmsCommand({})));
  assert.equal(server5.last().response?.headers['x-amzn-query-error'], 'InternalFailure;Receiver');
  assert.equal(err5.$metadata.httpStatusCode, 500);
  assert.equal(err5.Code, 'InternalFailure');
  assert.equal(err5.$fault, 'server');
});

// --- bad input --------------------------------------------------------------------------------

const ctx = { requestId: 'r', service: cwModel };
const putMetricData = cwModel.operations.PutMetricData;

test('broken CBOR → SerializationException 400', () => {
  const bodies = [
    Buffer.from([0xa1, 0x61]), // map truncated inside its key
    Buffer.from([0xbf, 0x61, 0x61, 0x01]), // indefinite map without break
    Buffer.from([0xa1, 0x61, 0x61, 0x01, 0xff]), // trailing garbage
    Buffer.from([0x1c]), // reserved additional info
  ];
  for (const body of bodies) {
    const e = serviceErrorOf(() => cborCodec.parse(wireRequest({ body }), putMetricData, ctx));
    assert.equal(e.code, 'SerializationException', body.toString('hex'));
    assert.equal(e.status, 400);
  }
});

test('CBOR that is not a map, or has wrong types → SerializationException', () => {
  for (const v of [[1, 2], 'str', 5]) {
    const e = serviceErrorOf(() => cborCodec.parse(wireRequest({ body: encode(v) }), putMetricData, ctx));
    assert.equal(e.code, 'SerializationException');
  }
  const wrong = [
    { Namespace: 5 },
    { Namespace: 'n', MetricData: { MetricName: 'm' } },
    { Namespace: 'n', MetricData: [{ MetricName: 'm', Timestamp: 'yesterday' }] },
    { Namespace: 'n', MetricData: [{ MetricName: 'm', StorageResolution: 1.5 }] },
  ];
  for (const v of wrong) {
    const e = serviceErrorOf(() => cborCodec.parse(wireRequest({ body: encode(v) }), putMetricData, ctx));
    assert.equal(e.code, 'SerializationException', JSON.stringify(v));
  }
});
