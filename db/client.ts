import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Opens (and creates) the SQLite database with the settings every connection needs:
 * WAL for concurrent readers, foreign keys on, and a busy timeout so a second process waits for
 * the write lock instead of failing.
 */
export function openDatabase(databasePath: string): Db {
  if (databasePath !== ":memory:") mkdirSync(path.dirname(databasePath), { recursive: true });
  const sqlite = new Database(databasePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // SQLite's built-in lower() folds ASCII only; use Unicode lower-casing, as PostgreSQL's lower() does
  sqlite.function("lower", { deterministic: true }, (value: unknown) => (value === null ? null : String(value).toLowerCase()));
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Applies the committed migrations. drizzle runs them inside a transaction, where
 * PRAGMA foreign_keys has no effect, so foreign keys are switched off around it and checked after.
 */
export function migrateDatabase(db: Db): void {
  db.$client.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder });
  } finally {
    db.$client.pragma("foreign_keys = ON");
  }
  const violations = db.$client.pragma("foreign_key_check") as unknown[];
  if (violations.length > 0) throw new Error(`Migration left ${violations.length} foreign key violations`);
}

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
