/** Setting up an installation without demo data: the first workspace and its first administrator. */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { accountTokens, memberships, users, workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { appendAudit } from "./audit.server";
import { hashToken, newId, newToken } from "./ids.server";

const Input = z.object({
  email: z.string().trim().toLowerCase().email("not a valid email address"),
  name: z.string().trim().min(1, "name is required").max(200),
  workspaceSlug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "workspace slug must be 2–63 lower-case letters, digits or dashes"),
  workspaceName: z.string().trim().min(1).max(200).optional(),
  now: z.string().datetime(),
});

export type CreateFirstAdminResult =
  | { ok: true; email: string; workspaceSlug: string; link: string }
  | { ok: false; error: string };

/**
 * Creates the workspace when it does not exist, and a staff user with the admin role in it, with an
 * invitation link to choose the password. An email that already belongs to a portal user is refused;
 * an existing staff user becomes admin of the workspace.
 */
export async function createFirstAdmin(db: Db, raw: z.input<typeof Input>): Promise<CreateFirstAdminResult> {
  const parsed = Input.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const input = parsed.data;
  const token = newToken();
  return db.transaction(
    (tx): CreateFirstAdminResult => {
      let workspace = tx.select().from(workspaces).where(eq(workspaces.slug, input.workspaceSlug)).get();
      if (!workspace) {
        if (!input.workspaceName) return { ok: false, error: `workspace "${input.workspaceSlug}" does not exist: give --workspace-name to create it` };
        workspace = tx
          .insert(workspaces)
          .values({ id: newId(), slug: input.workspaceSlug, legalName: input.workspaceName, tradeName: input.workspaceName, createdAt: input.now })
          .returning()
          .get();
        appendAudit(tx, { kind: "system", label: "create-admin", workspaceId: workspace.id }, input.now, {
          action: "workspace.created",
          entityType: "workspace",
          entityId: workspace.id,
          data: { slug: workspace.slug },
        });
      }
      let user = tx.select().from(users).where(eq(users.email, input.email)).get();
      if (user && user.kind !== "staff") return { ok: false, error: `${input.email} belongs to a customer portal account` };
      if (!user) {
        user = tx.insert(users).values({ id: newId(), email: input.email, name: input.name, kind: "staff", createdAt: input.now }).returning().get();
      }
      const member = tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, user.id), eq(memberships.workspaceId, workspace.id)))
        .get();
      if (member) tx.update(memberships).set({ role: "admin" }).where(eq(memberships.id, member.id)).run();
      else tx.insert(memberships).values({ id: newId(), userId: user.id, workspaceId: workspace.id, role: "admin", createdAt: input.now }).run();
      tx.insert(accountTokens)
        .values({
          id: newId(),
          tokenHash: hashToken(token),
          purpose: user.passwordHash ? "reset" : "invite",
          userId: user.id,
          workspaceId: workspace.id,
          createdAt: input.now,
          expiresAt: new Date(Date.parse(input.now) + 7 * 24 * 3600 * 1000).toISOString(),
        })
        .run();
      appendAudit(tx, { kind: "system", label: "create-admin", workspaceId: workspace.id }, input.now, {
        action: "staff.invited",
        entityType: "user",
        entityId: user.id,
        data: { email: input.email, role: "admin" },
      });
      const path = user.passwordHash ? "reset-password" : "invite";
      return { ok: true, email: input.email, workspaceSlug: workspace.slug, link: `${getConfig().appUrl}/${path}/${token}` };
    },
    { behavior: "immediate" },
  );
}
