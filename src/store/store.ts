/**
 * @module store/store
 * The Store port: the only way service code reaches the database.
 *
 * SQL is written once, in the subset SQLite and PostgreSQL share, with `?` placeholders (the
 * PostgreSQL adapter rewrites them to `$n`). Values: string, number, bigint, boolean (stored as
 * 0/1), null, Buffer. Timestamps are stored as integer epoch milliseconds. Only files named
 * `store.ts` (one per service, plus core/audit and core/deliveries) hold SQL.
 */

export type SqlValue = string | number | bigint | boolean | null | Buffer;
export type Row = Record<string, unknown>;

export interface Queryable {
  /** First row or undefined. */
  one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** INSERT/UPDATE/DELETE; `changes` = rows affected. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface Store extends Queryable {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Statements inside must go through `tx`, never through the store itself (which would wait
   * for the transaction to end).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Schema version after migrations. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** true when a unique/primary key rejected the write (both engines). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
