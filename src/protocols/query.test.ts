/**
 * AWS Query round trips against the real SDK clients: SNS (Query-only), CloudWatch and SQS with
 * `protocol: AwsQueryProtocol`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { SNSClient, CreateTopicCommand, PublishCommand, GetTopicAttributesCommand, ListTopicsCommand, DeleteTopicCommand } from '@aws-sdk/client-sns';
import { CloudWatchClient, PutMetricDataCommand, GetMetricStatisticsCommand, DescribeAlarmsCommand, PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { SQSClient, SendMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { awsError } from '../core/errors.js';
import type { OperationModel, ServiceModel, Shape } from './model.js';
import { loadServiceModel } from './model.js';
import { queryAction, queryCodec } from './query.js';
import { SDK_CONFIG, codecServer, rejection, relabel, serviceErrorOf, wireRequest } from './sdk-harness.test.js';

const snsModel = loadServiceModel('sns-2010-03-31');
const cwModel = loadServiceModel('monitoring-2010-08-01');
const sqsModel = loadServiceModel('sqs-2012-11-05', { xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/' });

test('SNS CreateTopic: maps (entry.N.key/value) and lists of structures decode', async () => {
  const server = codecServer(snsModel, 'query', () => ({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' }));
  const sns = new SNSClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const out = await sns.send(
    new CreateTopicCommand({
      Name: 't',
      Attributes: { DisplayName: 'My topic', Policy: '{"Version":"2012-10-17"}' },
      Tags: [
        { Key: 'a', Value: '1 + 1 = 2' },
        { Key: 'b', Value: 'ünïcödé & <xml>' },
      ],
    }),
  );
  const ex = server.last();
  assert.match(String(ex.wire.headers['content-type']), /^application\/x-www-form-urlencoded/);
  assert.deepEqual(ex.input, {
    Name: 't',
    Attributes: { DisplayName: 'My topic', Policy: '{"Version":"2012-10-17"}' },
    Tags: [
      { Key: 'a', Value: '1 + 1 = 2' },
      { Key: 'b', Value: 'ünïcödé & <xml>' },
    ],
  });
  const body = String(ex.response?.body);
  assert.ok(body.startsWith('<CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult><TopicArn>'), body);
  assert.ok(body.endsWith('<ResponseMetadata><RequestId>req-0001</RequestId></ResponseMetadata></CreateTopicResponse>'), body);
  assert.equal(ex.response?.headers['Content-Type'], 'text/xml');
  assert.equal(out.TopicArn, 'arn:aws:sns:us-east-1:000000000000:t');
});

test('SNS Publish: map with Name/Value locationNames, nested structure and a base64 blob', async () => {
  const server = codecServer(snsModel, 'query', () => ({ MessageId: 'mid-1' }));
  const sns = new SNSClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const out = await sns.send(
    new PublishCommand({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
      Message: 'line1\r\nline2 & more',
      Subject: 'Hi there',
      MessageAttributes: {
        color: { DataType: 'String', StringValue: 'red' },
        raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255, 10]) },
      },
    }),
  );
  const input = server.last().input as any;
  assert.equal(input.Message, 'line1\r\nline2 & more');
  assert.equal(input.Subject, 'Hi there');
  assert.deepEqual(input.MessageAttributes.color, { DataType: 'String', StringValue: 'red' });
  assert.ok(Buffer.isBuffer(input.MessageAttributes.raw.BinaryValue));
  assert.deepEqual([...input.MessageAttributes.raw.BinaryValue], [0, 255, 10]);
  assert.equal(out.MessageId, 'mid-1');
});

test('SNS outputs: map and list of structures, XML-escaped text including CR', async () => {
  const policy = '{"Statement":[{"Effect":"Allow"}]} <&> "q" \'a\'\r\nnext';
  const server = codecServer(snsModel, 'query', (_input, op) =>
    op.name === 'GetTopicAttributes'
      ? { Attributes: { Policy: policy, Owner: '000000000000' } }
      : { Topics: [{ TopicArn: 'arn:1' }, { TopicArn: 'arn:2' }], NextToken: 'tok' },
  );
  const sns = new SNSClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:1' }));
  assert.deepEqual(attrs.Attributes, { Policy: policy, Owner: '000000000000' });
  assert.match(String(server.last().response?.body), /<Attributes><entry><key>Policy<\/key><value>/);
  const topics = await sns.send(new ListTopicsCommand({ NextToken: 'prev' }));
  assert.deepEqual(server.last().input, { NextToken: 'prev' });
  assert.deepEqual(topics.Topics, [{ TopicArn: 'arn:1' }, { TopicArn: 'arn:2' }]);
  assert.equal(topics.NextToken, 'tok');
  assert.match(String(server.last().response?.body), /<Topics><member><TopicArn>arn:1<\/TopicArn><\/member>/);
});

test('SNS errors: ErrorResponse with Type/Code/Message and the status', async () => {
  const server = codecServer(snsModel, 'query', () => {
    throw relabel(awsError('InvalidParameterValue', 'Topic does not exist'), 'NotFoundException', 'NotFound');
  });
  const sns = new SNSClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
  const err = await rejection(sns.send(new DeleteTopicCommand({ TopicArn: 'arn:x' })));
  assert.equal(
    server.last().response?.body,
    '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code>' +
      '<Message>Topic does not exist</Message></Error><RequestId>req-0001</RequestId></ErrorResponse>',
  );
  assert.equal(err.name, 'NotFoundException');
  assert.equal(err.message, 'Topic does not exist');
  assert.equal(err.$metadata.httpStatusCode, 400);

  const server2 = codecServer(snsModel, 'query', () => {
    throw awsError('ServiceUnavailable', 'try later');
  });
  const sns2 = new SNSClient({ ...SDK_CONFIG, requestHandler: server2.requestHandler });
  const err2 = await rejection(sns2.send(new DeleteTopicCommand({ TopicArn: 'arn:x' })));
  assert.equal(err2.name, 'ServiceUnavailable');
  assert.equal(err2.$metadata.httpStatusCode, 503);
  assert.equal(err2.$fault, 'server');
  assert.match(String(server2.last().response?.body), /<Type>Receiver<\/Type>/);
});

test('CloudWatch over Query: ISO timestamps, nested member lists in; xmlOrder output with timestamps', async () => {
  const server = codecServer(cwModel, 'query', (_i, op) =>
    op.name === 'GetMetricStatistics'
      ? {
          Label: 'Latency',
          Datapoints: [
            { Timestamp: new Date('2024-01-01T00:00:00Z'), Average: 1.5, SampleCount: 2, Unit: 'Seconds', ExtendedStatistics: { p99: 2.5 } },
            { Timestamp: new Date('2024-01-01T00:01:00.250Z'), Maximum: 3 },
          ],
        }
      : undefined,
  );
  const cw = new CloudWatchClient({ ...SDK_CONFIG, requestHandler: server.requestHandler, protocol: AwsQueryProtocol });
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'M', Dimensions: [{ Name: 'Host', Value: 'h1' }, { Name: 'Az', Value: 'a' }], Timestamp: new Date(1704067200500), Value: 1.25 },
        { MetricName: 'N', Values: [1, 2, 3], Counts: [1, 1, 1] },
      ],
    }),
  );
  const pmd = server.last().input as any;
  assert.equal(pmd.MetricData[0].Timestamp.toISOString(), '2024-01-01T00:00:00.500Z');
  assert.deepEqual(pmd.MetricData[0].Dimensions, [{ Name: 'Host', Value: 'h1' }, { Name: 'Az', Value: 'a' }]);
  assert.equal(pmd.MetricData[0].Value, 1.25);
  assert.deepEqual(pmd.MetricData[1].Values, [1, 2, 3]);
  // no output shape: no Result element
  assert.equal(
    server.last().response?.body,
    '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>req-0001</RequestId></ResponseMetadata></PutMetricDataResponse>',
  );

  const stats = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'App',
      MetricName: 'M',
      StartTime: new Date('2024-01-01T00:00:00Z'),
      EndTime: new Date('2024-01-01T01:00:00Z'),
      Period: 60,
      Statistics: ['Average', 'Maximum'],
      ExtendedStatistics: ['p99'],
    }),
  );
  const gms = server.last().input as any;
  assert.equal(gms.Period, 60);
  assert.deepEqual(gms.Statistics, ['Average', 'Maximum']);
  assert.equal(gms.EndTime.toISOString(), '2024-01-01T01:00:00.000Z');
  const xml = String(server.last().response?.body);
  assert.match(xml, /<member><Timestamp>2024-01-01T00:00:00.000Z<\/Timestamp><SampleCount>2<\/SampleCount><Average>1.5<\/Average><Unit>Seconds<\/Unit>/);
  assert.equal(stats.Label, 'Latency');
  assert.equal(stats.Datapoints?.[0].Timestamp?.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(stats.Datapoints?.[0].Average, 1.5);
  assert.deepEqual(stats.Datapoints?.[0].ExtendedStatistics, { p99: 2.5 });
  assert.equal(stats.Datapoints?.[1].Timestamp?.toISOString(), '2024-01-01T00:01:00.250Z');
  assert.equal(stats.Datapoints?.[1].Maximum, 3);
});

test('CloudWatch over Query: booleans and integers both ways', async () => {
  const server = codecServer(cwModel, 'query', () => ({
    MetricAlarms: [{ AlarmName: 'a', ActionsEnabled: false, EvaluationPeriods: 2, Threshold: 0.5, StateUpdatedTimestamp: 1704067200 }],
    NextToken: 'n',
  }));
  const cw = new CloudWatchClient({ ...SDK_CONFIG, requestHandler: server.requestHandler, protocol: AwsQueryProtocol });
  const out = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 5, AlarmNames: ['a'] }));
  assert.deepEqual(server.last().input, { MaxRecords: 5, AlarmNames: ['a'] });
  const a = out.MetricAlarms![0];
  assert.equal(a.ActionsEnabled, false);
  assert.equal(a.EvaluationPeriods, 2);
  assert.equal(a.Threshold, 0.5);
  assert.equal(a.StateUpdatedTimestamp?.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(out.NextToken, 'n');
});

test('SQS over Query with its JSON-era model: singular flattened names, default Result wrapper, legacy error code', async () => {
  const server = codecServer(sqsModel, 'query', (input, op) => {
    if (op.name === 'GetQueueUrl') {
      if (input.QueueName === 'missing') {
        throw relabel(awsError('InvalidParameterValue', 'The specified queue does not exist.'), 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue');
      }
      return { QueueUrl: 'http://127.0.0.1:4599/000000000000/q1' };
    }
    return undefined;
  });
  const sqs = new SQSClient({ ...SDK_CONFIG, requestHandler: server.requestHandler, protocol: AwsQueryProtocol, md5: false });
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: 'http://127.0.0.1:4599/000000000000/q1',
      MessageBody: 'hi',
      MessageAttributes: { a: { DataType: 'String', StringValue: 'v' }, b: { DataType: 'Binary', BinaryValue: Buffer.from('xy') } },
    }),
  );
  const input = server.last().input as any;
  assert.match(server.last().wire.body.toString(), /MessageAttribute\.1\.Name=a/);
  assert.equal(input.MessageBody, 'hi');
  assert.deepEqual(input.MessageAttributes.a, { DataType: 'String', StringValue: 'v' });
  assert.equal(input.MessageAttributes.b.BinaryValue.toString(), 'xy');

  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: 'http://q', MessageAttributeNames: ['All', 'b'], MaxNumberOfMessages: 3 }));
  assert.deepEqual(server.last().input, { QueueUrl: 'http://q', MessageAttributeNames: ['All', 'b'], MaxNumberOfMessages: 3 });
  assert.equal(received.Messages, undefined);
  assert.match(String(server.last().response?.body), /<ReceiveMessageResult><\/ReceiveMessageResult>/);

  const url = await sqs.send(new GetQueueUrlCommand({ QueueName: 'q1' }));
  assert.equal(url.QueueUrl, 'http://127.0.0.1:4599/000000000000/q1');
  assert.match(String(server.last().response?.body), /<GetQueueUrlResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><GetQueueUrlResult><QueueUrl>/);

  const err = await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' })));
  assert.match(String(server.last().response?.body), /<Code>AWS.SimpleQueueService.NonExistentQueue<\/Code>/);
  assert.equal(err.name, 'QueueDoesNotExist');
  assert.equal(err.$metadata.httpStatusCode, 400);
});

test('error fields that are lists of structures are XML members, which the SDK reads back', async () => {
  const messages = [
    { DataPath: '/widgets/0', Message: 'Should be <object>' },
    { DataPath: '/widgets/1/type', Message: 'Should be equal to one of the allowed values' },
  ];
  const server = codecServer(cwModel, 'query', () => {
    throw awsError('InvalidParameterInput', 'The dashboard body is invalid', { dashboardValidationMessages: messages, nested: { a: 1, b: [true] } });
  });
  const cw = new CloudWatchClient({ ...SDK_CONFIG, requestHandler: server.requestHandler, protocol: AwsQueryProtocol });
  const err = await rejection(cw.send(new PutDashboardCommand({ DashboardName: 'd', DashboardBody: '{}' })));
  const body = String(server.last().response?.body);
  assert.equal(XMLValidator.validate(body), true);
  assert.match(body, new RegExp(
    '<Message>The dashboard body is invalid</Message><dashboardValidationMessages>' +
      '<member><DataPath>/widgets/0</DataPath><Message>Should be &lt;object&gt;</Message></member>' +
      '<member><DataPath>/widgets/1/type</DataPath><Message>Should be equal to one of the allowed values</Message></member>' +
      '</dashboardValidationMessages><nested><a>1</a><b><member>true</member></b></nested></Error>',
  ));
  assert.equal(err.name, 'DashboardInvalidInputError');
  assert.deepEqual(err.dashboardValidationMessages, messages);
  // a single item is still a list
  const one = codecServer(cwModel, 'query', () => {
    throw awsError('InvalidParameterInput', 'x', { dashboardValidationMessages: [messages[0]] });
  });
  const cw1 = new CloudWatchClient({ ...SDK_CONFIG, requestHandler: one.requestHandler, protocol: AwsQueryProtocol });
  assert.deepEqual((await rejection(cw1.send(new PutDashboardCommand({ DashboardName: 'd', DashboardBody: '{}' })))).dashboardValidationMessages, [messages[0]]);
});

// --- direct codec tests -------------------------------------------------------------------------

const snsCtx = { requestId: 'r', service: snsModel };
const form = (body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8') =>
  wireRequest({ headers: { 'content-type': contentType }, body: Buffer.from(body) });

test('GET with the query string; + is a space; charset suffix; out-of-order list indices', () => {
  const op = snsModel.operations.ConfirmSubscription;
  const input = queryCodec.parse(
    wireRequest({ method: 'GET', rawQuery: 'Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Token=a+b%2Bc' }),
    op,
    snsCtx,
  );
  assert.deepEqual(input, { TopicArn: 'arn:aws:sns:us-east-1:1:t', Token: 'a b+c' });
  assert.equal(queryAction(wireRequest({ method: 'GET', rawQuery: 'Token=t&Action=ConfirmSubscription' })), 'ConfirmSubscription');
  assert.equal(queryAction(wireRequest({ rawQuery: 'Action=ListTopics', body: Buffer.from('Version=1&Action=Publish') })), 'Publish');
  assert.equal(queryAction(wireRequest({ body: Buffer.from('Version=1') })), undefined);

  const tags = queryCodec.parse(
    form('Action=TagResource&ResourceArn=r&Tags.member.10.Key=k10&Tags.member.10.Value=v&Tags.member.2.Key=k2&Tags.member.2.Value=v&Tags.member.1.Key=k1&Tags.member.1.Value=v'),
    snsModel.operations.TagResource,
    snsCtx,
  ) as any;
  assert.deepEqual(tags.Tags.map((t: any) => t.Key), ['k1', 'k2', 'k10']);
  // an empty list is sent as `Name=`
  assert.deepEqual(queryCodec.parse(form('Action=TagResource&ResourceArn=r&Tags='), snsModel.operations.TagResource, snsCtx), { ResourceArn: 'r', Tags: [] });
});

test('malformed percent-encoding → MalformedQueryString 400', () => {
  const op = snsModel.operations.Publish;
  for (const body of ['Action=Publish&Message=%E0%A4%A', 'Action=Publish&Message=%zz', 'Action=Publish&Mess%age=x', 'Action=Publish&Message=%FF']) {
    const e = serviceErrorOf(() => queryCodec.parse(form(body), op, snsCtx));
    assert.equal(e.code, 'MalformedQueryString', body);
    assert.equal(e.status, 400);
  }
  const e = serviceErrorOf(() => queryCodec.parse(wireRequest({ method: 'GET', rawQuery: 'Action=Publish&Message=%' }), op, snsCtx));
  assert.equal(e.code, 'MalformedQueryString');
});

test('values of the wrong type → InvalidParameterValue 400', () => {
  const ctx = { requestId: 'r', service: cwModel };
  const cases: Array<[string, string]> = [
    ['Action=DescribeAlarms&MaxRecords=ten', 'DescribeAlarms'],
    ['Action=PutMetricData&Namespace=n&MetricData.member.1.MetricName=m&MetricData.member.1.Value=abc', 'PutMetricData'],
    ['Action=PutMetricData&Namespace=n&MetricData.member.1.MetricName=m&MetricData.member.1.Timestamp=yesterday', 'PutMetricData'],
  ];
  for (const [body, opName] of cases) {
    const e = serviceErrorOf(() => queryCodec.parse(form(body), cwModel.operations[opName], ctx));
    assert.equal(e.code, 'InvalidParameterValue', body);
    assert.equal(e.status, 400);
  }
  const e = serviceErrorOf(() =>
    queryCodec.parse(form('Action=PutMetricAlarm&AlarmName=a&ActionsEnabled=maybe'), cwModel.operations.PutMetricAlarm, ctx),
  );
  assert.equal(e.code, 'InvalidParameterValue');
  // booleans are case-insensitive, timestamps may be epoch seconds
  const ok = queryCodec.parse(
    form('Action=PutMetricAlarm&AlarmName=a&ActionsEnabled=TRUE&Period=60&Threshold=1.5e2'),
    cwModel.operations.PutMetricAlarm,
    ctx,
  );
  assert.deepEqual(ok, { AlarmName: 'a', ActionsEnabled: true, Period: 60, Threshold: 150 });
});

test('unknown service (no xmlNamespace): still well-formed XML, errors too', () => {
  const model: ServiceModel = { ...snsModel, metadata: { ...snsModel.metadata, xmlNamespace: undefined } };
  const ctx = { requestId: 'id<&>', service: model };
  const ok = queryCodec.serialize({ MessageId: 'a&b' }, snsModel.operations.Publish, ctx);
  assert.equal(ok.body, '<PublishResponse><PublishResult><MessageId>a&amp;b</MessageId></PublishResult><ResponseMetadata><RequestId>id&lt;&amp;&gt;</RequestId></ResponseMetadata></PublishResponse>');
  assert.equal(XMLValidator.validate(String(ok.body)), true);
  const err = queryCodec.serializeError(awsError('InvalidAction', 'Could not find operation <Foo>'), undefined, ctx);
  assert.equal(err.status, 400);
  assert.equal(XMLValidator.validate(String(err.body)), true);
  assert.match(String(err.body), /^<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>Could not find operation &lt;Foo&gt;<\/Message>/);
});

test('flattened lists and maps (SQS style) are read and written in place', () => {
  const attrMap: Shape = {
    type: 'map',
    flattened: true,
    locationName: 'Attribute',
    key: { type: 'string', locationName: 'Name' },
    value: { type: 'string', locationName: 'Value' },
  };
  const names: Shape = { type: 'list', flattened: true, member: { type: 'string', locationName: 'AttributeName' } };
  const op: OperationModel = {
    name: 'Op',
    http: { method: 'POST', requestUri: '/' },
    input: { type: 'structure', members: { Attributes: attrMap, AttributeNames: names } },
    output: { type: 'structure', resultWrapper: 'OpResult', members: { Attributes: attrMap, AttributeNames: names } },
  };
  const ctx = { requestId: 'r', service: sqsModel };
  const input = queryCodec.parse(
    form('Action=Op&Attribute.1.Name=A&Attribute.1.Value=1&Attribute.2.Name=B&Attribute.2.Value=2&AttributeName.1=x&AttributeName.2=y'),
    op,
    ctx,
  );
  assert.deepEqual(input, { Attributes: { A: '1', B: '2' }, AttributeNames: ['x', 'y'] });
  const out = queryCodec.serialize(input, op, ctx);
  assert.match(
    String(out.body),
    /<OpResult><Attribute><Name>A<\/Name><Value>1<\/Value><\/Attribute><Attribute><Name>B<\/Name><Value>2<\/Value><\/Attribute><AttributeName>x<\/AttributeName><AttributeName>y<\/AttributeName><\/OpResult>/,
  );
});
