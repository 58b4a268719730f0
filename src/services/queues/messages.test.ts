/**
 * Message rules without a queue: AWS's attribute digest (checked against published vectors),
 * character set, sizes, attribute names and types, MessageAttributeNames filters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isServiceError } from '../../core/errors.js';
import { checkAttributes, checkBody, checkSize, md5Hex, md5OfAttributes, messageSize, selectAttributes } from './messages.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return isServiceError(e) ? e.code : String(e);
  }
};

test('MD5OfMessageAttributes matches the published examples (string, custom number type, binary, several)', () => {
  const s = { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } };
  const n = { customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' } };
  const b = { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } };
  assert.equal(md5OfAttributes(s), '19e27d4e946b072f3f58da80d94fd778');
  assert.equal(md5OfAttributes(n), '9fe1b90bbd9965bdf77bac517c7d2495');
  assert.equal(md5OfAttributes(b), '31a92b15d92f8db860eda32aceb656c3');
  assert.equal(md5OfAttributes({ ...b, ...n, ...s }), 'c932db14a896c663f83c260297d594ff', 'order of the request does not matter');
  assert.equal(md5OfAttributes({}), undefined);
  assert.equal(md5Hex('hi'), '49f68a5c8493ec2c0bf489821c21fc3b');
});

test('bodies: the XML character set only (InvalidMessageContents), not empty', () => {
  assert.equal(checkBody('ok\t\n\r é 😀 \uE000'), 'ok\t\n\r é 😀 \uE000');
  assert.equal(code(() => checkBody('bad \u0001')), 'InvalidMessageContents');
  assert.equal(code(() => checkBody('bad \uFFFE')), 'InvalidMessageContents');
  assert.equal(code(() => checkBody('lone \uD800 surrogate')), 'InvalidMessageContents');
  assert.equal(code(() => checkBody('')), 'InvalidParameterValue');
  assert.equal(code(() => checkBody(undefined)), 'MissingParameter');
});

test('size counts the body and every attribute name, type and value in UTF-8 bytes', () => {
  const attrs = { k: { DataType: 'String', StringValue: 'éé' } };
  assert.equal(messageSize('ab', attrs), 2 + 1 + 6 + 4);
  assert.equal(code(() => checkSize('x'.repeat(262_144), undefined, 262_144)), undefined);
  assert.equal(code(() => checkSize('x'.repeat(262_144), attrs, 262_144)), 'InvalidParameterValue');
});

test('attribute names, types and values', () => {
  assert.equal(code(() => checkAttributes({ 'a.b-c_d': { DataType: 'String.custom', StringValue: 'v' } })), undefined);
  for (const bad of ['AWS.x', 'amazon.y', '.lead', 'trail.', 'two..dots', 'sp ace', '']) {
    assert.equal(code(() => checkAttributes({ [bad]: { DataType: 'String', StringValue: 'v' } })), 'InvalidParameterValue', bad);
  }
  assert.equal(code(() => checkAttributes({ a: { DataType: 'Text', StringValue: 'v' } })), 'InvalidParameterValue');
  assert.equal(code(() => checkAttributes({ a: { DataType: 'String' } })), 'InvalidParameterValue');
  assert.equal(code(() => checkAttributes({ a: { DataType: 'Number', StringValue: 'ten' } })), 'InvalidParameterValue');
  assert.equal(code(() => checkAttributes({ a: { DataType: 'Number', StringValue: '-1.5e3' } })), undefined);
  assert.equal(code(() => checkAttributes({ a: { DataType: 'Binary', StringValue: 'x' } })), 'InvalidParameterValue');
  const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
  assert.equal(code(() => checkAttributes(eleven)), 'InvalidParameterValue');
  // targets hand binary values over in base64
  assert.deepEqual(checkAttributes({ b: { DataType: 'Binary', BinaryValue: Buffer.from('xy').toString('base64') } }), { b: { DataType: 'Binary', BinaryValue: Buffer.from('xy') } });
});

test('MessageAttributeNames: All, .*, exact names and prefix.*', () => {
  const attrs = { 'a.one': { DataType: 'String', StringValue: '1' }, 'a.two': { DataType: 'String', StringValue: '2' }, b: { DataType: 'String', StringValue: '3' } };
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['All'])!), ['a.one', 'a.two', 'b']);
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['.*'])!), ['a.one', 'a.two', 'b']);
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['a.*'])!), ['a.one', 'a.two']);
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['b', 'zzz'])!), ['b']);
  assert.equal(selectAttributes(attrs, []), undefined);
  assert.equal(selectAttributes(attrs, ['none']), undefined);
});
