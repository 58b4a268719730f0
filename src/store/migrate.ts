/**
 * @module store/migrate
 * Numbered SQL migrations, one folder per engine: `migrations/<engine>/NNNN-name.sql`.
 * Each file runs once, in its own transaction, and is recorded in `schema_migrations`.
 * A file whose number is already recorded is skipped; numbers never change once landed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignalboxError } from '../core/errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations folder ships next to this file in src/ and is copied next to it in dist/. */
export function migrationsDir(engine: 'sqlite' | 'postgres'): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, 'migrations', engine);
  if (existsSync(dir)) return dir;
  // running from dist/ without the copy step: fall back to the sources
  return join(here, '..', '..', 'src', 'store', 'migrations', engine);
}

export function readMigrations(engine: 'sqlite' | 'postgres'): Migration[] {
  const dir = migrationsDir(engine);
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4})-([a-z0-9-]+)\.sql$/.exec(file);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2], sql: readFileSync(join(dir, file), 'utf8') });
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i].version !== i + 1) {
      throw new SignalboxError('ERR_STORE', `migrations must be numbered 0001, 0002… without gaps; found ${out[i].version} at position ${i + 1}`);
    }
  }
  return out;
}
