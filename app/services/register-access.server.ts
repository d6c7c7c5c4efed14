/**
 * Who may read and export registers on this request: a signed-in staff member with
 * `registers:export` (admins, privacy officers, auditors), or the holder of a valid auditor link
 * (see auditor-links.server.ts). Every register page, export and the audit pack resolves its actor
 * here, so both ways in are checked in one place.
 */
import type { workspaces } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { requireStaff } from "./auth.server";

export type RegisterActor = Extract<Actor, { kind: "staff" } | { kind: "auditor_link" }>;

export type RegisterAccess = {
  actor: RegisterActor;
  workspace: typeof workspaces.$inferSelect;
  via: "staff" | "auditor_link";
};

export async function requireRegisterAccess(request: Request): Promise<RegisterAccess> {
  const { actor, workspace } = await requireStaff(request, "registers:export");
  return { actor, workspace, via: "staff" };
}

/** Whether this actor may see `register` (auditor links may be limited to some registers). */
export function mayReadRegister(actor: RegisterActor, register: string): boolean {
  if (actor.kind === "staff") return true;
  return actor.registers === null || actor.registers.includes(register);
}
