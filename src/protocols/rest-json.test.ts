/**
 * REST-JSON round trips against the real Lambda client, and the REST operation matcher.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LambdaClient, InvokeCommand, CreateFunctionCommand, ListFunctionsCommand, GetFunctionCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { awsError } from '../core/errors.js';
import { loadServiceModel } from './model.js';
import { restJsonCodec } from './rest-json.js';
import { matchRestOperation } from './rest-path.js';
import { SDK_CONFIG, codecServer, rejection, relabel, serviceErrorOf, wireRequest } from './sdk-harness.test.js';

const lambdaModel = loadServiceModel('lambda-2015-03-31');
const s3Model = loadServiceModel('s3-2006-03-01');

function lambda(server: ReturnType<typeof codecServer>) {
  return new LambdaClient({ ...SDK_CONFIG, requestHandler: server.requestHandler });
}

test('Lambda Invoke: URI label (ARN), query, headers and raw payload in; status, headers, payload out', async () => {
  const server = codecServer(lambdaModel, 'rest-json', () => ({
    StatusCode: 200,
    FunctionError: 'Unhandled',
    LogResult: Buffer.from('START\nEND\n').toString('base64'),
    ExecutedVersion: '$LATEST',
    Payload: Buffer.from('{"errorMessage":"boom"}'),
  }));
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:my-fn';
  const out = await lambda(server).send(
    new InvokeCommand({
      FunctionName: arn,
      Qualifier: 'prod',
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      ClientContext: Buffer.from('{"custom":{"a":1}}').toString('base64'),
      Payload: new TextEncoder().encode('{"a":1}'),
    }),
  );
  const ex = server.last();
  assert.equal(ex.op.name, 'Invoke');
  assert.match(ex.wire.path, /^\/2015-03-31\/functions\/arn%3Aaws%3Alambda/);
  const input = ex.input as any;
  assert.equal(input.FunctionName, arn);
  assert.equal(input.Qualifier, 'prod');
  assert.equal(input.InvocationType, 'RequestResponse');
  assert.equal(input.LogType, 'Tail');
  assert.equal(Buffer.from(input.ClientContext, 'base64').toString(), '{"custom":{"a":1}}');
  assert.ok(Buffer.isBuffer(input.Payload));
  assert.equal(input.Payload.toString(), '{"a":1}');

  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, 'Unhandled');
  assert.equal(Buffer.from(out.LogResult!, 'base64').toString(), 'START\nEND\n');
  assert.equal(out.ExecutedVersion, '$LATEST');
  assert.equal(Buffer.from(out.Payload!).toString(), '{"errorMessage":"boom"}');
});

test('Lambda Invoke Event: statusCode member sets the HTTP status; no payload is an empty Buffer', async () => {
  const server = codecServer(lambdaModel, 'rest-json', () => ({ StatusCode: 202 }));
  const out = await lambda(server).send(new InvokeCommand({ FunctionName: 'f1', InvocationType: 'Event' }));
  assert.equal(server.last().response?.status, 202);
  assert.equal(out.StatusCode, 202);
  const input = server.last().input as any;
  assert.equal(input.FunctionName, 'f1');
  assert.ok(Buffer.isBuffer(input.Payload));
  assert.equal(input.Payload.length, 0);
});

test('Lambda CreateFunction: JSON body with blob, maps, numbers, booleans; responseCode 201', async () => {
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 255]);
  const server = codecServer(lambdaModel, 'rest-json', (input) => ({
    FunctionName: input.FunctionName,
    FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f1',
    Runtime: 'nodejs20.x',
    Timeout: input.Timeout,
    MemorySize: 256,
    CodeSize: zip.length,
    LastModified: '2024-01-01T00:00:00.000+0000',
    Environment: { Variables: { A: '1' } },
    Architectures: ['arm64'],
    State: 'Active',
  }));
  const out = await lambda(server).send(
    new CreateFunctionCommand({
      FunctionName: 'f1',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::000000000000:role/r',
      Handler: 'index.handler',
      Code: { ZipFile: zip },
      Timeout: 30,
      Publish: true,
      Environment: { Variables: { A: '1', B: 'two words' } },
      Tags: { team: 'ops' },
      Architectures: ['arm64'],
    }),
  );
  const input = server.last().input as any;
  assert.equal(server.last().wire.path, '/2015-03-31/functions');
  assert.ok(Buffer.isBuffer(input.Code.ZipFile));
  assert.deepEqual([...input.Code.ZipFile], [...zip]);
  assert.equal(input.Timeout, 30);
  assert.equal(input.Publish, true);
  assert.deepEqual(input.Environment, { Variables: { A: '1', B: 'two words' } });
  assert.deepEqual(input.Tags, { team: 'ops' });
  assert.deepEqual(input.Architectures, ['arm64']);
  assert.equal(server.last().response?.status, 201);
  assert.equal(server.last().response?.headers['Content-Type'], 'application/json');
  assert.equal(out.$metadata.httpStatusCode, 201);
  assert.equal(out.FunctionName, 'f1');
  assert.equal(out.Timeout, 30);
  assert.equal(out.CodeSize, 6);
  assert.deepEqual(out.Environment, { Variables: { A: '1' } });
  assert.deepEqual(out.Architectures, ['arm64']);
});

test('Lambda ListFunctions: typed query string in, list out; empty input', async () => {
  const server = codecServer(lambdaModel, 'rest-json', () => ({
    Functions: [{ FunctionName: 'a', MemorySize: 128 }, { FunctionName: 'b' }],
    NextMarker: 'm2',
  }));
  const out = await lambda(server).send(new ListFunctionsCommand({ MaxItems: 2, Marker: 'm 1/+', FunctionVersion: 'ALL' }));
  assert.deepEqual(server.last().input, { MaxItems: 2, Marker: 'm 1/+', FunctionVersion: 'ALL' });
  assert.deepEqual(out.Functions?.map((f) => f.FunctionName), ['a', 'b']);
  assert.equal(out.Functions?.[0].MemorySize, 128);
  assert.equal(out.NextMarker, 'm2');
  await lambda(server).send(new ListFunctionsCommand({}));
  assert.deepEqual(server.last().input, {});
});

test('Lambda DeleteFunction: 204 with no body', async () => {
  const server = codecServer(lambdaModel, 'rest-json', () => undefined);
  const out = await lambda(server).send(new DeleteFunctionCommand({ FunctionName: 'f1', Qualifier: '1' }));
  assert.deepEqual(server.last().input, { FunctionName: 'f1', Qualifier: '1' });
  assert.equal(server.last().response?.status, 204);
  assert.equal(server.last().response?.body, '');
  assert.equal(out.$metadata.httpStatusCode, 204);
});

test('Lambda errors: x-amzn-ErrorType + {Type, message}', async () => {
  const server = codecServer(lambdaModel, 'rest-json', () => {
    throw relabel(awsError('NoSuchKey', 'Function not found: arn:aws:lambda:us-east-1:0:function:nope'), 'ResourceNotFoundException');
  });
  const err = await rejection(lambda(server).send(new GetFunctionCommand({ FunctionName: 'nope' })));
  const res = server.last().response!;
  assert.equal(res.headers['x-amzn-ErrorType'], 'ResourceNotFoundException');
  assert.deepEqual(JSON.parse(String(res.body)), { Type: 'User', message: 'Function not found: arn:aws:lambda:us-east-1:0:function:nope' });
  assert.equal(err.name, 'ResourceNotFoundException');
  assert.equal(err.Type, 'User');
  assert.equal(err.message, 'Function not found: arn:aws:lambda:us-east-1:0:function:nope');
  assert.equal(err.$metadata.httpStatusCode, 404);

  const server5 = codecServer(lambdaModel, 'rest-json', () => {
    throw awsError('ServiceUnavailable', 'down');
  });
  const err5 = await rejection(lambda(server5).send(new GetFunctionCommand({ FunctionName: 'x' })));
  assert.equal(JSON.parse(String(server5.last().response?.body)).Type, 'Service');
  assert.equal(err5.$metadata.httpStatusCode, 503);
  assert.equal(err5.$fault, 'server');
});

test('rest-json bad input: query value of the wrong type, broken JSON body → SerializationException', () => {
  const ctx = { requestId: 'r', service: lambdaModel };
  const list = lambdaModel.operations.ListFunctions;
  const e1 = serviceErrorOf(() => restJsonCodec.parse(wireRequest({ method: 'GET', rawQuery: 'MaxItems=ten' }), list, ctx));
  assert.equal(e1.code, 'SerializationException');
  assert.equal(e1.status, 400);
  const create = lambdaModel.operations.CreateFunction;
  const e2 = serviceErrorOf(() => restJsonCodec.parse(wireRequest({ body: Buffer.from('{"FunctionName":') }), create, ctx));
  assert.equal(e2.code, 'SerializationException');
  const e3 = serviceErrorOf(() => restJsonCodec.parse(wireRequest({ body: Buffer.from('{"Timeout":"30"}') }), create, ctx));
  assert.equal(e3.code, 'SerializationException');
  const e4 = serviceErrorOf(() => restJsonCodec.parse(wireRequest({ method: 'GET', rawQuery: 'MaxItems=%G1' }), list, ctx));
  assert.equal(e4.code, 'MalformedQueryString');
});

// --- rest-path ----------------------------------------------------------------------------------

test('matchRestOperation: Lambda templates, labels decoded, trailing slash tolerated', () => {
  const m1 = matchRestOperation(lambdaModel, 'POST', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations', '');
  assert.equal(m1?.op.name, 'Invoke');
  assert.deepEqual(m1?.pathParams, { FunctionName: 'arn:aws:lambda:us-east-1:1:function:f' });
  assert.equal(matchRestOperation(lambdaModel, 'GET', '/2015-03-31/functions/', '')?.op.name, 'ListFunctions');
  assert.equal(matchRestOperation(lambdaModel, 'GET', '/2015-03-31/functions', '')?.op.name, 'ListFunctions');
  assert.equal(matchRestOperation(lambdaModel, 'POST', '/2015-03-31/functions', '')?.op.name, 'CreateFunction');
  assert.equal(matchRestOperation(lambdaModel, 'GET', '/2015-03-31/functions/f1', 'Qualifier=1')?.op.name, 'GetFunction');
  assert.equal(matchRestOperation(lambdaModel, 'GET', '/2015-03-31/functions/f1/configuration', '')?.op.name, 'GetFunctionConfiguration');
  assert.equal(matchRestOperation(lambdaModel, 'DELETE', '/2015-03-31/functions/f1', '')?.op.name, 'DeleteFunction');
  assert.equal(matchRestOperation(lambdaModel, 'GET', '/nothing/here', ''), undefined);
  assert.equal(matchRestOperation(lambdaModel, 'PATCH', '/2015-03-31/functions', ''), undefined);
});

test('matchRestOperation: S3 specificity — literal query keys, greedy keys, bucket vs object', () => {
  const cases: Array<[string, string, string, string, Record<string, string>]> = [
    ['GET', '/', '', 'ListBuckets', {}],
    ['GET', '/b1', '', 'ListObjects', { Bucket: 'b1' }],
    ['GET', '/b1/', '', 'ListObjects', { Bucket: 'b1' }],
    ['GET', '/b1', 'list-type=2&prefix=a', 'ListObjectsV2', { Bucket: 'b1' }],
    ['GET', '/b1', 'tagging', 'GetBucketTagging', { Bucket: 'b1' }],
    ['GET', '/b1', 'tagging=', 'GetBucketTagging', { Bucket: 'b1' }],
    ['GET', '/b1/k', 'tagging', 'GetObjectTagging', { Bucket: 'b1', Key: 'k' }],
    ['GET', '/b1/dir/k%201.txt', 'x-id=GetObject', 'GetObject', { Bucket: 'b1', Key: 'dir/k 1.txt' }],
    ['GET', '/b1/dir/', '', 'GetObject', { Bucket: 'b1', Key: 'dir/' }],
    ['PUT', '/b1/a%2Fb', 'x-id=PutObject', 'PutObject', { Bucket: 'b1', Key: 'a/b' }],
    ['PUT', '/b1', '', 'CreateBucket', { Bucket: 'b1' }],
    ['PUT', '/b1', 'tagging', 'PutBucketTagging', { Bucket: 'b1' }],
    ['POST', '/b1', 'delete', 'DeleteObjects', { Bucket: 'b1' }],
    ['POST', '/b1/k', 'uploads', 'CreateMultipartUpload', { Bucket: 'b1', Key: 'k' }],
    ['HEAD', '/b1/k', '', 'HeadObject', { Bucket: 'b1', Key: 'k' }],
    ['HEAD', '/b1', '', 'HeadBucket', { Bucket: 'b1' }],
    ['DELETE', '/b1/k%25', '', 'DeleteObject', { Bucket: 'b1', Key: 'k%' }],
    ['DELETE', '/b1/k', 'uploadId=u1', 'AbortMultipartUpload', { Bucket: 'b1', Key: 'k' }],
    ['PUT', '/b1/k', 'partNumber=1&uploadId=u1', 'UploadPart', { Bucket: 'b1', Key: 'k' }],
    ['GET', '/b1/k', 'uploadId=u1', 'ListParts', { Bucket: 'b1', Key: 'k' }],
    // deprecated twins lose to their successors; ListBuckets beats the S3-Express-only op
    ['GET', '/b1', 'lifecycle', 'GetBucketLifecycleConfiguration', { Bucket: 'b1' }],
    ['PUT', '/b1', 'notification', 'PutBucketNotificationConfiguration', { Bucket: 'b1' }],
    ['GET', '/b1', 'analytics', 'ListBucketAnalyticsConfigurations', { Bucket: 'b1' }],
    ['GET', '/b1', 'analytics&id=a1', 'GetBucketAnalyticsConfiguration', { Bucket: 'b1' }],
  ];
  for (const [method, path, query, op, params] of cases) {
    const m = matchRestOperation(s3Model, method, path, query, {});
    assert.equal(m?.op.name, op, `${method} ${path}?${query}`);
    assert.deepEqual(m?.pathParams, params, `${method} ${path}?${query}`);
  }
  // CopyObject shares PutObject's template: told apart by its required header, or by x-id
  const copy = { 'x-amz-copy-source': '/src/key' };
  assert.equal(matchRestOperation(s3Model, 'PUT', '/b1/k', '', copy)?.op.name, 'CopyObject');
  assert.equal(matchRestOperation(s3Model, 'PUT', '/b1/k', 'partNumber=2&uploadId=u', copy)?.op.name, 'UploadPartCopy');
  assert.equal(matchRestOperation(s3Model, 'PUT', '/b1/k', '')?.op.name, 'PutObject');
  assert.equal(matchRestOperation(s3Model, 'PUT', '/b1/k', 'x-id=CopyObject')?.op.name, 'CopyObject');
  assert.equal(matchRestOperation(s3Model, 'GET', '/', '')?.op.name, 'ListBuckets');
});
