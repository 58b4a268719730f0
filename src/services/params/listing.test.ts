/**
 * GetParametersByPath and DescribeParameters: hierarchy, filters, pagination, their errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, rejectsWith, type Harness } from './harness.test.js';

type Named = { Name: string };
const names = (list: Named[]) => list.map((p) => p.Name);

async function seed(h: Harness): Promise<void> {
  const put = (Name: string, Type: string, Value = 'v', extra: Record<string, unknown> = {}) => h.call('PutParameter', { Name, Type, Value, ...extra });
  await put('/app/db/host', 'String', 'db');
  await put('/app/db/password', 'SecureString', 'hunter2');
  await put('/app/db/replica/host', 'String', 'replica');
  await put('/app/name', 'String', 'shop');
  await put('/app/zones', 'StringList', 'a,b');
  await put('/app/key', 'SecureString', 'k', { KeyId: 'alias/custom' });
  await put('/other/x', 'String');
  await put('top', 'String');
  await put('/root', 'String');
}

test('GetParametersByPath: one level, recursive, root, trailing slash', async () => {
  const h = await harness();
  await seed(h);
  const byPath = async (input: Record<string, unknown>) => names((await h.call('GetParametersByPath', input)).Parameters);
  assert.deepEqual(await byPath({ Path: '/app' }), ['/app/key', '/app/name', '/app/zones']);
  assert.deepEqual(await byPath({ Path: '/app/' }), ['/app/key', '/app/name', '/app/zones']);
  assert.deepEqual(await byPath({ Path: '/app/db', Recursive: true }), ['/app/db/host', '/app/db/password', '/app/db/replica/host']);
  assert.deepEqual(await byPath({ Path: '/', MaxResults: 10 }), ['/root', 'top']);
  const all = await byPath({ Path: '/', Recursive: true, MaxResults: 10 });
  assert.equal(all.length, 9);
  // '/ap' is not a parent of '/app/...'
  assert.deepEqual(await byPath({ Path: '/ap', Recursive: true }), []);
  await rejectsWith(h.call('GetParametersByPath', { Path: 'app' }), 'ValidationException', /must begin with a forward slash/);
  await h.close();
});

test('GetParametersByPath: WithDecryption decides between plaintext and ciphertext', async () => {
  const h = await harness();
  await seed(h);
  const plain = (await h.call('GetParametersByPath', { Path: '/app/db', WithDecryption: true })).Parameters;
  assert.equal(plain.find((p: Named) => p.Name === '/app/db/password').Value, 'hunter2');
  const sealed = (await h.call('GetParametersByPath', { Path: '/app/db' })).Parameters;
  const value = sealed.find((p: Named) => p.Name === '/app/db/password').Value as string;
  assert.notEqual(value, 'hunter2');
  assert.ok(!value.includes('hunter2'));
  assert.match(value, /^[A-Za-z0-9+/]+=*$/, 'a base64 ciphertext');
  await h.close();
});

test('GetParametersByPath filters: Type, KeyId, Label and their errors', async () => {
  const h = await harness();
  await seed(h);
  const byPath = async (ParameterFilters: unknown[], Recursive = true) =>
    names((await h.call('GetParametersByPath', { Path: '/app', Recursive, ParameterFilters })).Parameters);
  assert.deepEqual(await byPath([{ Key: 'Type', Values: ['SecureString'] }]), ['/app/db/password', '/app/key']);
  assert.deepEqual(await byPath([{ Key: 'Type', Option: 'Equals', Values: ['String', 'StringList'] }]),
    ['/app/db/host', '/app/db/replica/host', '/app/name', '/app/zones']);
  assert.deepEqual(await byPath([{ Key: 'Type', Option: 'BeginsWith', Values: ['String'] }]),
    ['/app/db/host', '/app/db/replica/host', '/app/name', '/app/zones']);
  assert.deepEqual(await byPath([{ Key: 'KeyId', Values: ['alias/aws/ssm'] }]), ['/app/db/password']);
  assert.deepEqual(await byPath([{ Key: 'KeyId', Option: 'BeginsWith', Values: ['alias/'] }, { Key: 'Type', Values: ['SecureString'] }]),
    ['/app/db/password', '/app/key']);

  // Label: the labelled version is returned
  await h.call('PutParameter', { Name: '/app/name', Value: 'shop-v2', Overwrite: true });
  await h.call('LabelParameterVersion', { Name: '/app/name', ParameterVersion: 1, Labels: ['stable'] });
  const labelled = (await h.call('GetParametersByPath', { Path: '/app', ParameterFilters: [{ Key: 'Label', Values: ['stable'] }] })).Parameters;
  assert.deepEqual(labelled.map((p: { Name: string; Value: string; Version: number }) => [p.Name, p.Value, p.Version]), [['/app/name', 'shop', 1]]);

  await rejectsWith(byPath([{ Key: 'Name', Values: ['x'] }]), 'InvalidFilterKey',
    'The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId, Label].');
  await rejectsWith(byPath([{ Key: 'tag:env', Values: ['x'] }]), 'InvalidFilterKey');
  await rejectsWith(byPath([{ Key: 'Label', Option: 'BeginsWith', Values: ['x'] }]), 'InvalidFilterOption',
    'The following filter option is not valid: BeginsWith. Valid options include: [Equals].');
  await rejectsWith(byPath([{ Key: 'Type', Option: 'Contains', Values: ['x'] }]), 'InvalidFilterOption');
  await rejectsWith(byPath([{ Key: 'Type', Values: ['Strin'] }]), 'InvalidFilterValue',
    'The following filter value is not valid: Strin. Valid values include: [String, StringList, SecureString]');
  await rejectsWith(byPath([{ Key: 'Type' }]), 'InvalidFilterValue', 'The following filter values are missing : null for filter key Type.');
  await rejectsWith(byPath([{ Key: 'Bogus', Values: ['x'] }]), 'ValidationException',
    "1 validation error detected: Value 'Bogus' at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType");
  await h.close();
});

test('GetParametersByPath pagination: MaxResults pages, NextToken, bad tokens', async () => {
  const h = await harness();
  for (let i = 0; i < 23; i++) await h.call('PutParameter', { Name: `/many/p${String(i).padStart(2, '0')}`, Value: `${i}`, Type: 'String' });
  await h.call('PutParameter', { Name: '/many/deep/x', Value: 'deep', Type: 'String' });
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await h.call('GetParametersByPath', { Path: '/many', MaxResults: 10, NextToken: token });
    seen.push(...names(r.Parameters));
    token = r.NextToken;
    pages++;
    if (token) assert.equal(r.Parameters.length, 10);
  } while (token);
  assert.equal(pages, 3);
  assert.equal(seen.length, 23);
  assert.equal(new Set(seen).size, 23);
  assert.ok(!seen.includes('/many/deep/x'));
  // recursively the deeper parameter is there too
  const deep: string[] = [];
  token = undefined;
  do {
    const r: Record<string, any> = await h.call('GetParametersByPath', { Path: '/many', Recursive: true, MaxResults: 7, NextToken: token });
    deep.push(...names(r.Parameters));
    token = r.NextToken;
  } while (token);
  assert.equal(deep.length, 24);
  assert.ok(deep.includes('/many/deep/x'));
  // default page size is 10
  assert.equal((await h.call('GetParametersByPath', { Path: '/many' })).Parameters.length, 10);

  await rejectsWith(h.call('GetParametersByPath', { Path: '/many', MaxResults: 11 }), 'ValidationException',
    "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
  await rejectsWith(h.call('GetParametersByPath', { Path: '/many', MaxResults: 0 }), 'ValidationException', /greater than or equal to 1/);
  await rejectsWith(h.call('GetParametersByPath', { Path: '/many', NextToken: 'garbage!' }), 'InvalidNextToken');
  const describeToken = (await h.call('DescribeParameters', { MaxResults: 1 })).NextToken;
  await rejectsWith(h.call('GetParametersByPath', { Path: '/many', NextToken: describeToken }), 'InvalidNextToken');
  await h.close();
});

test('a page ends exactly when the matches do', async () => {
  const h = await harness();
  for (let i = 0; i < 4; i++) await h.call('PutParameter', { Name: `/four/p${i}`, Value: 'v', Type: 'String' });
  const first = await h.call('GetParametersByPath', { Path: '/four', MaxResults: 2 });
  assert.ok(first.NextToken);
  const second = await h.call('GetParametersByPath', { Path: '/four', MaxResults: 2, NextToken: first.NextToken });
  assert.deepEqual(names(second.Parameters), ['/four/p2', '/four/p3']);
  assert.equal(second.NextToken, undefined);
  await h.close();
});

test('DescribeParameters: metadata fields', async () => {
  const h = await harness();
  await h.call('PutParameter', { Name: '/secret', Value: 's', Type: 'SecureString', Description: 'd', AllowedPattern: '.*' });
  await h.call('PutParameter', { Name: '/plain', Value: 'p', Type: 'String' });
  const [plain, secret] = (await h.call('DescribeParameters', {})).Parameters;
  assert.deepEqual(secret, {
    Name: '/secret',
    ARN: 'arn:aws:ssm:eu-west-1:111122223333:parameter/secret',
    Type: 'SecureString',
    KeyId: 'alias/aws/ssm',
    LastModifiedDate: new Date(Date.UTC(2024, 4, 1, 12)),
    LastModifiedUser: 'arn:aws:iam::111122223333:user/alice',
    Description: 'd',
    AllowedPattern: '.*',
    Version: 1,
    Tier: 'Standard',
    Policies: [],
    DataType: 'text',
  });
  assert.equal(plain.KeyId, undefined);
  assert.equal(plain.Description, undefined);
  assert.equal('Value' in plain, false);
  await h.close();
});

test('DescribeParameters filters: Name options, Path, Type, KeyId, Tier, DataType, tags', async () => {
  const h = await harness();
  await seed(h);
  await h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/app/name', Tags: [{ Key: 'env', Value: 'prod' }] });
  await h.call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: 'top', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'x' }] });
  const describe = async (ParameterFilters: unknown[]) => names((await h.call('DescribeParameters', { ParameterFilters, MaxResults: 50 })).Parameters);
  assert.deepEqual(await describe([{ Key: 'Name', Values: ['/app/name'] }]), ['/app/name']);
  assert.deepEqual(await describe([{ Key: 'Name', Values: ['top'] }]), ['top']);
  assert.deepEqual(await describe([{ Key: 'Name', Values: ['/top'] }]), ['top'], 'a leading slash does not matter to Name');
  assert.deepEqual(await describe([{ Key: 'Name', Option: 'BeginsWith', Values: ['/app/db'] }]), ['/app/db/host', '/app/db/password', '/app/db/replica/host']);
  assert.deepEqual(await describe([{ Key: 'Name', Option: 'Contains', Values: ['host'] }]), ['/app/db/host', '/app/db/replica/host']);
  assert.deepEqual(await describe([{ Key: 'Path', Values: ['/app/db'] }]), ['/app/db/host', '/app/db/password']);
  assert.deepEqual(await describe([{ Key: 'Path', Option: 'Recursive', Values: ['/app/db'] }]), ['/app/db/host', '/app/db/password', '/app/db/replica/host']);
  assert.deepEqual(await describe([{ Key: 'Path', Values: ['/app/db', '/other'] }]), ['/app/db/host', '/app/db/password', '/other/x']);
  assert.deepEqual(await describe([{ Key: 'Path', Option: 'Recursive', Values: ['/app'] }, { Key: 'Type', Values: ['SecureString'] }]),
    ['/app/db/password', '/app/key']);
  assert.deepEqual(await describe([{ Key: 'KeyId', Values: ['alias/custom'] }]), ['/app/key']);
  assert.deepEqual(await describe([{ Key: 'Tier', Values: ['Standard'] }]).then((l) => l.length), 9);
  assert.deepEqual(await describe([{ Key: 'DataType', Values: ['text'] }]).then((l) => l.length), 9);
  assert.deepEqual(await describe([{ Key: 'tag:env' }]), ['/app/name', 'top']);
  assert.deepEqual(await describe([{ Key: 'tag:env', Values: ['prod'] }]), ['/app/name']);
  assert.deepEqual(await describe([{ Key: 'tag:env', Option: 'BeginsWith', Values: ['de'] }]), ['top']);
  assert.deepEqual(await describe([{ Key: 'tag:team', Values: ['x'] }, { Key: 'tag:env', Values: ['prod'] }]), []);
  await h.close();
});

test('DescribeParameters: legacy Filters and filter errors', async () => {
  const h = await harness();
  await seed(h);
  const legacy = async (Filters: unknown[]) => names((await h.call('DescribeParameters', { Filters, MaxResults: 50 })).Parameters);
  assert.deepEqual(await legacy([{ Key: 'Name', Values: ['/app/d'] }]), ['/app/db/host', '/app/db/password', '/app/db/replica/host']);
  assert.deepEqual(await legacy([{ Key: 'Type', Values: ['StringList'] }]), ['/app/zones']);
  assert.deepEqual(await legacy([{ Key: 'KeyId', Values: ['alias/custom'] }]), ['/app/key']);
  await rejectsWith(h.call('DescribeParameters', { Filters: [{ Key: 'Tier', Values: ['x'] }] }), 'ValidationException',
    /at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: \[Name, Type, KeyId\]/);
  await rejectsWith(h.call('DescribeParameters', { Filters: [{ Key: 'Name', Values: ['x'] }], ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }),
    'ValidationException', 'You can use either Filters or ParameterFilters in a single request.');
  const pf = (ParameterFilters: unknown[]) => h.call('DescribeParameters', { ParameterFilters });
  await rejectsWith(pf([{ Key: 'Label', Values: ['x'] }]), 'InvalidFilterKey',
    'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType].');
  await rejectsWith(pf([{ Key: 'Name', Values: ['a'] }, { Key: 'Name', Values: ['b'] }]), 'InvalidFilterKey', /duplicated in the request: Name/);
  await rejectsWith(pf([{ Key: 'Path', Option: 'Equals', Values: ['/app'] }]), 'InvalidFilterOption',
    'The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel].');
  await rejectsWith(pf([{ Key: 'Name', Option: 'Sounds', Values: ['a'] }]), 'InvalidFilterOption');
  await rejectsWith(pf([{ Key: 'Tier', Values: ['Gold'] }]), 'InvalidFilterValue', /Valid values include: \[Standard, Advanced, Intelligent-Tiering\]/);
  await rejectsWith(pf([{ Key: 'Path', Values: ['app'] }]), 'ValidationException', /must begin with a forward slash/);
  await rejectsWith(pf([{ Key: 'Path', Values: ['/aws/x'] }]), 'ValidationException', /Filters for common parameters can't be prefixed/);
  await rejectsWith(pf([{ Key: 'Name', Values: Array.from({ length: 51 }, () => 'x') }]), 'ValidationException',
    /at 'parameterFilters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 50/);
  await rejectsWith(pf([{ Key: 'Name', Option: 'over 10 chars', Values: ['x'] }, { Key: 'key', Values: ['x'] }]), 'ValidationException',
    /^2 validation errors detected: .*parameterFilters.1.member.option.*; .*parameterFilters.2.member.key/);
  await h.close();
});

test('DescribeParameters pagination: default 10, up to 50, NextToken, InvalidNextToken', async () => {
  const h = await harness();
  for (let i = 0; i < 57; i++) await h.call('PutParameter', { Name: `p-${String(i).padStart(2, '0')}`, Value: 'v', Type: 'String' });
  const first = await h.call('DescribeParameters', {});
  assert.equal(first.Parameters.length, 10);
  assert.equal(first.Parameters[0].Name, 'p-00');
  const second = await h.call('DescribeParameters', { NextToken: first.NextToken, MaxResults: 50 });
  assert.equal(second.Parameters.length, 47);
  assert.equal(second.Parameters[0].Name, 'p-10');
  assert.equal(second.NextToken, undefined);
  // filtered pages: only matches count toward MaxResults
  const filtered = await h.call('DescribeParameters', { ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['p-5'] }], MaxResults: 5 });
  assert.deepEqual(names(filtered.Parameters), ['p-50', 'p-51', 'p-52', 'p-53', 'p-54']);
  const rest = await h.call('DescribeParameters', { ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['p-5'] }], MaxResults: 5, NextToken: filtered.NextToken });
  assert.deepEqual(names(rest.Parameters), ['p-55', 'p-56']);
  await rejectsWith(h.call('DescribeParameters', { MaxResults: 51 }), 'ValidationException', /less than or equal to 50/);
  await rejectsWith(h.call('DescribeParameters', { NextToken: 'bm90LWpzb24' }), 'InvalidNextToken');
  await rejectsWith(h.call('DescribeParameters', { NextToken: Buffer.from('{"k":"history","v":3}').toString('base64url') }), 'InvalidNextToken');
  // a parameter deleted between pages does not shift the next page
  const page1 = await h.call('DescribeParameters', { MaxResults: 3 });
  await h.call('DeleteParameter', { Name: 'p-01' });
  const page2 = await h.call('DescribeParameters', { MaxResults: 3, NextToken: page1.NextToken });
  assert.deepEqual(names(page2.Parameters), ['p-03', 'p-04', 'p-05']);
  assert.deepEqual((await h.call('DescribeParameters', { Shared: true })).Parameters, []);
  await h.close();
});
