/**
 * The pure rules: names, references, paths, labels, tiers, patterns, tokens, filter compilation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isServiceError } from '../../core/errors.js';
import { compileLegacyFilters, compileParameterFilters } from './filters.js';
import { isValidLabel, planLabels } from './labels.js';
import { decodeNameToken, decodeVersionToken, encodeToken, pageSize } from './paging.js';
import { normalisePath, parameterArn, parentPath, parseReference, validateNewName } from './params.js';
import { Violations } from './validation.js';
import { checkAllowedPattern, resolveTier } from './values.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isServiceError(e) ? e.code : `not a ServiceError: ${String(e)}`;
  }
  return undefined;
}

test('validateNewName accepts AWS names and rejects the rest with the right code', () => {
  for (const ok of ['a', 'A.b-c_d', '/a', '/Dev/DBServer/MySQL/db-string13', 'x1', '/a/b.c/d-e']) {
    assert.equal(codeOf(() => validateNewName(ok, scope)), undefined, ok);
  }
  const cases: [string, string][] = [
    ['a b', 'ValidationException'], ['a$', 'ValidationException'], ['a:b', 'ValidationException'], ['a/b', 'ValidationException'],
    ['/a/', 'ValidationException'], ['//a', 'ValidationException'], ['aws', 'ValidationException'], ['SSMthing', 'ValidationException'],
    ['/ssm/x', 'ValidationException'], ['/aws/x', 'AccessDeniedException'], ['', 'ValidationException'],
    [`/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, 'HierarchyLevelLimitExceededException'],
  ];
  for (const [name, code] of cases) assert.equal(codeOf(() => validateNewName(name, scope)), code, name);
});

test('ARNs and parent paths', () => {
  assert.equal(parameterArn(scope, '/a/b'), 'arn:aws:ssm:us-east-1:123456789012:parameter/a/b');
  assert.equal(parameterArn(scope, 'a'), 'arn:aws:ssm:us-east-1:123456789012:parameter/a');
  assert.equal(parentPath('/a/b/c'), '/a/b');
  assert.equal(parentPath('/a'), '/');
  assert.equal(parentPath('a'), '/');
  assert.equal(normalisePath('/a/b/'), '/a/b');
  assert.equal(normalisePath('/'), '/');
  assert.equal(codeOf(() => normalisePath('a')), 'ValidationException');
  assert.equal(codeOf(() => normalisePath('/a//b')), 'ValidationException');
});

test('parseReference: names, selectors, ARNs', () => {
  assert.deepEqual(parseReference('/a/b', scope, true), { candidates: ['/a/b'], selector: undefined });
  assert.deepEqual(parseReference('/a/b:12', scope, true), { candidates: ['/a/b'], selector: { kind: 'version', version: 12, text: '12' } });
  assert.deepEqual(parseReference('x:prod', scope, true), { candidates: ['x'], selector: { kind: 'label', label: 'prod', text: 'prod' } });
  assert.deepEqual(parseReference('arn:aws:ssm:us-east-1:123456789012:parameter/a/b:3', scope, true)?.candidates, ['/a/b']);
  assert.deepEqual(parseReference('arn:aws:ssm:us-east-1:123456789012:parameter/top', scope, true)?.candidates, ['top', '/top']);
  assert.equal(parseReference('arn:aws:ssm:eu-west-1:123456789012:parameter/a', scope, true), null);
  assert.equal(parseReference('arn:aws:ssm:us-east-1:999999999999:parameter/a', scope, true), null);
  assert.equal(parseReference('arn:aws:sns:us-east-1:123456789012:parameter/a', scope, true), null);
  assert.equal(parseReference('a:', scope, true), null);
  assert.equal(parseReference('a:0', scope, true), null);
});

test('labels: validity and planning', () => {
  for (const ok of ['prod', 'Prod_1', 'a.b-c', 'x'.repeat(100)]) assert.equal(isValidLabel(ok), true, ok);
  for (const bad of ['1st', 'aws', 'AWSfoo', 'ssm-x', 'a/b', 'a b', 'a:b']) assert.equal(isValidLabel(bad), false, bad);
  const current = new Map([['a', 1], ['b', 2]]);
  assert.deepEqual(planLabels(['a', 'b', 'c', '9', 'c'], current, 1), { attach: ['b', 'c'], invalid: ['9'] });
  const full = new Map(Array.from({ length: 10 }, (_, i) => [`l${i}`, 1] as [string, number]));
  assert.deepEqual(planLabels(['l3'], full, 1), { attach: [], invalid: [] });
  assert.equal(codeOf(() => planLabels(['new'], full, 1)), 'ParameterVersionLabelLimitExceeded');
});

test('resolveTier', async () => {
  const notFull = async () => false;
  const full = async () => true;
  assert.equal(await resolveTier({ requested: undefined, previous: undefined, valueChars: 10, standardFull: notFull }), 'Standard');
  assert.equal(await resolveTier({ requested: 'Intelligent-Tiering', previous: undefined, valueChars: 10, standardFull: full }), 'Advanced');
  assert.equal(await resolveTier({ requested: 'Intelligent-Tiering', previous: undefined, valueChars: 5000, standardFull: notFull }), 'Advanced');
  assert.equal(await resolveTier({ requested: undefined, previous: 'Advanced', valueChars: 1, standardFull: notFull }), 'Advanced');
  await assert.rejects(async () => resolveTier({ requested: 'Standard', previous: 'Advanced', valueChars: 1, standardFull: notFull }));
  await assert.rejects(async () => resolveTier({ requested: undefined, previous: undefined, valueChars: 4097, standardFull: notFull }));
});

test('AllowedPattern matches the whole value', () => {
  assert.equal(codeOf(() => checkAllowedPattern('\\d+', '123')), undefined);
  assert.equal(codeOf(() => checkAllowedPattern('\\d+', '12a')), 'ParameterPatternMismatchException');
  assert.equal(codeOf(() => checkAllowedPattern('^[a-z\\-]+$', 'a-b')), undefined);
  assert.equal(codeOf(() => checkAllowedPattern('(', 'x')), 'InvalidAllowedPatternException');
});

test('tokens round-trip and refuse anything else', () => {
  assert.equal(decodeNameToken(encodeToken({ k: 'path', n: '/a/b' }), 'path'), '/a/b');
  assert.equal(decodeVersionToken(encodeToken({ k: 'history', v: 7 })), 7);
  assert.equal(decodeNameToken(undefined, 'describe'), undefined);
  for (const bad of ['', '%%%', 'bm90IGpzb24', encodeToken({ k: 'path', n: '/a' })]) {
    assert.equal(codeOf(() => decodeNameToken(bad, 'describe')), 'InvalidNextToken', bad);
  }
  assert.equal(codeOf(() => decodeVersionToken(encodeToken({ k: 'history', v: -1 }))), 'InvalidNextToken');
  assert.equal(pageSize(undefined, 50, 10), 10);
  assert.equal(codeOf(() => pageSize(0, 50, 10)), 'ValidationException');
});

test('Violations words errors like AWS', () => {
  const v = new Violations();
  v.required(undefined, 'name');
  v.length('abc', 'description', 0, 2);
  v.range(11, 'maxResults', 1, 10);
  v.length('secret', 'value', 1, 2, true);
  assert.throws(() => v.throwIfAny(), {
    message: "4 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
      "Value 'abc' at 'description' failed to satisfy constraint: Member must have length less than or equal to 2; " +
      "Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10; " +
      "Value at 'value' failed to satisfy constraint: Member must have length less than or equal to 2",
  });
});

test('compiled filters', () => {
  const row = { name: '/app/x', type: 'SecureString', keyId: 'alias/aws/ssm', tier: 'Standard', dataType: 'text', tags: new Map([['env', 'prod']]) };
  assert.equal(compileParameterFilters([{ Key: 'Type', Values: ['SecureString'] }], 'describe').matches(row), true);
  assert.equal(compileParameterFilters([{ Key: 'Type', Values: ['String'] }], 'describe').matches(row), false);
  assert.equal(compileParameterFilters([{ Key: 'tag:env', Values: ['dev', 'prod'] }], 'describe').matches(row), true);
  assert.equal(compileParameterFilters([{ Key: 'tag:owner' }], 'describe').matches(row), false);
  assert.equal(compileParameterFilters([{ Key: 'Name', Option: 'Contains', Values: ['pp/'] }], 'describe').matches(row), true);
  const paths = compileParameterFilters([{ Key: 'Path', Option: 'Recursive', Values: ['/app/'] }], 'describe');
  assert.deepEqual(paths.paths, [{ path: '/app', recursive: true }]);
  assert.equal(compileLegacyFilters([{ Key: 'Name', Values: ['/app'] }]).matches(row), true);
  assert.equal(compileLegacyFilters([{ Key: 'Name', Values: ['app/x'] }]).matches(row), true);
  assert.equal(codeOf(() => compileParameterFilters([{ Key: 'Path', Values: ['/a'] }], 'path')), 'InvalidFilterKey');
});
