/**
 * AWS JSON 1.0 / 1.1 round trips against the real SDK clients (SSM 1.1, CloudWatch and SQS 1.0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SSMClient, PutParameterCommand, GetParametersByPathCommand, GetParameterCommand, DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SQSClient, SendMessageCommand, ReceiveMessageCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { awsError } from '../core/errors.js';
import { loadServiceModel } from './model.js';
import { jsonCodec } from './json.js';
import { SDK_CONFIG, codecServer, rejection, relabel, serviceErrorOf, wireRequest } from './sdk-harness.test.js';

const ssmModel = loadServiceModel('ssm-2014-11-06');
const cwModel = loadServiceModel('monitoring-2010-08-01', {
  jsonVersion: '1.0',
  targetPrefix: 'GraniteServiceVersion20100801',
  awsQueryCompatible: true,
  smithyServiceName: 'GraniteServiceVersion20100801',
});
const sqsModel = loadServiceModel('sqs-2012-11-05');

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

test('SSM PutParameter: Tags, booleans and strings decode; long output reaches the SDK', async () => {
  const server = codecServer(ssmModel, 'json', () => ({ Version: 7, Tier: 'Standard' }));
  const ssm = new SSMClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const out = await ssm.send(
    new PutParameterCommand({
      Name: '/app/db/url',
      Value: 'postgres://x',
      Type: 'SecureString',
      Overwrite: false,
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'ops' },
      ],
    }),
  );
  const ex = server.last();
  assert.equal(ex.op.name, 'PutParameter');
  assert.equal(ex.wire.headers['content-type'], 'application/x-amz-json-1.1');
  assert.deepEqual(ex.input, {
    Name: '/app/db/url',
    Value: 'postgres://x',
    Type: 'SecureString',
    Overwrite: false,
    Tags: [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'ops' },
    ],
  });
  assert.equal(ex.response?.headers['Content-Type'], 'application/x-amz-json-1.1');
  assert.equal(ex.response?.headers['x-amzn-RequestId'], 'req-0001');
  assert.equal(out.Version, 7);
  assert.equal(out.Tier, 'Standard');
  assert.equal(out.$metadata.requestId, 'req-0001');
});

test('SSM GetParametersByPath: nested filters in, LastModifiedDate timestamps out', async () => {
  const when = new Date('2024-05-01T10:00:00.123Z');
  const server = codecServer(ssmModel, 'json', () => ({
    Parameters: [
      { Name: '/app/a', Type: 'String', Value: '1', Version: 1, LastModifiedDate: when, ARN: 'arn:aws:ssm:us-east-1:1:parameter/app/a', DataType: 'text' },
      // handlers may give epoch seconds or an ISO string too
      { Name: '/app/b', Type: 'StringList', Value: 'x,y', Version: 2, LastModifiedDate: 1714557600 },
      { Name: '/app/c', Type: 'String', Value: '3', Version: 3, LastModifiedDate: '2024-05-01T10:00:00Z' },
    ],
    NextToken: 'n1',
  }));
  const ssm = new SSMClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const out = await ssm.send(
    new GetParametersByPathCommand({
      Path: '/app',
      Recursive: true,
      WithDecryption: true,
      MaxResults: 10,
      ParameterFilters: [{ Key: 'Type', Option: 'Equals', Values: ['String', 'StringList'] }],
    }),
  );
  assert.deepEqual(server.last().input, {
    Path: '/app',
    Recursive: true,
    WithDecryption: true,
    MaxResults: 10,
    ParameterFilters: [{ Key: 'Type', Option: 'Equals', Values: ['String', 'StringList'] }],
  });
  // fractional epoch seconds on the wire
  assert.match(String(server.last().response?.body), /"LastModifiedDate":1714557600\.123/);
  assert.equal(out.Parameters?.length, 3);
  assert.ok(out.Parameters?.[0].LastModifiedDate instanceof Date);
  assert.equal(out.Parameters?.[0].LastModifiedDate?.toISOString(), '2024-05-01T10:00:00.123Z');
  assert.equal(out.Parameters?.[1].LastModifiedDate?.toISOString(), '2024-05-01T10:00:00.000Z');
  assert.equal(out.Parameters?.[2].LastModifiedDate?.toISOString(), '2024-05-01T10:00:00.000Z');
  assert.equal(out.Parameters?.[0].Version, 1);
  assert.equal(out.Parameters?.[1].Value, 'x,y');
  assert.equal(out.NextToken, 'n1');
});

test('SSM error: __type and message reach the SDK as a modeled exception', async () => {
  const server = codecServer(ssmModel, 'json', () => {
    throw awsError('ParameterNotFound', 'Parameter /nope not found.');
  });
  const ssm = new SSMClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const err = await rejection(ssm.send(new GetParameterCommand({ Name: '/nope' })));
  assert.equal(err.name, 'ParameterNotFound');
  assert.equal(err.message, 'Parameter /nope not found.');
  assert.equal(err.$metadata.httpStatusCode, 400);
  assert.equal(err.$fault, 'client');
  // not query-compatible: no x-amzn-query-error
  assert.equal(server.last().response?.headers['x-amzn-query-error'], undefined);
});

test('SSM empty output serializes as {}', async () => {
  const server = codecServer(ssmModel, 'json', () => undefined);
  const ssm = new SSMClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const out = await ssm.send(new DeleteParameterCommand({ Name: '/x' }));
  assert.equal(server.last().response?.body, '{}');
  assert.equal(out.$metadata.httpStatusCode, 200);
});

test('CloudWatch JSON 1.0 PutMetricData: fractional timestamps, nested structures, double lists', async () => {
  const server = codecServer(cwModel, 'json', () => undefined);
  const cw = new CloudWatchClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: new Date(1704067200500), Value: 1.5, Unit: 'Milliseconds' },
        { MetricName: 'Batch', Values: [1, 2.25, 3], Counts: [1, 1, 2], StatisticValues: { SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 }, StorageResolution: 1 },
      ],
    }),
  );
  const ex = server.last();
  assert.equal(ex.wire.headers['x-amz-target'], 'GraniteServiceVersion20100801.PutMetricData');
  assert.equal(ex.wire.headers['content-type'], 'application/x-amz-json-1.0');
  const input = ex.input as any;
  assert.equal(input.Namespace, 'App');
  assert.ok(input.MetricData[0].Timestamp instanceof Date);
  assert.equal(input.MetricData[0].Timestamp.getTime(), 1704067200500);
  assert.deepEqual(input.MetricData[0].Dimensions, [{ Name: 'Host', Value: 'h1' }]);
  assert.equal(input.MetricData[0].Value, 1.5);
  assert.deepEqual(input.MetricData[1].Values, [1, 2.25, 3]);
  assert.deepEqual(input.MetricData[1].StatisticValues, { SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 });
  assert.equal(input.MetricData[1].StorageResolution, 1);
  assert.equal(ex.response?.headers['Content-Type'], 'application/x-amz-json-1.0');
});

test('CloudWatch JSON 1.0 GetMetricData: timestamp lists and non-finite doubles out', async () => {
  const t0 = new Date('2024-01-01T00:00:00Z');
  const t1 = new Date('2024-01-01T00:01:00.250Z');
  const server = codecServer(cwModel, 'json', () => ({
    MetricDataResults: [{ Id: 'm1', Label: 'Latency', Timestamps: [t0, t1], Values: [1.5, NaN], StatusCode: 'Complete', Messages: [] }],
    Messages: [{ Code: 'c', Value: 'v' }],
  }));
  const cw = new CloudWatchClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const out = await cw.send(
    new GetMetricDataCommand({
      StartTime: t0,
      EndTime: t1,
      MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency' }, Period: 60, Stat: 'Average' }, ReturnData: true }],
    }),
  );
  const input = server.last().input as any;
  assert.equal(input.EndTime.getTime(), t1.getTime());
  assert.equal(input.MetricDataQueries[0].MetricStat.Period, 60);
  assert.equal(input.MetricDataQueries[0].ReturnData, true);
  const r = out.MetricDataResults![0];
  assert.deepEqual(r.Timestamps?.map((d) => d.toISOString()), ['2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.250Z']);
  assert.equal(r.Values?.[0], 1.5);
  assert.ok(Number.isNaN(r.Values?.[1]));
  assert.deepEqual(out.Messages, [{ Code: 'c', Value: 'v' }]);
});

test('CloudWatch JSON error: x-amzn-query-error gives the SDK the Query code', async () => {
  const server = codecServer(cwModel, 'json', () => {
    throw relabel(awsError('InvalidParameterValue', 'bad period'), 'InvalidParameterValueException', 'InvalidParameterValue');
  });
  const cw = new CloudWatchClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const err = await rejection(cw.send(new PutMetricDataCommand({ Namespace: 'A', MetricData: [{ MetricName: 'm', Value: 1 }] })));
  assert.equal(server.last().response?.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
  assert.equal(err.name, 'InvalidParameterValueException');
  assert.equal(err.Code, 'InvalidParameterValue');
  assert.equal(err.message, 'bad period');
  assert.equal(err.$metadata.httpStatusCode, 400);
});

test('SQS JSON 1.0: message attribute maps with blobs in, blob maps and lists out', async () => {
  const body = 'hello <world>';
  const server = codecServer(sqsModel, 'json', (input, op) => {
    if (op.name === 'SendMessage') return { MessageId: 'm-1', MD5OfMessageBody: md5(String(input.MessageBody)) };
    return {
      Messages: [
        {
          MessageId: 'm-1',
          ReceiptHandle: 'rh',
          Body: body,
          MD5OfBody: md5(body),
          Attributes: { SentTimestamp: '1704067200000', ApproximateReceiveCount: '1' },
          MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 254, 255]) } },
        },
      ],
    };
  });
  const sqs = new SQSClient({ ...SDK_CONFIG, requestHandler: server.requestHandler, md5: false });
  const sent = await sqs.send(
    new SendMessageCommand({
      QueueUrl: 'http://127.0.0.1:4599/000000000000/q1',
      MessageBody: body,
      DelaySeconds: 5,
      MessageAttributes: {
        s: { DataType: 'String', StringValue: 'v' },
        b: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
      },
    }),
  );
  const input = server.last().input as any;
  assert.equal(server.last().wire.headers['x-amzn-query-mode'], 'true');
  assert.equal(input.DelaySeconds, 5);
  assert.deepEqual(input.MessageAttributes.s, { DataType: 'String', StringValue: 'v' });
  assert.ok(Buffer.isBuffer(input.MessageAttributes.b.BinaryValue));
  assert.deepEqual([...input.MessageAttributes.b.BinaryValue], [1, 2, 3]);
  assert.equal(sent.MessageId, 'm-1');

  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: 'http://q', MaxNumberOfMessages: 2, MessageAttributeNames: ['All'] }));
  assert.deepEqual((server.last().input as any).MessageAttributeNames, ['All']);
  const msg = got.Messages![0];
  assert.equal(msg.Body, body);
  assert.deepEqual(msg.Attributes, { SentTimestamp: '1704067200000', ApproximateReceiveCount: '1' });
  assert.deepEqual([...msg.MessageAttributes!.bin.BinaryValue!], [0, 1, 254, 255]);
});

test('SQS JSON error: legacy queryCode in x-amzn-query-error maps to the modeled error', async () => {
  const server = codecServer(sqsModel, 'json', () => {
    throw relabel(awsError('InvalidParameterValue', 'The specified queue does not exist.'), 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue');
  });
  const sqs = new SQSClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const err = await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
  assert.equal(server.last().response?.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  assert.equal(JSON.parse(String(server.last().response?.body)).__type, 'QueueDoesNotExist');
  assert.equal(err.name, 'QueueDoesNotExist');
  assert.equal(err.Code, 'AWS.SimpleQueueService.NonExistentQueue');
  assert.equal(err.$metadata.httpStatusCode, 400);
});

// --- bad input, straight through the codec ----------------------------------------------------

const ctx = { requestId: 'r', service: ssmModel };
const putParameter = ssmModel.operations.PutParameter;

test('broken JSON → SerializationException 400', () => {
  for (const body of ['{"Name": ', '{"Name":"x"}}', 'nul', '\u0000']) {
    const e = serviceErrorOf(() => jsonCodec.parse(wireRequest({ body: Buffer.from(body) }), putParameter, ctx));
    assert.equal(e.code, 'SerializationException', body);
    assert.equal(e.status, 400);
  }
});

test('a JSON body that is not an object → SerializationException', () => {
  for (const body of ['[]', '"x"', '3', 'null', 'true']) {
    const e = serviceErrorOf(() => jsonCodec.parse(wireRequest({ body: Buffer.from(body) }), putParameter, ctx));
    assert.equal(e.code, 'SerializationException', body);
  }
});

test('type mismatches → SerializationException naming the member', () => {
  const cases: Array<[string, string]> = [
    ['{"Name": 5}', 'Name'],
    ['{"Name": "x", "Overwrite": "true"}', 'Overwrite'],
    ['{"Name": "x", "Tags": {"Key": "k"}}', 'Tags'],
    ['{"Name": "x", "Tags": [{"Key": 1}]}', 'Key'],
    ['{"Name": "x", "Tags": ["k"]}', 'Tags'],
  ];
  for (const [body, member] of cases) {
    const e = serviceErrorOf(() => jsonCodec.parse(wireRequest({ body: Buffer.from(body) }), putParameter, ctx));
    assert.equal(e.code, 'SerializationException', body);
    assert.equal(e.status, 400);
    assert.match(e.message, new RegExp(`'${member}'`), body);
  }
  const gbp = ssmModel.operations.GetParametersByPath;
  const e = serviceErrorOf(() => jsonCodec.parse(wireRequest({ body: Buffer.from('{"Path":"/","MaxResults":1.5}') }), gbp, ctx));
  assert.equal(e.code, 'SerializationException');
});

test('empty body is {}; unknown members and nulls are dropped; ISO / numeric-string timestamps accepted', () => {
  assert.deepEqual(jsonCodec.parse(wireRequest({ body: Buffer.alloc(0) }), putParameter, ctx), {});
  assert.deepEqual(jsonCodec.parse(wireRequest({ body: Buffer.from('  \n') }), putParameter, ctx), {});
  assert.deepEqual(
    jsonCodec.parse(wireRequest({ body: Buffer.from('{"Name":"n","Bogus":1,"Description":null,"__proto__":{"x":1}}') }), putParameter, ctx),
    { Name: 'n' },
  );
  const cw = { requestId: 'r', service: cwModel };
  const op = cwModel.operations.GetMetricStatistics;
  const body = '{"Namespace":"n","MetricName":"m","Period":60,"StartTime":"2024-01-01T00:00:00Z","EndTime":"1704067260.5"}';
  const input = jsonCodec.parse(wireRequest({ body: Buffer.from(body) }), op, cw) as any;
  assert.equal(input.StartTime.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(input.EndTime.toISOString(), '2024-01-01T00:01:00.500Z');
  const bad = serviceErrorOf(() => jsonCodec.parse(wireRequest({ body: Buffer.from('{"StartTime":"yesterday"}') }), op, cw));
  assert.equal(bad.code, 'SerializationException');
});

test('serialize leaves out members the model does not know and null values', () => {
  const op = ssmModel.operations.GetParameter;
  const res = jsonCodec.serialize({ Parameter: { Name: 'n', Value: null, Secret: 'x', Version: 2 }, Extra: 1 }, op, ctx);
  assert.equal(res.body, '{"Parameter":{"Name":"n","Version":2}}');
});
