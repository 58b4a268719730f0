/** The SQLite engine behind the Store port: migrations, transactions across awaits, durability. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readMigrations } from './migrate.js';
import { openSqliteStore } from './open.js';
import { isUniqueViolation } from './store.js';

test('opening migrates to the newest version, and reopening is a no-op', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-store-'));
  const s1 = await openSqliteStore(dir);
  const latest = readMigrations('sqlite').length;
  assert.equal(await s1.schemaVersion(), latest);
  await s1.close();
  const s2 = await openSqliteStore(dir);
  assert.equal(await s2.schemaVersion(), latest);
  assert.equal((await s2.one<{ n: number }>('SELECT count(*) AS n FROM schema_migrations'))?.n, latest);
  assert.equal((await s2.one<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode, 'wal');
  await s2.close();
});

test('a transaction spans awaits: others wait for it, and a throw rolls everything back', async () => {
  const s = await openSqliteStore(':memory:');
  await s.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
  const order: string[] = [];
  let outside!: Promise<void>;
  const tx = s.transaction(async (q) => {
    await q.run('INSERT INTO t VALUES (?, ?)', ['a', 1]);
    order.push('tx-insert');
    // a caller outside the transaction arrives while it is open: it must wait for the commit
    outside = s.one('SELECT count(*) AS n FROM t').then((r) => {
      order.push(`outside-sees-${(r as { n: number }).n}`);
    });
    await new Promise((r) => setTimeout(r, 20));
    order.push('tx-end');
  });
  await tx;
  await outside;
  assert.deepEqual(order, ['tx-insert', 'tx-end', 'outside-sees-1']);

  await assert.rejects(
    s.transaction(async (q) => {
      await q.run('INSERT INTO t VALUES (?, ?)', ['b', 2]);
      await q.run('INSERT INTO t VALUES (?, ?)', ['a', 3]);
    }),
    (e) => isUniqueViolation(e),
  );
  assert.deepEqual(await s.all('SELECT k, v FROM t ORDER BY k'), [{ k: 'a', v: 1 }]);
  await s.close();
});

test('booleans are stored as 0/1 and blobs round-trip', async () => {
  const s = await openSqliteStore(':memory:');
  await s.run('CREATE TABLE b (flag INTEGER, data BLOB)');
  await s.run('INSERT INTO b VALUES (?, ?)', [true, Buffer.from([0, 1, 2, 255])]);
  const row = await s.one<{ flag: number; data: Buffer }>('SELECT flag, data FROM b');
  assert.equal(row?.flag, 1);
  assert.deepEqual([...row!.data], [0, 1, 2, 255]);
  await s.close();
});
