/**
 * Lambda configuration features end to end with the real `@aws-sdk/client-lambda` against the
 * built server: reserved concurrency and account settings, event invoke configs, resource
 * policies, layers, function URLs and tags — each with its paginators and modeled errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand, DeleteFunctionUrlConfigCommand, DeleteLayerVersionCommand, GetAccountSettingsCommand, GetFunctionCommand,
  GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, GetFunctionUrlConfigCommand, GetLayerVersionByArnCommand,
  GetLayerVersionCommand, GetPolicyCommand, LambdaClient, ListFunctionEventInvokeConfigsCommand, ListFunctionUrlConfigsCommand, ListTagsCommand,
  paginateListLayers, paginateListLayerVersions, PublishLayerVersionCommand, PublishVersionCommand, PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand, RemovePermissionCommand, TagResourceCommand, UntagResourceCommand, UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand, UpdateFunctionUrlConfigCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { codeZip, makeZip } from '../../src/services/functions/code/zip-writer.test.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let lambda: LambdaClient;
before(async () => {
  server = await startServer();
  lambda = new LambdaClient(clientConfig(server));
});
after(async () => {
  lambda?.destroy();
  await server?.dispose();
});

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
const ARN = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:outcomes`;

async function fails(p: Promise<unknown>, name: string, status: number, message?: RegExp | string): Promise<void> {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status, `${name}: status`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

async function create(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'python3.12', Role: ROLE, Handler: 'app.handler', Code: { ZipFile: codeZip('def handler(e, c):\n    return e\n', 'app.py') }, ...extra }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
}

describe('reserved concurrency and account settings', () => {
  test('put, read back (also through GetFunction), the unreserved minimum, delete', async () => {
    await create('conc');
    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 100 }));
    assert.equal(put.ReservedConcurrentExecutions, 100);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: ARN('conc') }))).ReservedConcurrentExecutions, 100);
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: 'conc' }))).Concurrency, { ReservedConcurrentExecutions: 100 });
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    assert.deepEqual(settings.AccountLimit, {
      TotalCodeSize: 80_530_636_800, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 900,
    });
    assert.ok(settings.AccountUsage!.FunctionCount! >= 1);
    assert.ok(settings.AccountUsage!.TotalCodeSize! > 0);
    await fails(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 901 })), 'InvalidParameterValueException', 400,
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 900 }));
    await fails(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc:1', ReservedConcurrentExecutions: 1 })), 'InvalidParameterValueException', 400,
      /This operation is permitted on Lambda functions only/);
    const deleted = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'conc' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }))).ReservedConcurrentExecutions, undefined);
    await fails(lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 404);
  });
});

describe('event invoke configs', () => {
  test('put replaces, update merges, list, delete; destinations and ranges validated', async () => {
    await create('async-fn', { Publish: true });
    const put = await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'async-fn', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: QUEUE } },
    }));
    assert.equal(put.FunctionArn, `${ARN('async-fn')}:$LATEST`);
    assert.ok(put.LastModified instanceof Date);
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: { Destination: QUEUE } });

    const merged = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', MaximumEventAgeInSeconds: 3600 }));
    assert.deepEqual([merged.MaximumRetryAttempts, merged.MaximumEventAgeInSeconds, merged.DestinationConfig?.OnFailure?.Destination], [1, 3600, QUEUE]);
    const replaced = await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'async-fn', MaximumEventAgeInSeconds: 60, DestinationConfig: { OnSuccess: { Destination: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` } },
    }));
    assert.equal(replaced.MaximumRetryAttempts, undefined, 'put replaces the whole configuration');
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', Qualifier: '1', MaximumRetryAttempts: 0 }));
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn:1' }));
    assert.deepEqual([got.FunctionArn, got.MaximumRetryAttempts], [`${ARN('async-fn')}:1`, 0]);
    const listed = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'async-fn' }));
    assert.deepEqual(listed.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn).sort(), [`${ARN('async-fn')}:$LATEST`, `${ARN('async-fn')}:1`].sort());

    await fails(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 30 })),
      'ValidationException', 400, /^2 validation errors detected: Value '3' at 'maximumRetryAttempts'.*Value '30' at 'maximumEventAgeInSeconds'/);
    await fails(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::bucket' } } })),
      'InvalidParameterValueException', 400, 'The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=arn:aws:s3:::bucket)) is invalid.');
    await fails(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', DestinationConfig: { OnSuccess: { Destination: ARN('async-fn') } } })),
      'InvalidParameterValueException', 400, "You can't specify the function as a destination for itself.");
    await fails(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', DestinationConfig: { OnSuccess: { Destination: 'not an arn' } } })),
      'ValidationException', 400, /at 'destinationConfig\.onSuccess\.destination'/);
    await fails(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn' })), 'InvalidParameterValueException', 400,
      'You must specify at least one of error handling or destination setting.');
    await fails(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', Qualifier: '9', MaximumRetryAttempts: 1 })),
      'ResourceNotFoundException', 404, "The function doesn't exist.");

    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn' }));
    await fails(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn' })), 'ResourceNotFoundException', 404,
      `The function ${ARN('async-fn')}:$LATEST doesn't have an EventInvokeConfig`);
  });
});

describe('resource policy', () => {
  test('AddPermission renders statements as AWS does; GetPolicy; RemovePermission; conflicts', async () => {
    await create('policed', { Publish: true });
    const added = await lambda.send(new AddPermissionCommand({
      FunctionName: 'policed', StatementId: 'from-s3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com',
      SourceArn: 'arn:aws:s3:::my-bucket', SourceAccount: '123456789012',
    }));
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: 'from-s3', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: ARN('policed'),
      Condition: { StringEquals: { 'AWS:SourceAccount': '123456789012' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket' } },
    });
    await lambda.send(new AddPermissionCommand({ FunctionName: 'policed', StatementId: 'acct', Action: 'lambda:GetFunction', Principal: '111122223333' }));
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'policed' }));
    const doc = JSON.parse(policy.Policy!);
    assert.deepEqual([doc.Version, doc.Id], ['2012-10-17', 'default']);
    assert.deepEqual(doc.Statement.map((s: any) => s.Sid), ['from-s3', 'acct']);
    assert.deepEqual(doc.Statement[1].Principal, { AWS: 'arn:aws:iam::111122223333:root' });
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'policed' }));
    assert.equal(policy.RevisionId, latest.RevisionId);

    await fails(lambda.send(new AddPermissionCommand({ FunctionName: 'policed', StatementId: 'acct', Action: 'lambda:InvokeFunction', Principal: '*' })),
      'ResourceConflictException', 409, 'The statement id (acct) provided already exists. Please provide a new statement id, or remove the existing statement.');
    await fails(lambda.send(new AddPermissionCommand({ FunctionName: 'policed', StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: 'somebody' })),
      'InvalidParameterValueException', 400, 'The provided principal was invalid. Please check the principal and try again.');
    await fails(lambda.send(new AddPermissionCommand({ FunctionName: 'policed', Qualifier: '$LATEST', StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: '*' })),
      'InvalidParameterValueException', 400, 'We currently do not support adding policies for $LATEST.');
    await fails(lambda.send(new AddPermissionCommand({ FunctionName: 'policed', StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: '*', RevisionId: 'stale' })),
      'PreconditionFailedException', 412);

    await lambda.send(new CreateAliasCommand({ FunctionName: 'policed', Name: 'prod', FunctionVersion: '1' }));
    const onAlias = await lambda.send(new AddPermissionCommand({
      FunctionName: 'policed', Qualifier: 'prod', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
    }));
    assert.deepEqual(JSON.parse(onAlias.Statement!).Condition, { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } });
    assert.equal(JSON.parse(onAlias.Statement!).Resource, `${ARN('policed')}:prod`);
    const aliasPolicy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'policed', Qualifier: 'prod' }))).Policy!);
    assert.deepEqual(aliasPolicy.Statement.map((s: any) => s.Sid), ['url'], 'each qualifier has its own policy');

    const removed = await lambda.send(new RemovePermissionCommand({ FunctionName: 'policed', StatementId: 'from-s3' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await fails(lambda.send(new RemovePermissionCommand({ FunctionName: 'policed', StatementId: 'from-s3' })), 'ResourceNotFoundException', 404,
      'Statement from-s3 is not found in resource policy.');
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'policed', StatementId: 'acct' }));
    await fails(lambda.send(new GetPolicyCommand({ FunctionName: 'policed' })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
  });
});

describe('layers', () => {
  test('publish, read, list with filters and paginators, use from a function, delete', async () => {
    const zip = makeZip([{ name: 'python/helper.py', data: 'X = 1\n' }]);
    const v1 = await lambda.send(new PublishLayerVersionCommand({
      LayerName: 'shared', Description: 'helpers', Content: { ZipFile: zip }, CompatibleRuntimes: ['python3.12', 'python3.13'],
      CompatibleArchitectures: ['x86_64'], LicenseInfo: 'MIT',
    }));
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.deepEqual([v1.Version, v1.LayerArn, v1.LayerVersionArn], [1, `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared`, `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared:1`]);
    assert.equal(v1.Content?.CodeSize, zip.length);
    assert.match(v1.CreatedDate!, /\+0000$/);
    assert.deepEqual(Buffer.from(await (await fetch(v1.Content!.Location!)).arrayBuffer()), zip);
    const v2 = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: zip }, CompatibleRuntimes: ['nodejs20.x'] }));
    assert.equal(v2.Version, 2);
    await lambda.send(new PublishLayerVersionCommand({ LayerName: 'other', Content: { ZipFile: zip } }));

    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    assert.deepEqual([got.Description, got.LicenseInfo, got.CompatibleRuntimes], ['helpers', 'MIT', ['python3.12', 'python3.13']]);
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: v1.LayerVersionArn }));
    assert.equal(byArn.Version, 1);

    const versions: number[] = [];
    for await (const p of paginateListLayerVersions({ client: lambda, pageSize: 1 }, { LayerName: 'shared' })) versions.push(...p.LayerVersions!.map((v) => v.Version!));
    assert.deepEqual(versions, [2, 1]);
    const pythonOnly = [];
    for await (const p of paginateListLayerVersions({ client: lambda }, { LayerName: 'shared', CompatibleRuntime: 'python3.13' })) pythonOnly.push(...p.LayerVersions!);
    assert.deepEqual(pythonOnly.map((v) => v.Version), [1]);
    const layers = [];
    for await (const p of paginateListLayers({ client: lambda, pageSize: 1 }, {})) layers.push(...p.Layers!);
    assert.deepEqual(layers.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version]), [['other', 1], ['shared', 2]]);
    const matching = [];
    for await (const p of paginateListLayers({ client: lambda }, { CompatibleRuntime: 'python3.12' })) matching.push(...p.Layers!);
    assert.deepEqual(matching.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version]), [['shared', 1]]);

    await create('layered', { Layers: [v1.LayerVersionArn] });
    const conf = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'layered' }));
    assert.deepEqual(conf.Layers, [{ Arn: v1.LayerVersionArn, CodeSize: zip.length }]);
    await fails(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layered', Layers: [v1.LayerVersionArn!, v2.LayerVersionArn!] })),
      'InvalidParameterValueException', 400, /Two different versions of the same layer are not allowed/);
    await fails(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layered', Layers: ['not-an-arn'] })), 'ValidationException', 400, /at 'layers'/);

    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
    await fails(lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 })), 'ResourceNotFoundException', 404,
      'The resource you requested does not exist.');
    const still = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'layered' }));
    assert.deepEqual(still.Layers, conf.Layers, 'a function keeps a deleted layer version');
    const v3 = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: zip } }));
    assert.equal(v3.Version, 3, 'layer version numbers are never reused');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'layered', Layers: [] }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'layered' });
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'layered' }))).Layers, undefined);
    await fails(lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 0 })), 'InvalidParameterValueException', 400, 'Layer Version Cannot be less than 1');
    await fails(lambda.send(new PublishLayerVersionCommand({ LayerName: 'bad', Content: { ZipFile: zip }, CompatibleRuntimes: ['cobol'] as any })),
      'ValidationException', 400, /at 'compatibleRuntimes'/);
  });
});

describe('function URLs', () => {
  test('create on $LATEST and on an alias, read, update, list, delete', async () => {
    await create('web', { Publish: true });
    await lambda.send(new CreateAliasCommand({ FunctionName: 'web', Name: 'live', FunctionVersion: '1' }));
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({
      FunctionName: 'web', AuthType: 'NONE', Cors: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET', 'POST'], MaxAge: 300 },
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.FunctionUrl!, new RegExp(`^${server.url}/_signalbox/lambda/url/[a-z0-9]{32}/$`));
    assert.deepEqual([created.FunctionArn, created.AuthType, created.InvokeMode], [ARN('web'), 'NONE', 'BUFFERED']);
    assert.deepEqual(created.Cors, { AllowOrigins: ['https://example.com'], AllowMethods: ['GET', 'POST'], MaxAge: 300 });
    const onAlias = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live', AuthType: 'AWS_IAM' }));
    assert.equal(onAlias.FunctionArn, `${ARN('web')}:live`);
    assert.notEqual(onAlias.FunctionUrl, created.FunctionUrl);

    await fails(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' })), 'ResourceConflictException', 409,
      /FunctionUrlConfig exists for this Lambda function/);
    await fails(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: '1', AuthType: 'NONE' })), 'ValidationException', 400, /at 'qualifier'/);
    await fails(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'OPEN' as any, Qualifier: 'live' })), 'ValidationException', 400,
      /Member must satisfy enum value set: \[NONE, AWS_IAM\]/);

    const got = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }));
    assert.equal(got.FunctionUrl, created.FunctionUrl);
    const changed = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' }));
    assert.deepEqual([changed.AuthType, changed.FunctionUrl, changed.Cors?.MaxAge], ['AWS_IAM', created.FunctionUrl, 300]);
    const listed = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web' }));
    assert.deepEqual(listed.FunctionUrlConfigs?.map((c) => c.FunctionArn), [ARN('web'), `${ARN('web')}:live`]);
    await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live' }));
    await fails(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live' })), 'ResourceNotFoundException', 404,
      'The resource you requested does not exist.');
  });
});

describe('tags', () => {
  test('tag, list, untag the function; versions refuse tags; the limit is 50', async () => {
    await create('tagged', { Tags: { a: '1' } });
    await lambda.send(new TagResourceCommand({ Resource: ARN('tagged'), Tags: { b: '2', c: '3' } }));
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: ARN('tagged') }))).Tags, { a: '1', b: '2', c: '3' });
    await lambda.send(new UntagResourceCommand({ Resource: ARN('tagged'), TagKeys: ['a', 'c'] }));
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }))).Tags, { b: '2' });
    await fails(lambda.send(new TagResourceCommand({ Resource: `${ARN('tagged')}:1`, Tags: { x: 'y' } })), 'InvalidParameterValueException', 400,
      'Tags on function aliases and versions are not supported. Please specify a function ARN.');
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await fails(lambda.send(new TagResourceCommand({ Resource: ARN('tagged'), Tags: many })), 'InvalidParameterValueException', 400, 'Number of tags exceeds resource tag limit.');
    await fails(lambda.send(new ListTagsCommand({ Resource: ARN('nope') })), 'ResourceNotFoundException', 404, `Function not found: ${ARN('nope')}`);
    await fails(lambda.send(new ListTagsCommand({ Resource: 'tagged' })), 'ValidationException', 400, /at 'resource'/);
    const latest = await lambda.send(new PublishVersionCommand({ FunctionName: 'tagged' }));
    assert.equal(latest.Version, '1');
  });
});
