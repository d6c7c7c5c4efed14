/**
 * Test databases: each test gets its own migrated SQLite file in a temporary folder, and seed
 * helpers that insert the minimum rows foreign keys need. Overrides let a test set what it checks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase, type Db } from "../../db/client";
import { customers, memberships, users, workspaces } from "../../db/schema";
import type { Actor, StaffRole } from "~/domain/permissions";
import { newId } from "~/services/ids.server";

export type TestDb = {
  db: Db;
  /** the database file, for tests that open a second connection or another process */
  databasePath: string;
  /** a temporary folder removed by cleanup, for files the test writes next to the database */
  dir: string;
  cleanup: () => void;
};

const SEED_TIME = "2026-01-05T09:00:00.000Z";

export function createTestDb(): TestDb {
  const dir = mkdtempSync(path.join(tmpdir(), "dpadesk-test-"));
  const databasePath = path.join(dir, "test.sqlite");
  const db = openDatabase(databasePath);
  migrateDatabase(db);
  return {
    db,
    databasePath,
    dir,
    cleanup: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type WorkspaceRow = typeof workspaces.$inferSelect;

export function seedWorkspace(db: Db, overrides: Partial<typeof workspaces.$inferInsert> = {}): WorkspaceRow {
  const id = overrides.id ?? newId();
  return db
    .insert(workspaces)
    .values({
      id,
      slug: `ws-${id.slice(0, 8)}`,
      legalName: "Testbedrijf B.V.",
      tradeName: "Testbedrijf",
      createdAt: SEED_TIME,
      ...overrides,
    })
    .returning()
    .get();
}

export type CustomerRow = typeof customers.$inferSelect;

export function seedCustomer(
  db: Db,
  workspaceId: string,
  overrides: Partial<typeof customers.$inferInsert> = {},
): CustomerRow {
  const name = overrides.name ?? "Bakkerij Jansen";
  return db
    .insert(customers)
    .values({
      id: newId(),
      workspaceId,
      name,
      nameKey: name.toLowerCase(),
      contractStart: "2026-01-01",
      createdAt: SEED_TIME,
      updatedAt: SEED_TIME,
      ...overrides,
    })
    .returning()
    .get();
}

export type StaffActor = Extract<Actor, { kind: "staff" }>;

/** A staff user with a membership in the workspace, returned as the actor services expect. */
export function seedStaff(db: Db, workspaceId: string, role: StaffRole = "admin"): StaffActor {
  const userId = newId();
  const email = `${role}-${userId.slice(0, 8)}@example.test`;
  const name = `Test ${role}`;
  db.insert(users).values({ id: userId, email, name, kind: "staff", createdAt: SEED_TIME }).run();
  db.insert(memberships).values({ id: newId(), userId, workspaceId, role, createdAt: SEED_TIME }).run();
  return { kind: "staff", userId, name, email, workspaceId, role };
}
