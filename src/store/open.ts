/**
 * @module store/open
 * Opens the configured engine and brings its schema up to date.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SignalboxError } from '../core/errors.js';
import { readMigrations } from './migrate.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** Opens `<dataDir>/signalbox.db` (or an in-memory database for ':memory:') and migrates it. */
export async function openSqliteStore(dataDir: string | ':memory:'): Promise<SqliteStore> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'signalbox.db');
  }
  let store: SqliteStore;
  try {
    store = new SqliteStore(file);
  } catch (e) {
    throw new SignalboxError('ERR_STORE', `cannot open ${file}: ${(e as Error).message}`, { cause: e });
  }
  await migrateSqlite(store);
  return store;
}

async function migrateSqlite(store: SqliteStore): Promise<void> {
  store.execScript('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const current = await store.schemaVersion();
  for (const m of readMigrations('sqlite')) {
    if (m.version <= current) continue;
    try {
      await store.transaction(async (tx) => {
        store.execScript(m.sql);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      });
    } catch (e) {
      throw new SignalboxError('ERR_STORE', `migration ${m.version}-${m.name} failed: ${(e as Error).message}`, { cause: e });
    }
  }
}

export async function openStore(opts: { dataDir: string }): Promise<Store> {
  return openSqliteStore(opts.dataDir);
}
