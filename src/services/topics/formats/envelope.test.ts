/**
 * The documents SNS delivers: field order and presence as AWS writes them, the canonical string
 * it signs, AWS's pretty-printing, and the Lambda record with its own spellings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delivery, SUB, TOPIC } from '../senders/kit.test.js';
import { isFifoTopic, lambdaEvent, renderEnvelope, snsEnvelope, stringToSign, type EnvelopeContext } from './envelope.js';

const signed: Array<{ text: string; version: string }> = [];
const ctx: EnvelopeContext = {
  publicUrl: 'https://sbx.example.com',
  signingCertUrl: 'https://sbx.example.com/_signalbox/sns/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem',
  sign: (text, version) => {
    signed.push({ text, version });
    return `SIG(${version})`;
  },
};

test('Notification: AWS field order, Subject and MessageAttributes only when present', () => {
  const withAll = snsEnvelope(delivery({ subject: 'Deploy', messageAttributes: { env: { Type: 'String', Value: 'prod' } } }), ctx);
  assert.deepEqual(Object.keys(withAll), [
    'Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp',
    'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes',
  ]);
  assert.equal(withAll.Type, 'Notification');
  assert.equal(withAll.SignatureVersion, '1');
  assert.equal(withAll.Signature, 'SIG(1)');
  assert.equal(withAll.SigningCertURL, ctx.signingCertUrl);
  assert.equal(withAll.UnsubscribeURL, `https://sbx.example.com/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SUB)}`);
  assert.deepEqual(withAll.MessageAttributes, { env: { Type: 'String', Value: 'prod' } });

  const bare = snsEnvelope(delivery({ messageAttributes: {} }), ctx);
  assert.deepEqual(Object.keys(bare), ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']);
});

test('the string to sign: name\\nvalue\\n in AWS order, Subject only when present', () => {
  signed.length = 0;
  snsEnvelope(delivery({ subject: 'Deploy', signatureVersion: '2' }), ctx);
  assert.deepEqual(signed, [{
    version: '2',
    text: `Message\nHello from SNS!\nMessageId\nb1946ac9-2f4e-5d7c-9e1a-3f6b8c2d4e5a\nSubject\nDeploy\nTimestamp\n2024-05-01T10:05:41.123Z\nTopicArn\n${TOPIC}\nType\nNotification\n`,
  }]);
  assert.equal(
    stringToSign({ Type: 'Notification', Message: 'm', MessageId: 'id', Timestamp: 't', TopicArn: 'arn', UnsubscribeURL: 'u' }),
    'Message\nm\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n',
  );
  assert.throws(() => stringToSign({ Type: 'Other' }));
});

test('SubscriptionConfirmation: Token and SubscribeURL, signed over AWS\'s seven fields', () => {
  signed.length = 0;
  const m = snsEnvelope(delivery({
    type: 'SubscriptionConfirmation', subscriptionArn: undefined, token: 'tok/+=1',
    message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  }), ctx);
  assert.deepEqual(Object.keys(m), ['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
  assert.equal(m.SubscribeURL, `https://sbx.example.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC)}&Token=tok%2F%2B%3D1`);
  assert.equal(signed[0].text, [
    'Message', m.Message, 'MessageId', m.MessageId, 'SubscribeURL', m.SubscribeURL, 'Timestamp', m.Timestamp,
    'Token', 'tok/+=1', 'TopicArn', TOPIC, 'Type', 'SubscriptionConfirmation', '',
  ].join('\n'));
  const u = snsEnvelope(delivery({ type: 'UnsubscribeConfirmation', token: 't' }), ctx);
  assert.deepEqual(Object.keys(u), Object.keys(m));
  assert.equal(u.Type, 'UnsubscribeConfirmation');
});

test('FIFO topics: SequenceNumber after MessageId, no signature fields', () => {
  const fifo = `${TOPIC}.fifo`;
  assert.ok(isFifoTopic(fifo));
  const m = snsEnvelope(delivery({ topicArn: fifo, sequenceNumber: '10000000000000003000', messageGroupId: 'g' }), ctx);
  assert.deepEqual(Object.keys(m), ['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
});

test('rendered as AWS does: one field per line, " : ", attributes compact', () => {
  const text = renderEnvelope(snsEnvelope(delivery({ subject: 'S', messageAttributes: { a: { Type: 'Number', Value: '1' }, b: { Type: 'String', Value: 'x"y' } } }), ctx));
  const lines = text.split('\n');
  assert.equal(lines[0], '{');
  assert.equal(lines[1], '  "Type" : "Notification",');
  assert.equal(lines[2], '  "MessageId" : "b1946ac9-2f4e-5d7c-9e1a-3f6b8c2d4e5a",');
  assert.ok(lines.includes('  "MessageAttributes" : {'));
  assert.ok(lines.includes('    "a" : {"Type":"Number","Value":"1"},'));
  assert.ok(lines.includes('    "b" : {"Type":"String","Value":"x\\"y"}'));
  assert.equal(lines.at(-1), '}');
  // and it is JSON, with the same order
  assert.deepEqual(Object.keys(JSON.parse(text)), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
  const multiline = JSON.parse(renderEnvelope(snsEnvelope(delivery({ message: 'a\nb\t"c" ü' }), ctx)));
  assert.equal(multiline.Message, 'a\nb\t"c" ü');
});

test('Lambda record: one record, AWS spellings, Subject null, SignatureVersion always 1', () => {
  signed.length = 0;
  const e = JSON.parse(lambdaEvent(delivery({ protocol: 'lambda', signatureVersion: '2', messageAttributes: { t: { Type: 'Binary', Value: 'AAE=' } } }), ctx));
  assert.equal(e.Records.length, 1);
  const r = e.Records[0];
  assert.deepEqual(Object.keys(r), ['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
  assert.equal(r.EventSource, 'aws:sns');
  assert.equal(r.EventVersion, '1.0');
  assert.equal(r.EventSubscriptionArn, SUB);
  assert.deepEqual(Object.keys(r.Sns), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes']);
  assert.equal(r.Sns.Subject, null);
  assert.equal(r.Sns.SignatureVersion, '1');
  assert.equal(r.Sns.Signature, 'SIG(1)');
  assert.equal(signed[0].version, '1');
  assert.ok(!signed[0].text.includes('Subject'));
  assert.equal(r.Sns.SigningCertUrl, ctx.signingCertUrl);
  assert.match(r.Sns.UnsubscribeUrl, /\?Action=Unsubscribe&SubscriptionArn=/);
  assert.deepEqual(r.Sns.MessageAttributes, { t: { Type: 'Binary', Value: 'AAE=' } });
  assert.deepEqual(JSON.parse(lambdaEvent(delivery({ subject: 'Hi' }), ctx)).Records[0].Sns.MessageAttributes, {});
  assert.equal(JSON.parse(lambdaEvent(delivery({ subject: 'Hi' }), ctx)).Records[0].Sns.Subject, 'Hi');
});
