import { getConfig } from "~/config.server";
import { migrateDatabase, openDatabase, type Db } from "../db/client";

declare global {
  var __dpadeskDb: Db | undefined;
}

/**
 * The process-wide database handle. It survives dev rebuilds (kept on globalThis) and is
 * migrated on first use.
 */
export function getDb(): Db {
  if (!globalThis.__dpadeskDb) {
    const db = openDatabase(getConfig().databasePath);
    migrateDatabase(db);
    globalThis.__dpadeskDb = db;
  }
  return globalThis.__dpadeskDb;
}

/** For tests and scripts: use this handle instead of opening one from the configuration. */
export function setDb(db: Db | undefined): void {
  globalThis.__dpadeskDb = db;
}
