import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqliteDatabase } from 'kysely';

/** The part of a better-sqlite3 `Database` the engine uses. */
export interface SqliteDatabaseHandle extends SqliteDatabase {
  pragma(source: string): unknown;
}

type SqliteDatabaseConstructor = new (filename: string) => SqliteDatabaseHandle;

const INSTALL_HINT =
  'SQLite mode needs better-sqlite3, an optional peer dependency of @letta/db-pool, and it is not installed. ' +
  'Install it with `npm install better-sqlite3` (or `pnpm add better-sqlite3`), or configure ' +
  'PostgreSQL (LETTA_PG_URI) to use Postgres instead.';

/** Loads better-sqlite3 on first use, so Postgres-only installs never need it. */
export async function loadBetterSqlite3(specifier = 'better-sqlite3'): Promise<SqliteDatabaseConstructor> {
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(error).includes(specifier);
    if (missing) throw new Error(INSTALL_HINT, { cause: error });
    throw error;
  }
  const module = loaded as { default?: SqliteDatabaseConstructor };
  return module.default ?? (loaded as SqliteDatabaseConstructor);
}

/**
 * Opens the embedded database with foreign keys enforced and, for a file, write-ahead logging. The
 * file's directory is created if it is missing; `:memory:` opens a private in-memory database.
 */
export async function openSqliteDatabase(filename: string): Promise<SqliteDatabaseHandle> {
  const Database = await loadBetterSqlite3();
  const inMemory = filename === ':memory:';
  if (!inMemory) mkdirSync(dirname(filename), { recursive: true });
  const database = new Database(filename);
  database.pragma('foreign_keys = ON');
  if (!inMemory) database.pragma('journal_mode = WAL');
  return database;
}
