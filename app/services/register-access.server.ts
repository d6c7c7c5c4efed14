/**
 * Who may read and export registers on this request: a signed-in staff member with
 * `registers:export` (admins, privacy officers, auditors), or the holder of a valid auditor link
 * (see auditor-links.server.ts). Every register page, export and the audit pack resolves its actor
 * here, so both ways in are checked in one place.
 *
 * Order: a staff session wins (a colleague who also opened an auditor link acts as themselves);
 * otherwise the `__dpadesk_auditor` cookie is looked up again on every request (a revoked or
 * expired link is refused at once, with a plain explanation and the cookie cleared); otherwise the
 * staff rules apply (sign-in redirect, 404 for portal users). Auditor links only read: any method
 * other than GET/HEAD is refused with 403. Each request made with a link is logged once
 * ("auditor_link.used" with the path, register and format) and counted on the link.
 */
import type { workspaces } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import {
  auditorLinkCookie,
  auditorTokenFromRequest,
  describeUse,
  recordAuditorLinkUse,
  resolveAuditorLink,
} from "./auditor-links.server";
import { getCurrentSession, requireStaff } from "./auth.server";
import { nowIso } from "./http.server";

export type RegisterActor = Extract<Actor, { kind: "staff" } | { kind: "auditor_link" }>;

export type RegisterAccess = {
  actor: RegisterActor;
  workspace: typeof workspaces.$inferSelect;
  via: "staff" | "auditor_link";
};

/** One resolution (and one logged use) per request, however many loaders of the page ask. */
const accessByRequest = new WeakMap<Request, Promise<RegisterAccess>>();

export function requireRegisterAccess(request: Request): Promise<RegisterAccess> {
  let access = accessByRequest.get(request);
  if (!access) {
    access = resolveAccess(request);
    accessByRequest.set(request, access);
  }
  return access;
}

const REFUSALS = {
  expired: "Deze auditorlink is verlopen. Vraag de organisatie om een nieuwe link.\nThis auditor link has expired. Ask the organisation for a new link.",
  revoked: "Deze auditorlink is ingetrokken. Vraag de organisatie om een nieuwe link.\nThis auditor link has been revoked. Ask the organisation for a new link.",
  unknown: "Deze auditorlink bestaat niet (meer).\nThis auditor link does not exist.",
  readOnly: "Een auditorlink geeft alleen leestoegang.\nAn auditor link gives read-only access.",
} as const;

async function refusal(message: string, clearCookie: boolean): Promise<Response> {
  const headers = new Headers({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  if (clearCookie) headers.append("Set-Cookie", await auditorLinkCookie(0).serialize(""));
  return new Response(message, { status: 403, headers });
}

async function resolveAccess(request: Request): Promise<RegisterAccess> {
  const session = await getCurrentSession(request);
  if (session?.user.kind !== "staff") {
    const token = await auditorTokenFromRequest(request);
    if (token) {
      const now = nowIso();
      const resolved = await resolveAuditorLink(token, now);
      if (!resolved.ok) throw await refusal(REFUSALS[resolved.reason], true);
      const use = describeUse(request);
      recordAuditorLinkUse(resolved.actor, use, now);
      if (use.method !== "GET" && use.method !== "HEAD") throw await refusal(REFUSALS.readOnly, false);
      return { actor: resolved.actor, workspace: resolved.workspace, via: "auditor_link" };
    }
  }
  const { actor, workspace } = await requireStaff(request, "registers:export");
  return { actor, workspace, via: "staff" };
}

/** Whether this actor may see `register` (auditor links may be limited to some registers). */
export function mayReadRegister(actor: RegisterActor, register: string): boolean {
  if (actor.kind === "staff") return true;
  return actor.registers === null || actor.registers.includes(register);
}
