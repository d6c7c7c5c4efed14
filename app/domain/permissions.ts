/** Who may do what. Pure; services call `can` before they read or write. */

export type StaffRole = "admin" | "privacy_officer" | "auditor";

export type Actor =
  | { kind: "staff"; userId: string; name: string; email: string; workspaceId: string; role: StaffRole }
  | { kind: "portal"; userId: string; name: string; email: string; workspaceId: string; customerId: string }
  | { kind: "system"; label: string; workspaceId: string | null }
  /** a person acting on their own account (signing in or out, choosing a language or password): no workspace permissions */
  | { kind: "account"; userId: string; name: string; email: string; workspaceId: string | null }
  /**
   * someone holding a time-limited auditor link: reads and exports registers of one workspace,
   * limited to `registers` (null = all) and to rows in the date range [from, to] when set
   */
  | {
      kind: "auditor_link";
      linkId: string;
      label: string;
      workspaceId: string;
      registers: readonly string[] | null;
      from: string | null;
      to: string | null;
    };

export type Permission =
  /** read everything in the workspace (staff) */
  | "workspace:read"
  /** do the privacy work: customers, DPAs, sub-processors, breaches, contracts, tasks */
  | "workspace:write"
  /** invite and manage staff, change workspace settings */
  | "workspace:admin"
  /** export registers */
  | "registers:export"
  /** read and act on one's own customer in the portal */
  | "portal:self";

const staffPermissions: Record<StaffRole, ReadonlySet<Permission>> = {
  admin: new Set(["workspace:read", "workspace:write", "workspace:admin", "registers:export"]),
  privacy_officer: new Set(["workspace:read", "workspace:write", "registers:export"]),
  auditor: new Set(["workspace:read", "registers:export"]),
};

export function can(actor: Actor, permission: Permission): boolean {
  switch (actor.kind) {
    case "staff":
      return staffPermissions[actor.role].has(permission);
    case "portal":
      return permission === "portal:self";
    case "system":
      return permission !== "portal:self";
    case "account":
      return false;
    case "auditor_link":
      return permission === "registers:export";
  }
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case "staff":
      return `${actor.name} <${actor.email}> (${actor.role})`;
    case "portal":
      return `${actor.name} <${actor.email}> (portal)`;
    case "system":
      return `system: ${actor.label}`;
    case "account":
      return `${actor.name} <${actor.email}>`;
    case "auditor_link":
      return `auditor link: ${actor.label}`;
  }
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === "system" || actor.kind === "auditor_link" ? null : actor.userId;
}
