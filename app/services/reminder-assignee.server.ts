/**
 * Who can be a breach's assignee (the staff member who gets its notice reminders): active staff of
 * the workspace who may write (admins and privacy officers). The form on the breach page reads the
 * choices here; setBreachAssignee (breaches.server.ts) writes the choice.
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { breaches, memberships, users } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { requireStaffActor } from "./breach-core.server";
import { notFound } from "./http.server";

export type AssigneeCandidate = { userId: string; name: string; email: string };

/** Active admins and privacy officers of the workspace, by name. */
export function assigneeCandidates(db: Db | Tx, workspaceId: string): AssigneeCandidate[] {
  return db
    .select({ userId: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, ["admin", "privacy_officer"]), isNull(users.disabledAt)))
    .orderBy(asc(users.name), asc(users.email))
    .all();
}

export function isAssigneeCandidate(db: Db | Tx, workspaceId: string, userId: string): boolean {
  return assigneeCandidates(db, workspaceId).some((c) => c.userId === userId);
}

/** The breach's current assignee and the staff it can be given to (staff of the workspace, read access). */
export async function breachAssigneeChoices(db: Db, actor: Actor, breachId: string): Promise<{ assigneeUserId: string | null; candidates: AssigneeCandidate[] }> {
  requireStaffActor(actor);
  const row = db
    .select({ assigneeUserId: breaches.assigneeUserId })
    .from(breaches)
    .where(and(eq(breaches.id, breachId), eq(breaches.workspaceId, actor.workspaceId)))
    .get();
  if (!row) throw notFound();
  return { assigneeUserId: row.assigneeUserId, candidates: assigneeCandidates(db, actor.workspaceId) };
}
