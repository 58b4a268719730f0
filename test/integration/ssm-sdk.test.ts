/**
 * Parameter Store end to end: the built `signalbox start` in a child process, driven over HTTP by
 * the real `@aws-sdk/client-ssm` (AWS JSON 1.1, SigV4). Every Parameter Store operation, the
 * SDK's paginators, the modeled errors as the SDK's own exception classes, SecureString never in
 * clear on disk, and everything surviving a restart.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DeleteParametersCommand, DescribeParametersCommand, GetParameterCommand,
  GetParameterHistoryCommand, GetParametersByPathCommand, GetParametersCommand, LabelParameterVersionCommand, ListTagsForResourceCommand,
  paginateDescribeParameters, paginateGetParameterHistory, paginateGetParametersByPath, PutParameterCommand, RemoveTagsFromResourceCommand,
  SSMClient, UnlabelParameterVersionCommand,
  type Parameter, type ParameterMetadata,
} from '@aws-sdk/client-ssm';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let ssm: SSMClient;
before(async () => {
  server = await startServer();
  ssm = new SSMClient(clientConfig(server));
});
after(async () => {
  ssm?.destroy();
  await server?.dispose();
});

const WEBHOOK = 'https://hooks.slack.com/services/T0SDK/B0SDK/sdk-s3cr3t-value';
const ARN = (name: string) => `arn:aws:ssm:us-east-1:000000000000:parameter/${name.replace(/^\//, '')}`;

/** Asserts the SDK threw the modeled error `name` (its exception class name) with HTTP 400. */
async function fails(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    if (message) assert.match(e.message, message);
    return true;
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('PutParameter and reads', () => {
  test('S8: a SecureString webhook URL, read WithDecryption', async () => {
    const put = await ssm.send(new PutParameterCommand({ Name: '/sdk/alerts/slack', Value: WEBHOOK, Type: 'SecureString', Description: 'Slack webhook' }));
    assert.equal(put.Version, 1);
    assert.equal(put.Tier, 'Standard');

    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/sdk/alerts/slack', WithDecryption: true }));
    assert.equal(Parameter?.Value, WEBHOOK);
    assert.equal(Parameter?.Type, 'SecureString');
    assert.equal(Parameter?.Version, 1);
    assert.equal(Parameter?.ARN, ARN('/sdk/alerts/slack'));
    assert.equal(Parameter?.DataType, 'text');
    assert.ok(Parameter?.LastModifiedDate instanceof Date);
    assert.ok(Math.abs(Parameter!.LastModifiedDate!.getTime() - Date.now()) < 60_000);

    const hidden = (await ssm.send(new GetParameterCommand({ Name: '/sdk/alerts/slack' }))).Parameter;
    assert.notEqual(hidden?.Value, WEBHOOK);
    assert.ok(!hidden?.Value?.includes('s3cr3t'));
  });

  test('String and StringList, overwrite, selectors and ARN names', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/sdk/app/zones', Value: 'a,b,c', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: '/sdk/app/name', Value: 'v1', Type: 'String', AllowedPattern: '^v\\d+$' }));
    const second = await ssm.send(new PutParameterCommand({ Name: '/sdk/app/name', Value: 'v2', Overwrite: true }));
    assert.equal(second.Version, 2);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/sdk/app/zones' }))).Parameter?.Value, 'a,b,c');

    const v1 = (await ssm.send(new GetParameterCommand({ Name: '/sdk/app/name:1' }))).Parameter;
    assert.deepEqual([v1?.Value, v1?.Version, v1?.Selector, v1?.Name], ['v1', 1, ':1', '/sdk/app/name']);
    const byArn = (await ssm.send(new GetParameterCommand({ Name: ARN('/sdk/app/name') }))).Parameter;
    assert.equal(byArn?.Value, 'v2');

    await fails(ssm.send(new PutParameterCommand({ Name: '/sdk/app/name', Value: 'x', Type: 'String' })), 'ParameterAlreadyExists');
    await fails(ssm.send(new PutParameterCommand({ Name: '/sdk/app/name', Value: 'nope', Overwrite: true })), 'ParameterPatternMismatchException',
      /cannot be validated against allowedPattern/);
    await fails(ssm.send(new PutParameterCommand({ Name: '/sdk/app/name', Value: 'v3', Type: 'SecureString', Overwrite: true })),
      'HierarchyTypeMismatchException');
    await fails(ssm.send(new GetParameterCommand({ Name: '/sdk/app/missing' })), 'ParameterNotFound');
    await fails(ssm.send(new GetParameterCommand({ Name: '/sdk/app/name:9' })), 'ParameterVersionNotFound');
    await fails(ssm.send(new PutParameterCommand({ Name: '/' + Array.from({ length: 16 }, (_, i) => `l${i}`).join('/'), Value: 'x', Type: 'String' })),
      'HierarchyLevelLimitExceededException');
    await fails(ssm.send(new PutParameterCommand({ Name: 'bad name', Value: 'x', Type: 'String' })), 'ValidationException');
    await fails(ssm.send(new PutParameterCommand({ Name: '/sdk/app/big', Value: 'x'.repeat(5000), Type: 'String' })), 'ValidationException',
      /Standard tier parameters support a maximum parameter value of 4096 characters/);
    const big = await ssm.send(new PutParameterCommand({ Name: '/sdk/app/big', Value: 'x'.repeat(5000), Type: 'String', Tier: 'Intelligent-Tiering' }));
    assert.equal(big.Tier, 'Advanced');
  });

  test('GetParameters: found and invalid names', async () => {
    const r = await ssm.send(new GetParametersCommand({ Names: ['/sdk/app/zones', '/sdk/nope', '/sdk/alerts/slack'], WithDecryption: true }));
    assert.deepEqual(r.Parameters?.map((p) => p.Name), ['/sdk/app/zones', '/sdk/alerts/slack']);
    assert.equal(r.Parameters?.[1].Value, WEBHOOK);
    assert.deepEqual(r.InvalidParameters, ['/sdk/nope']);
    await fails(ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/n${i}`) })), 'ValidationException');
  });
});

describe('listing', () => {
  before(async () => {
    for (let i = 0; i < 25; i++) {
      await ssm.send(new PutParameterCommand({ Name: `/sdk/list/p${String(i).padStart(2, '0')}`, Value: `value-${i}`, Type: i % 5 === 0 ? 'SecureString' : 'String' }));
    }
    await ssm.send(new PutParameterCommand({ Name: '/sdk/list/nested/deep', Value: 'deep', Type: 'String' }));
  });

  test('GetParametersByPath through the SDK paginator', async () => {
    const got: Parameter[] = [];
    let pages = 0;
    for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 10 }, { Path: '/sdk/list', WithDecryption: true })) {
      got.push(...(page.Parameters ?? []));
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(got.length, 25);
    assert.equal(got.find((p) => p.Name === '/sdk/list/p05')?.Value, 'value-5');
    const recursive: Parameter[] = [];
    for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: '/sdk/list', Recursive: true })) recursive.push(...(page.Parameters ?? []));
    assert.equal(recursive.length, 26);

    const secure = await ssm.send(new GetParametersByPathCommand({ Path: '/sdk/list', ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] }));
    assert.deepEqual(secure.Parameters?.map((p) => p.Name), ['/sdk/list/p00', '/sdk/list/p05', '/sdk/list/p10', '/sdk/list/p15', '/sdk/list/p20']);
    assert.ok(secure.Parameters?.every((p) => !p.Value?.startsWith('value-')));
    await fails(ssm.send(new GetParametersByPathCommand({ Path: '/sdk/list', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })), 'InvalidFilterKey');
    await fails(ssm.send(new GetParametersByPathCommand({ Path: '/sdk/list', NextToken: 'not-a-token' })), 'InvalidNextToken');
    await fails(ssm.send(new GetParametersByPathCommand({ Path: '/sdk/list', MaxResults: 11 })), 'ValidationException');
  });

  test('DescribeParameters: filters, metadata, paginator', async () => {
    const all: ParameterMetadata[] = [];
    for await (const page of paginateDescribeParameters({ client: ssm, pageSize: 7 }, {
      ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/sdk/list'] }],
    })) all.push(...(page.Parameters ?? []));
    assert.equal(all.length, 26);
    const p05 = all.find((p) => p.Name === '/sdk/list/p05')!;
    assert.equal(p05.Type, 'SecureString');
    assert.equal(p05.KeyId, 'alias/aws/ssm');
    assert.equal(p05.LastModifiedUser, 'arn:aws:iam::000000000000:root');
    assert.equal(p05.Tier, 'Standard');
    assert.deepEqual(p05.Policies, []);
    assert.ok(p05.LastModifiedDate instanceof Date);

    const contains = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['deep'] }] }));
    assert.deepEqual(contains.Parameters?.map((p) => p.Name), ['/sdk/list/nested/deep']);
    const legacy = await ssm.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['/sdk/alerts'] }] }));
    assert.deepEqual(legacy.Parameters?.map((p) => p.Name), ['/sdk/alerts/slack']);
    await fails(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] })), 'InvalidFilterKey');
    await fails(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: ['/sdk'] }] })), 'InvalidFilterOption');
    await fails(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Type', Values: ['Nope'] }] })), 'InvalidFilterValue');
    await fails(ssm.send(new DescribeParametersCommand({ NextToken: 'garbage' })), 'InvalidNextToken');
  });
});

describe('history and labels', () => {
  test('versions, labels, moving a label, selectors, unlabel', async () => {
    for (let i = 1; i <= 4; i++) await ssm.send(new PutParameterCommand({ Name: '/sdk/h', Value: `h${i}`, Type: 'String', Overwrite: true }));
    const labelled = await ssm.send(new LabelParameterVersionCommand({ Name: '/sdk/h', ParameterVersion: 2, Labels: ['prod', 'awsbad'] }));
    assert.equal(labelled.ParameterVersion, 2);
    assert.deepEqual(labelled.InvalidLabels, ['awsbad']);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/sdk/h:prod' }))).Parameter?.Value, 'h2');
    await ssm.send(new LabelParameterVersionCommand({ Name: '/sdk/h', Labels: ['prod'] }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/sdk/h:prod' }))).Parameter?.Value, 'h4');

    const versions: { Version?: number; Labels?: string[] }[] = [];
    for await (const page of paginateGetParameterHistory({ client: ssm, pageSize: 3 }, { Name: '/sdk/h' })) versions.push(...(page.Parameters ?? []));
    assert.deepEqual(versions.map((v) => [v.Version, v.Labels]), [[1, []], [2, []], [3, []], [4, ['prod']]]);

    await fails(ssm.send(new LabelParameterVersionCommand({ Name: '/sdk/h', ParameterVersion: 1, Labels: Array.from({ length: 11 }, (_, i) => `l${i}`) })),
      'ParameterVersionLabelLimitExceeded');
    await fails(ssm.send(new LabelParameterVersionCommand({ Name: '/sdk/h', ParameterVersion: 99, Labels: ['x'] })), 'ParameterVersionNotFound');
    const un = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/sdk/h', ParameterVersion: 4, Labels: ['prod', 'other'] }));
    assert.deepEqual([un.RemovedLabels, un.InvalidLabels], [['prod'], ['other']]);
    await fails(ssm.send(new GetParameterCommand({ Name: '/sdk/h:prod' })), 'ParameterNotFound');

    const secret = await ssm.send(new GetParameterHistoryCommand({ Name: '/sdk/alerts/slack', WithDecryption: true }));
    assert.equal(secret.Parameters?.[0].Value, WEBHOOK);
    assert.equal(secret.Parameters?.[0].Description, 'Slack webhook');
  });

  test('the 101st version drops the oldest; a labelled oldest version blocks it', async () => {
    for (let i = 1; i <= 101; i++) await ssm.send(new PutParameterCommand({ Name: '/sdk/cap', Value: `c${i}`, Type: 'String', Overwrite: true }));
    await fails(ssm.send(new GetParameterCommand({ Name: '/sdk/cap:1' })), 'ParameterVersionNotFound');
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/sdk/cap:2' }))).Parameter?.Value, 'c2');
    await ssm.send(new LabelParameterVersionCommand({ Name: '/sdk/cap', ParameterVersion: 2, Labels: ['pin'] }));
    await fails(ssm.send(new PutParameterCommand({ Name: '/sdk/cap', Value: 'c102', Overwrite: true })), 'ParameterMaxVersionLimitExceeded');
  });
});

describe('tags and deletion', () => {
  test('AddTagsToResource, ListTagsForResource, RemoveTagsFromResource and their errors', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/sdk/tagged', Value: 't', Type: 'String', Tags: [{ Key: 'team', Value: 'ops' }] }));
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/sdk/tagged', Tags: [{ Key: 'env', Value: 'prod' }] }));
    const listed = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/sdk/tagged' }));
    assert.deepEqual(listed.TagList, [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'ops' }]);
    const byTag = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:env', Values: ['prod'] }] }));
    assert.deepEqual(byTag.Parameters?.map((p) => p.Name), ['/sdk/tagged']);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/sdk/tagged', TagKeys: ['team'] }));
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/sdk/tagged' }))).TagList,
      [{ Key: 'env', Value: 'prod' }]);

    await fails(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/sdk/none' })), 'InvalidResourceId');
    await fails(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: '/sdk/tagged' })), 'InvalidResourceType');
    await fails(ssm.send(new AddTagsToResourceCommand({
      ResourceType: 'Parameter', ResourceId: '/sdk/tagged', Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
    })), 'TooManyTagsError');
    await fails(ssm.send(new PutParameterCommand({ Name: '/sdk/tagged', Value: 'u', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] })),
      'ValidationException', /tags and overwrite can't be used together/);
  });

  test('DeleteParameter and DeleteParameters', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/sdk/del/a', Value: 'a', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/sdk/del/b', Value: 'b', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/sdk/del/c', Value: 'c', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/sdk/del/a' }));
    await fails(ssm.send(new GetParameterCommand({ Name: '/sdk/del/a' })), 'ParameterNotFound');
    await fails(ssm.send(new DeleteParameterCommand({ Name: '/sdk/del/a' })), 'ParameterNotFound');
    const r = await ssm.send(new DeleteParametersCommand({ Names: ['/sdk/del/b', '/sdk/del/zz', '/sdk/del/c'] }));
    assert.deepEqual(r.DeletedParameters, ['/sdk/del/b', '/sdk/del/c']);
    assert.deepEqual(r.InvalidParameters, ['/sdk/del/zz']);
    const left = await ssm.send(new GetParametersByPathCommand({ Path: '/sdk/del' }));
    assert.deepEqual(left.Parameters, []);
  });
});

describe('at rest and across restarts', () => {
  test('no SecureString plaintext anywhere in the data dir', () => {
    for (const f of filesUnder(server.dataDir)) assert.ok(!readFileSync(f).includes('sdk-s3cr3t'), `plaintext found in ${f}`);
  });

  test('parameters, versions, labels and tags survive a restart', async () => {
    await ssm.send(new LabelParameterVersionCommand({ Name: '/sdk/h', ParameterVersion: 3, Labels: ['kept'] }));
    await server.restart();
    ssm.destroy();
    ssm = new SSMClient(clientConfig(server));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/sdk/alerts/slack', WithDecryption: true }))).Parameter?.Value, WEBHOOK);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/sdk/h:kept' }))).Parameter?.Value, 'h3');
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/sdk/tagged' }))).TagList,
      [{ Key: 'env', Value: 'prod' }]);
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/sdk/h', Value: 'h5', Overwrite: true }))).Version, 5);
  });
});
