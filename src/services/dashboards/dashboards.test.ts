/**
 * The four dashboard operations over a real SQLite store: names, bodies, scope, listing and
 * paging, all-or-nothing deletes, and the errors AWS answers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, harness, rejectsWith, type Harness } from './harness.test.js';
import { decodeToken, encodeToken } from './dashboards.js';

const TEXT = '{"widgets":[{"type":"text","x":0,"y":0,"width":6,"height":3,"properties":{"markdown":"Hello"}}]}';
const EMPTY = '{"widgets":[]}';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

const put = (name: string, body = TEXT, ctx?: Parameters<Harness['call']>[2]) => h.call('PutDashboard', { DashboardName: name, DashboardBody: body }, ctx);
const names = async (input: Record<string, unknown> = {}, ctx?: Parameters<Harness['call']>[2]) =>
  ((await h.call('ListDashboards', input, ctx)).DashboardEntries as Array<{ DashboardName: string }>).map((e) => e.DashboardName);

describe('PutDashboard and GetDashboard', () => {
  test('round trip: the body comes back exactly as sent, the ARN has no region', async () => {
    const body = '{ "widgets" : [\n  {"type": "text", "properties": {"markdown": "ünïcödé"}} ] }';
    assert.deepEqual(await put('rt-1', body), { DashboardValidationMessages: [] });
    assert.deepEqual(await h.call('GetDashboard', { DashboardName: 'rt-1' }), {
      DashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/rt-1`,
      DashboardBody: body,
      DashboardName: 'rt-1',
    });
  });

  test('a second put replaces the body, the size and the time', async () => {
    await put('rt-2', EMPTY);
    h.clock.advance(60_000);
    const body = '{"widgets":[],"start":"-PT3H","periodOverride":"auto"}';
    await put('rt-2', body);
    assert.equal((await h.call('GetDashboard', { DashboardName: 'rt-2' })).DashboardBody, body);
    const [entry] = (await h.call('ListDashboards', { DashboardNamePrefix: 'rt-2' })).DashboardEntries;
    assert.equal(entry.Size, Buffer.byteLength(body));
    assert.equal(entry.LastModified.getTime(), h.clock.ms());
  });

  test('warnings are answered and the dashboard is saved', async () => {
    const body = '{"widgets":[{"type":"text","properties":{"markdown":"x"},"colour":"red"}],"theme":"dark"}';
    const out = await put('warned', body);
    assert.deepEqual(out.DashboardValidationMessages, [
      { DataPath: '', Message: 'The "theme" property is not expected, will be ignored' },
      { DataPath: '/widgets/0', Message: 'The "colour" property is not expected to be part of a widget definition, will be ignored' },
    ]);
    assert.equal((await h.call('GetDashboard', { DashboardName: 'warned' })).DashboardBody, body);
  });

  test('an invalid body is refused with its messages, and nothing is saved or changed', async () => {
    const bad = '{"widgets":[{"type":"graph","properties":{}}]}';
    const err = await rejectsWith(put('refused', bad), 'InvalidParameterInput', /^The dashboard body is invalid, there are 1 validation errors:/);
    assert.equal(err.status, 400);
    assert.deepEqual(err.fields, { dashboardValidationMessages: [{ DataPath: '/widgets/0/type', Message: 'Should be equal to one of the allowed values' }] });
    await rejectsWith(h.call('GetDashboard', { DashboardName: 'refused' }), 'ResourceNotFound');

    await put('kept', EMPTY);
    await rejectsWith(put('kept', bad), 'InvalidParameterInput');
    await rejectsWith(put('kept', 'not json'), 'InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
    await rejectsWith(put('kept', '[]'), 'InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
    await rejectsWith(put('kept', ''), 'InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
    assert.equal((await h.call('GetDashboard', { DashboardName: 'kept' })).DashboardBody, EMPTY);
  });

  test('names: 1-255 of A-Z a-z 0-9 - _', async () => {
    for (const ok of ['a', 'Z', '0', '-', '_', 'Prod_API-v2', 'x'.repeat(255)]) {
      await put(ok, EMPTY);
      assert.equal((await h.call('GetDashboard', { DashboardName: ok })).DashboardName, ok);
    }
    await rejectsWith(put('x'.repeat(256), EMPTY), 'InvalidParameterValue', /for field DashboardName must be at most 255 characters long/);
    for (const bad of ['Doc Website Monitor', 'a.b', 'a/b', 'a:b', 'é', 'a*']) {
      await rejectsWith(put(bad, EMPTY), 'InvalidParameterValue',
        `The value ${bad} for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).`);
    }
  });

  test('missing parameters', async () => {
    await rejectsWith(h.call('PutDashboard', { DashboardBody: EMPTY }), 'MissingParameter', 'The parameter DashboardName is required.');
    await rejectsWith(h.call('PutDashboard', { DashboardName: '', DashboardBody: EMPTY }), 'MissingParameter', 'The parameter DashboardName is required.');
    await rejectsWith(h.call('PutDashboard', { DashboardName: 'nobody' }), 'MissingParameter', 'The parameter DashboardBody is required.');
    await rejectsWith(h.call('GetDashboard', {}), 'MissingParameter', 'The parameter DashboardName is required.');
    await rejectsWith(h.call('DeleteDashboards', {}), 'MissingParameter', 'The parameter DashboardNames is required.');
    await rejectsWith(h.call('DeleteDashboards', { DashboardNames: [] }), 'MissingParameter');
  });

  test('GetDashboard of a missing dashboard: ResourceNotFound, 404, AWS\'s message', async () => {
    const err = await rejectsWith(h.call('GetDashboard', { DashboardName: 'nope' }), 'ResourceNotFound', 'Dashboard nope does not exist');
    assert.equal(err.status, 404);
    // names are case-sensitive
    await put('CaseSensitive', EMPTY);
    await rejectsWith(h.call('GetDashboard', { DashboardName: 'casesensitive' }), 'ResourceNotFound');
  });
});

describe('scope', () => {
  test('dashboards are global to the account: every region sees them, other accounts do not', async () => {
    await put('global-1', EMPTY, { region: 'us-east-1' });
    const fromTokyo = await h.call('GetDashboard', { DashboardName: 'global-1' }, { region: 'ap-northeast-1' });
    assert.equal(fromTokyo.DashboardArn, `arn:aws:cloudwatch::${ACCOUNT}:dashboard/global-1`);
    assert.deepEqual(await names({ DashboardNamePrefix: 'global-' }, { region: 'eu-central-1' }), ['global-1']);
    await put('global-1', TEXT, { region: 'eu-central-1' });
    assert.equal((await h.call('GetDashboard', { DashboardName: 'global-1' }, { region: 'us-east-1' })).DashboardBody, TEXT);

    const other = { accountId: '999988887777' };
    await rejectsWith(h.call('GetDashboard', { DashboardName: 'global-1' }, other), 'ResourceNotFound');
    assert.deepEqual(await names({ DashboardNamePrefix: 'global-' }, other), []);
    await put('global-1', EMPTY, other);
    assert.equal((await h.call('GetDashboard', { DashboardName: 'global-1' }, other)).DashboardArn, 'arn:aws:cloudwatch::999988887777:dashboard/global-1');
    assert.equal((await h.call('GetDashboard', { DashboardName: 'global-1' })).DashboardBody, TEXT);
  });
});

describe('ListDashboards', () => {
  test('entries in byte order, with ARN, LastModified and Size; the prefix narrows, case-sensitively', async () => {
    const t0 = h.clock.ms();
    await put('ls-b', EMPTY);
    h.clock.advance(1000);
    await put('ls-B', TEXT);
    await put('ls-a_1', EMPTY);
    await put('ls-a-2', EMPTY);
    await put('lsx', EMPTY);
    const out = await h.call('ListDashboards', { DashboardNamePrefix: 'ls-' });
    assert.deepEqual(out.DashboardEntries.map((e: any) => e.DashboardName), ['ls-B', 'ls-a-2', 'ls-a_1', 'ls-b']);
    assert.equal(out.NextToken, undefined);
    const b = out.DashboardEntries.find((e: any) => e.DashboardName === 'ls-b');
    assert.deepEqual(b, { DashboardName: 'ls-b', DashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/ls-b`, LastModified: new Date(t0), Size: EMPTY.length });
    assert.equal(out.DashboardEntries[0].Size, TEXT.length);
    assert.deepEqual(await names({ DashboardNamePrefix: 'ls-a' }), ['ls-a-2', 'ls-a_1']);
    assert.deepEqual(await names({ DashboardNamePrefix: 'LS-' }), []);
    assert.deepEqual(await names({ DashboardNamePrefix: 'no such prefix' }), []);
    // no prefix: everything of the account
    assert.ok((await names()).includes('lsx'));
  });

  test('pages of 1000 with a NextToken while more follow; the token carries on with the prefix', async () => {
    const p = await harness();
    try {
      for (let i = 0; i < 1003; i++) await p.call('PutDashboard', { DashboardName: `pg-${String(i).padStart(4, '0')}`, DashboardBody: EMPTY });
      await p.call('PutDashboard', { DashboardName: 'other', DashboardBody: EMPTY });
      const first = await p.call('ListDashboards', { DashboardNamePrefix: 'pg-' });
      assert.equal(first.DashboardEntries.length, 1000);
      assert.equal(first.DashboardEntries[999].DashboardName, 'pg-0999');
      assert.equal(typeof first.NextToken, 'string');
      const second = await p.call('ListDashboards', { DashboardNamePrefix: 'pg-', NextToken: first.NextToken });
      assert.deepEqual(second.DashboardEntries.map((e: any) => e.DashboardName), ['pg-1000', 'pg-1001', 'pg-1002']);
      assert.equal(second.NextToken, undefined);
      // without a prefix: 'other' sorts first, so the second page starts one earlier
      const all = await p.call('ListDashboards', {});
      assert.equal(all.DashboardEntries.length, 1000);
      assert.equal(all.DashboardEntries[0].DashboardName, 'other');
      const rest = await p.call('ListDashboards', { NextToken: all.NextToken });
      assert.deepEqual(rest.DashboardEntries.map((e: any) => e.DashboardName), ['pg-0999', 'pg-1000', 'pg-1001', 'pg-1002']);
      assert.equal(rest.NextToken, undefined);
    } finally {
      await p.close();
    }
  });

  test('a token that is not ours: InvalidNextToken', async () => {
    for (const bad of ['x', '%%%', Buffer.from('q:abc').toString('base64url'), Buffer.from('d:a b').toString('base64url'), Buffer.from('d:').toString('base64url')]) {
      await rejectsWith(h.call('ListDashboards', { NextToken: bad }), 'InvalidNextToken');
    }
    assert.equal(decodeToken(encodeToken('a-B_9')), 'a-B_9');
    assert.equal(decodeToken(undefined), undefined);
    assert.equal(decodeToken(''), undefined);
  });
});

describe('DeleteDashboards', () => {
  test('deletes every name given; duplicates are fine', async () => {
    await put('del-1', EMPTY);
    await put('del-2', EMPTY);
    await put('del-3', EMPTY);
    assert.deepEqual(await h.call('DeleteDashboards', { DashboardNames: ['del-1', 'del-2', 'del-1'] }), {});
    assert.deepEqual(await names({ DashboardNamePrefix: 'del-' }), ['del-3']);
  });

  test('one missing name: ResourceNotFound (404) and nothing is deleted', async () => {
    await put('keep-1', EMPTY);
    await put('keep-2', EMPTY);
    const err = await rejectsWith(h.call('DeleteDashboards', { DashboardNames: ['keep-1', 'gone', 'keep-2'] }), 'ResourceNotFound', /^The specified dashboard does not exist\. \[gone\]$/);
    assert.equal(err.status, 404);
    assert.deepEqual(await names({ DashboardNamePrefix: 'keep-' }), ['keep-1', 'keep-2']);
    // the same dashboard twice in a row: the second delete finds nothing
    await h.call('DeleteDashboards', { DashboardNames: ['keep-1'] });
    await rejectsWith(h.call('DeleteDashboards', { DashboardNames: ['keep-1'] }), 'ResourceNotFound');
    // another account's dashboard of the same name is not ours to delete
    await rejectsWith(h.call('DeleteDashboards', { DashboardNames: ['keep-2'] }, { accountId: '999988887777' }), 'ResourceNotFound');
    assert.deepEqual(await names({ DashboardNamePrefix: 'keep-' }), ['keep-2']);
  });

  test('at most 100 names', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `n${i}`);
    await rejectsWith(h.call('DeleteDashboards', { DashboardNames: many }), 'InvalidParameterValue', 'The collection DashboardNames must not have a size greater than 100.');
    const hundred = many.slice(0, 100);
    for (const n of hundred) await put(n, EMPTY);
    await h.call('DeleteDashboards', { DashboardNames: hundred });
    assert.deepEqual(await names({ DashboardNamePrefix: 'n' }), []);
  });
});
