/**
 * @module store/sqlite
 * The embedded Store engine: better-sqlite3 in WAL mode, one connection.
 *
 * better-sqlite3 is synchronous, the port is async. A transaction spans awaits, so while one is
 * open every other caller waits its turn (a FIFO lock); outside transactions, statements run at
 * once. Prepared statements are cached per SQL text.
 *
 * Durability with group commit: SQLite runs with `synchronous=NORMAL`, so COMMIT itself does not
 * fsync (it would stall the event loop once per transaction). Instead every write resolves only
 * after `durable()`: one `fdatasync` of the WAL file, run in libuv's thread pool and shared by every
 * transaction committed since the previous one. When an API call answers, its rows are on disk,
 * as with `synchronous=FULL`, but a busy server pays one fsync per batch instead of one per
 * request. (fsync works on the file, not the descriptor, so syncing our own descriptor of the
 * WAL flushes what SQLite wrote through its own. Checkpoints sync the WAL before copying it and
 * the database after, so committed frames are never only in the page cache.)
 */
import { closeSync, existsSync, fdatasync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { Queryable, Row, SqlValue, Store } from './store.js';

type Param = string | number | bigint | null | Buffer;

function bind(params: readonly SqlValue[] | undefined): Param[] {
  if (!params) return [];
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

class SqliteQueryable implements Queryable {
  private readonly statements = new Map<string, Statement>();
  constructor(protected readonly db: Db) {}

  protected prepare(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.prepare(sql).get(...bind(params)) as T | undefined;
  }

  async all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.prepare(sql).all(...bind(params)) as T[];
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    const r = this.prepare(sql).run(...bind(params));
    return { changes: r.changes };
  }

  /** for migrations: several statements at once */
  execScript(sql: string): void {
    this.db.exec(sql);
  }
}

export class SqliteStore extends SqliteQueryable implements Store {
  readonly engine = 'sqlite' as const;
  private lock: Promise<void> = Promise.resolve();
  private locked = false;
  private closed = false;
  private readonly tx: SqliteQueryable;
  private readonly walPath?: string;
  private walFd?: number;
  /** the fdatasync running now, and the one that will start after it (joined by later writes) */
  private syncing?: Promise<void>;
  private nextSync?: Promise<void>;

  constructor(file: string) {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // commits do not fsync; durable() does, batched (see the module comment)
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    super(db);
    this.tx = new SqliteQueryable(db);
    if (file !== ':memory:') this.walPath = `${file}-wal`;
  }

  /** Resolves once everything committed so far is on disk. */
  durable(): Promise<void> {
    if (!this.walPath || this.closed) return Promise.resolve();
    if (!this.syncing) return this.startSync();
    // A sync is running but may have started before our commit: join the one after it.
    this.nextSync ??= this.syncing.then(
      () => {
        this.nextSync = undefined;
        return this.startSync();
      },
      () => {
        this.nextSync = undefined;
        return this.startSync();
      },
    );
    return this.nextSync;
  }

  private startSync(): Promise<void> {
    if (this.walFd === undefined) {
      if (!existsSync(this.walPath!)) return Promise.resolve();
      this.walFd = openSync(this.walPath!, 'r+');
    }
    const fd = this.walFd;
    const p = new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
    this.syncing = p.finally(() => {
      if (this.syncing === guarded) this.syncing = undefined;
    });
    const guarded = this.syncing;
    return guarded;
  }

  private async acquire(): Promise<() => void> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => (release = r));
    await previous;
    this.locked = true;
    return () => {
      this.locked = false;
      release();
    };
  }

  /** Waits until no transaction holds the connection; re-checks because the next one may start at once. */
  private async idle(): Promise<void> {
    while (this.locked) await this.lock;
  }

  override async one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    await this.idle();
    return super.one<T>(sql, params);
  }

  override async all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    await this.idle();
    return super.all<T>(sql, params);
  }

  override async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    await this.idle();
    const r = await super.run(sql, params);
    await this.durable();
    return r;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const release = await this.acquire();
    let result: T;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        result = await fn(this.tx);
        this.db.exec('COMMIT');
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
    // the next transaction may run while this one waits for the disk: that is the group commit
    await this.durable();
    return result;
  }

  async schemaVersion(): Promise<number> {
    const row = await this.one<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return row?.v ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.lock;
    await this.durable().catch(() => undefined);
    this.closed = true;
    this.db.close();
    if (this.walFd !== undefined) closeSync(this.walFd);
  }
}
