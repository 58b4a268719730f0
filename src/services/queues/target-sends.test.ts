/**
 * The `sqs` target coalesces the sends of one turn into one transaction: every message lands, in
 * the order sent, each sender gets its own answer, and a message that cannot be written fails
 * alone (a missing queue, a refused message, or a write the database itself rejects).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetResult } from '../../core/targets/index.js';
import { ACCOUNT, REGION, harness } from './harness.test.js';

const arn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

async function drain(h: Awaited<ReturnType<typeof harness>>, url: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const r = await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 });
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) {
      out.push(m.Body);
      await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    }
  }
}

test('many concurrent sends all land, each answered with its own message id', async () => {
  const h = await harness();
  try {
    const url = await h.queue('many');
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => h.targets.send(arn('many'), { body: `m${i}` })));
    assert.ok(results.every((r) => r.ok));
    const ids = results.map((r) => (r as { id: string }).id);
    assert.equal(new Set(ids).size, 200);
    assert.deepEqual((await drain(h, url)).sort(), Array.from({ length: 200 }, (_, i) => `m${i}`).sort());
  } finally {
    await h.close();
  }
});

test('a missing queue or a refused message fails only that send', async () => {
  const h = await harness();
  try {
    const url = await h.queue('small', { MaximumMessageSize: '1024' });
    const sends: Array<Promise<TargetResult>> = [
      h.targets.send(arn('small'), { body: 'first' }),
      h.targets.send(arn('nowhere'), { body: 'lost' }),
      h.targets.send(arn('small'), { body: 'x'.repeat(2000) }),
      h.targets.send(arn('small'), { body: 'last' }),
    ];
    const [first, missing, refused, last] = await Promise.all(sends);
    assert.equal(first.ok, true);
    assert.equal(last.ok, true);
    assert.deepEqual(missing.ok ? undefined : [missing.retryable, missing.code], [false, 'AWS.SimpleQueueService.NonExistentQueue']);
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.retryable, false);
    assert.deepEqual((await drain(h, url)).sort(), ['first', 'last']);
  } finally {
    await h.close();
  }
});

test('a write the database rejects fails alone; the rest of its transaction is written', async () => {
  const h = await harness();
  try {
    const url = await h.queue('guarded');
    // a real constraint of the database, not a stand-in: this body cannot be inserted
    await h.store.run("CREATE TRIGGER poison BEFORE INSERT ON sqs_messages WHEN NEW.body = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned body'); END");
    const sends = ['a', 'poison', 'b', 'c'].map((body) => h.targets.send(arn('guarded'), { body }));
    const settled = await Promise.allSettled(sends);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.match(String((settled[1] as PromiseRejectedResult).reason), /poisoned body/);
    assert.deepEqual((await drain(h, url)).sort(), ['a', 'b', 'c']);
  } finally {
    await h.close();
  }
});

test('FIFO: sends of one turn keep their order and deduplicate against each other', async () => {
  const h = await harness();
  try {
    const url = await h.queue('t.fifo', { FifoQueue: 'true' });
    const send = (body: string, dedup: string) => h.targets.send(arn('t.fifo'), { body, groupId: 'g', deduplicationId: dedup });
    const [a, b, again, c] = await Promise.all([send('a', 'd-a'), send('b', 'd-b'), send('b again', 'd-b'), send('c', 'd-c')]);
    assert.ok(a.ok && b.ok && again.ok && c.ok);
    assert.equal((again as { id: string }).id, (b as { id: string }).id, 'a duplicate answers with the original');
    const got = await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['SequenceNumber'] });
    assert.deepEqual(got.Messages.map((m: any) => m.Body), ['a', 'b', 'c']);
    const seqs = got.Messages.map((m: any) => BigInt(m.Attributes.SequenceNumber));
    assert.ok(seqs[0] < seqs[1] && seqs[1] < seqs[2]);
  } finally {
    await h.close();
  }
});
