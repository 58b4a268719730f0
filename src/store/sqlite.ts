/**
 * @module store/sqlite
 * The embedded Store engine: better-sqlite3 in WAL mode, one connection.
 *
 * better-sqlite3 is synchronous, the port is async. A transaction spans awaits, so while one is
 * open every other caller waits its turn (a FIFO lock); outside transactions, statements run at
 * once. Prepared statements are cached per SQL text.
 */
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

  constructor(file: string) {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; a power loss can lose the last
    // transactions. FULL makes every commit wait for fsync: the price of "never lost".
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    super(db);
    this.tx = new SqliteQueryable(db);
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
    return super.run(sql, params);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.tx);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
  }

  async schemaVersion(): Promise<number> {
    const row = await this.one<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return row?.v ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.lock;
    this.closed = true;
    this.db.close();
  }
}
