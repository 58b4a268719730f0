/**
 * PutParameter, GetParameter and GetParameters through the service's handlers, on a real store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, harness, PRINCIPAL, REGION, rejectsWith } from './harness.test.js';

const ARN_PREFIX = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter`;

test('PutParameter creates version 1 and GetParameter returns every AWS field', async () => {
  const h = await harness();
  const put = await h.call('PutParameter', { Name: '/app/db/host', Value: 'db.internal', Type: 'String', Description: 'the db' });
  assert.deepEqual(put, { Version: 1, Tier: 'Standard' });
  const { Parameter } = await h.call('GetParameter', { Name: '/app/db/host' });
  assert.deepEqual(Parameter, {
    Name: '/app/db/host',
    Type: 'String',
    Value: 'db.internal',
    Version: 1,
    LastModifiedDate: new Date(Date.UTC(2024, 4, 1, 12, 0, 0)),
    ARN: `${ARN_PREFIX}/app/db/host`,
    DataType: 'text',
  });
  await h.close();
});

test('a top-level name has the same ARN shape, without a doubled slash', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: 'plain', Value: 'v', Type: 'String' });
  const { Parameter } = await h.call('GetParameter', { Name: 'plain' });
  assert.equal(Parameter.ARN, `${ARN_PREFIX}/plain`);
  await h.close();
});

test('Overwrite makes a new version and keeps description, pattern and key when left out', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/p', Value: '12', Type: 'String', Description: 'digits', AllowedPattern: '\\d+' });
  h.clock.advance(60_000);
  const put = await h.call('PutParameter', { Name: '/p', Value: '34', Overwrite: true });
  assert.equal(put.Version, 2);
  const { Parameter } = await h.call('GetParameter', { Name: '/p' });
  assert.equal(Parameter.Value, '34');
  assert.equal(Parameter.Version, 2);
  assert.equal(Parameter.Type, 'String');
  assert.equal(Parameter.LastModifiedDate.getTime(), Date.UTC(2024, 4, 1, 12, 1, 0));
  const { Parameters } = await h.call('DescribeParameters', {});
  assert.equal(Parameters[0].Description, 'digits');
  assert.equal(Parameters[0].AllowedPattern, '\\d+');
  // the kept pattern still applies to later values
  await rejectsWith(h.call('PutParameter', { Name: '/p', Value: 'abc', Overwrite: true }), 'ParameterPatternMismatchException',
    'Parameter value, cannot be validated against allowedPattern: \\d+');
  await h.close();
});

test('PutParameter errors: exists, type missing, tags with overwrite, bad pattern, bad type', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: 'x', Value: 'v', Type: 'String' });
  await rejectsWith(h.call('PutParameter', { Name: 'x', Value: 'w', Type: 'String' }), 'ParameterAlreadyExists',
    'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  await rejectsWith(h.call('PutParameter', { Name: 'y', Value: 'v' }), 'ValidationException', 'A parameter type is required when you create a parameter.');
  await rejectsWith(h.call('PutParameter', { Name: 'x', Value: 'v', Type: 'String', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] }),
    'ValidationException', /tags and overwrite can't be used together/);
  await rejectsWith(h.call('PutParameter', { Name: 'z', Value: 'v', Type: 'String', AllowedPattern: '([a-z' }), 'InvalidAllowedPatternException');
  await rejectsWith(h.call('PutParameter', { Name: 'z', Value: 'abc1', Type: 'String', AllowedPattern: '^[a-z]+$' }), 'ParameterPatternMismatchException');
  await rejectsWith(h.call('PutParameter', { Name: 'z', Value: 'v', Type: 'Strung' }), 'ValidationException',
    "1 validation error detected: Value 'Strung' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
  await rejectsWith(h.call('PutParameter', { Value: 'v', Type: 'String', Description: 'd'.repeat(1025) }), 'ValidationException',
    /^2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value 'd+' at 'description' .* less than or equal to 1024$/);
  await rejectsWith(h.call('PutParameter', { Name: 'z', Value: '', Type: 'String' }), 'ValidationException',
    "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
  await rejectsWith(h.call('PutParameter', { Name: 'z', Value: 'v', Type: 'String', KeyId: 'alias/mine' }), 'ValidationException',
    'KeyId is required for SecureString type parameter only.');
  await rejectsWith(h.call('PutParameter', { Name: 'z', Value: 'v', Type: 'String', DataType: 'Text' }), 'ValidationException',
    'The following data type is not supported: Text (Data type names are all lowercase.)');
  await rejectsWith(h.call('PutParameter', { Name: 'z', Value: 'v', Type: 'String', Policies: '[{"Type":"Expiration"}]' }), 'ValidationException');
  await h.close();
});

test('name rules: characters, qualification, prefixes, levels, length', async () => {
  const h = await harness();
  const put = (Name: string) => h.call('PutParameter', { Name, Value: 'v', Type: 'String' });
  await rejectsWith(put('has space'), 'ValidationException', /can consist of sub-paths divided by slash symbol/);
  await rejectsWith(put('a/b'), 'ValidationException', 'Parameter name must be a fully qualified name.');
  await rejectsWith(put('/a//b'), 'ValidationException');
  await rejectsWith(put('/a/b/'), 'ValidationException');
  await rejectsWith(put('awsome'), 'ValidationException', 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  await rejectsWith(put('/SSM/x'), 'ValidationException', /prefixed with "aws" or "ssm"/);
  await rejectsWith(put('/aws/service/x'), 'AccessDeniedException', 'No access to reserved parameter name: /aws/service/x.');
  const fifteen = Array.from({ length: 15 }, (_, i) => `/l${i}`).join('');
  assert.equal((await put(fifteen)).Version, 1);
  await rejectsWith(put(`${fifteen}/l15`), 'HierarchyLevelLimitExceededException', /maximum of 15 levels/);
  const prefix = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/`.length;
  assert.equal((await put('/' + 'n'.repeat(1011 - prefix))).Version, 1);
  await rejectsWith(put('/' + 'n'.repeat(1012 - prefix)), 'ValidationException', /too long/);
  await rejectsWith(put('n'.repeat(2049)), 'ValidationException', /at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048/);
  // spaces around a name are trimmed, as AWS does
  await put('  /trimmed  ');
  assert.equal((await h.call('GetParameter', { Name: '/trimmed' })).Parameter.Name, '/trimmed');
  await h.close();
});

test('type changes: String <-> StringList allowed, to or from SecureString refused', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/t', Value: 'a,b', Type: 'StringList' });
  assert.equal((await h.call('PutParameter', { Name: '/t', Value: 'c', Type: 'String', Overwrite: true })).Version, 2);
  await rejectsWith(h.call('PutParameter', { Name: '/t', Value: 'c', Type: 'SecureString', Overwrite: true }), 'HierarchyTypeMismatchException');
  await h.call('PutParameter', { Name: '/s', Value: 'secret', Type: 'SecureString' });
  await rejectsWith(h.call('PutParameter', { Name: '/s', Value: 'c', Type: 'String', Overwrite: true }), 'HierarchyTypeMismatchException');
  await h.close();
});

test('tiers: value sizes, explicit Advanced, Intelligent-Tiering, no downgrade', async () => {
  const h = await harness();
  const big = 'x'.repeat(4097);
  await rejectsWith(h.call('PutParameter', { Name: '/big', Value: big, Type: 'String' }), 'ValidationException',
    /Standard tier parameters support a maximum parameter value of 4096 characters/);
  assert.equal((await h.call('PutParameter', { Name: '/ok4k', Value: 'x'.repeat(4096), Type: 'String' })).Tier, 'Standard');
  assert.deepEqual(await h.call('PutParameter', { Name: '/big', Value: big, Type: 'String', Tier: 'Advanced' }), { Version: 1, Tier: 'Advanced' });
  await rejectsWith(h.call('PutParameter', { Name: '/big2', Value: 'x'.repeat(8193), Type: 'String', Tier: 'Advanced' }), 'ValidationException',
    /Member must have length less than or equal to 8192/);
  // Intelligent-Tiering: Standard while it fits, Advanced when it does not
  assert.equal((await h.call('PutParameter', { Name: '/it', Value: 'small', Type: 'String', Tier: 'Intelligent-Tiering' })).Tier, 'Standard');
  assert.equal((await h.call('PutParameter', { Name: '/it', Value: big, Overwrite: true, Tier: 'Intelligent-Tiering' })).Tier, 'Advanced');
  // ...and never back down, even for a small value
  assert.equal((await h.call('PutParameter', { Name: '/it', Value: 'small', Overwrite: true, Tier: 'Intelligent-Tiering' })).Tier, 'Advanced');
  await rejectsWith(h.call('PutParameter', { Name: '/it', Value: 'small', Overwrite: true, Tier: 'Standard' }), 'ValidationException', /can't downgrade/);
  // leaving Tier out on overwrite keeps Advanced
  assert.equal((await h.call('PutParameter', { Name: '/big', Value: 'small', Overwrite: true })).Tier, 'Advanced');
  const { Parameters } = await h.call('DescribeParameters', { ParameterFilters: [{ Key: 'Tier', Values: ['Advanced'] }] });
  assert.deepEqual(Parameters.map((p: { Name: string }) => p.Name), ['/big', '/it']);
  await h.close();
});

test('data types: aws:ec2:image wants an AMI id on a String', async () => {
  const h = await harness();
  const r = await h.call('PutParameter', { Name: '/ami', Value: 'ami-0123456789abcdef0', Type: 'String', DataType: 'aws:ec2:image' });
  assert.equal(r.Version, 1);
  assert.equal((await h.call('GetParameter', { Name: '/ami' })).Parameter.DataType, 'aws:ec2:image');
  await rejectsWith(h.call('PutParameter', { Name: '/ami2', Value: 'not-an-ami', Type: 'String', DataType: 'aws:ec2:image' }), 'ValidationException');
  await rejectsWith(h.call('PutParameter', { Name: '/ami3', Value: 'ami-0123456789abcdef0', Type: 'StringList', DataType: 'aws:ec2:image' }),
    'ValidationException');
  await h.close();
});

test('GetParameter: selectors by version and label, ARN names, not-found errors', async () => {
  const h = await harness();
  for (const value of ['one', 'two', 'three']) await h.call('PutParameter', { Name: '/sel', Value: value, Type: 'String', Overwrite: true });
  await h.call('LabelParameterVersion', { Name: '/sel', ParameterVersion: 2, Labels: ['prod'] });

  const v1 = (await h.call('GetParameter', { Name: '/sel:1' })).Parameter;
  assert.equal(v1.Value, 'one');
  assert.equal(v1.Version, 1);
  assert.equal(v1.Selector, ':1');
  assert.equal(v1.Name, '/sel');
  const prod = (await h.call('GetParameter', { Name: '/sel:prod' })).Parameter;
  assert.deepEqual([prod.Value, prod.Version, prod.Selector], ['two', 2, ':prod']);
  const byArn = (await h.call('GetParameter', { Name: `${ARN_PREFIX}/sel` })).Parameter;
  assert.deepEqual([byArn.Value, byArn.Name], ['three', '/sel']);
  assert.equal((await h.call('GetParameter', { Name: `${ARN_PREFIX}/sel:prod` })).Parameter.Value, 'two');
  assert.equal(byArn.Selector, undefined);

  await rejectsWith(h.call('GetParameter', { Name: '/nope' }), 'ParameterNotFound', 'Parameter /nope not found.');
  await rejectsWith(h.call('GetParameter', { Name: '/sel:9' }), 'ParameterVersionNotFound',
    'Systems Manager could not find version 9 of /sel. Verify the version and try again.');
  await rejectsWith(h.call('GetParameter', { Name: '/sel:staging' }), 'ParameterNotFound');
  // an ARN of another account or region names nothing here
  await rejectsWith(h.call('GetParameter', { Name: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/sel` }), 'ParameterNotFound');
  await rejectsWith(h.call('GetParameter', {}), 'ValidationException', /Value null at 'name'/);
  await h.close();
});

test('GetParameters: found, invalid, selectors, at most 10 names', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/a', Value: '1', Type: 'String' });
  await h.call('PutParameter', { Name: 'b', Value: '2', Type: 'StringList' });
  const r = await h.call('GetParameters', { Names: ['/a', 'missing', 'b', '/a:1', '/a:7'] });
  assert.deepEqual(r.Parameters.map((p: { Name: string; Value: string }) => [p.Name, p.Value]), [['/a', '1'], ['b', '2'], ['/a', '1']]);
  assert.equal(r.Parameters[2].Selector, ':1');
  assert.deepEqual(r.InvalidParameters, ['missing', '/a:7']);
  const eleven = Array.from({ length: 11 }, (_, i) => `n${i}`);
  await rejectsWith(h.call('GetParameters', { Names: eleven }), 'ValidationException',
    /at 'names' failed to satisfy constraint: Member must have length less than or equal to 10$/);
  await h.close();
});

test('parameters are scoped per account and region', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/scoped', Value: 'here', Type: 'String' });
  await rejectsWith(h.call('GetParameter', { Name: '/scoped' }, { region: 'us-west-2' }), 'ParameterNotFound');
  await rejectsWith(h.call('GetParameter', { Name: '/scoped' }, { accountId: '999999999999' }), 'ParameterNotFound');
  // the same name elsewhere is a different parameter
  assert.equal((await h.call('PutParameter', { Name: '/scoped', Value: 'there', Type: 'String' }, { region: 'us-west-2' })).Version, 1);
  assert.equal((await h.call('GetParameter', { Name: '/scoped' })).Parameter.Value, 'here');
  assert.equal((await h.call('GetParameter', { Name: '/scoped' }, { region: 'us-west-2' })).Parameter.Value, 'there');
  const meta = (await h.call('DescribeParameters', {})).Parameters[0];
  assert.equal(meta.LastModifiedUser, PRINCIPAL);
  await h.close();
});

test('quota: 10,000 Standard parameters, then ParameterLimitExceeded or Advanced under Intelligent-Tiering', async () => {
  const h = await harness();
  // Fill the Standard quota directly: 10,000 calls would only slow the test down.
  await h.store.transaction(async (tx) => {
    for (let i = 0; i < 10_000; i++) {
      await tx.run('INSERT INTO ssm_parameters (account_id, region, name, parent_path, version, tier) VALUES (?, ?, ?, ?, ?, ?)',
        [ACCOUNT, REGION, `/filler/p${i}`, '/filler', 1, 'Standard']);
    }
  });
  await rejectsWith(h.call('PutParameter', { Name: '/one-more', Value: 'v', Type: 'String' }), 'ParameterLimitExceeded');
  assert.equal((await h.call('PutParameter', { Name: '/one-more', Value: 'v', Type: 'String', Tier: 'Intelligent-Tiering' })).Tier, 'Advanced');
  assert.equal((await h.call('PutParameter', { Name: '/adv', Value: 'v', Type: 'String', Tier: 'Advanced' })).Tier, 'Advanced');
  // another region has its own quota
  assert.equal((await h.call('PutParameter', { Name: '/one-more', Value: 'v', Type: 'String' }, { region: 'us-west-2' })).Tier, 'Standard');
  await h.close();
});

test('a catastrophically backtracking AllowedPattern is cut off instead of stalling the server', async () => {
  const h = await harness();
  await rejectsWith(h.call('PutParameter', { Name: '/redos', Value: 'a'.repeat(40), Type: 'String', AllowedPattern: '(a+)+b' }), 'InvalidAllowedPatternException');
  // the server is still answering: the same pattern on a short value still works
  await rejectsWith(h.call('PutParameter', { Name: '/redos', Value: 'aaa', Type: 'String', AllowedPattern: '(a+)+b' }), 'ParameterPatternMismatchException');
});
