/**
 * Demo DPAs, after the demo workspaces, customers and sub-processors exist: every workspace gets
 * customers in each DPA state, and its first customer (the one with the demo portal user) a DPA
 * signed by both parties, in force, sealed as a digitally signed PDF. The PDFs go through the
 * same code path as in production (countersignAndSeal).
 */
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { customers, dpas, dpaSignatures, memberships, users, workspaces } from "../schema";
import type { Actor } from "../../app/domain/permissions";
import { composeDpa, countersignAndSeal, insertDraft } from "../../app/services/dpas.server";
import { appendAudit } from "../../app/services/audit.server";
import { newId } from "../../app/services/ids.server";

type Plan = "in_force" | "superseded_then_in_force" | "signed" | "sent" | "draft" | "withdrawn";

/** Which demo customer (by position) gets which DPA history. Customers 10–19 have none yet. */
const PLAN: Record<number, Plan> = {
  0: "in_force",
  1: "in_force",
  2: "signed",
  3: "draft",
  4: "sent",
  5: "withdrawn",
  6: "superseded_then_in_force",
  7: "in_force",
  8: "in_force",
  9: "sent",
};

function minutesBefore(now: Date, minutes: number): string {
  return new Date(now.getTime() - minutes * 60_000).toISOString();
}

/** The workspace's first privacy officer as the actor the demo seed works as (null without one). */
export function demoOfficer(db: Db, workspaceId: string): Extract<Actor, { kind: "staff" }> | null {
  const officer = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "privacy_officer")))
    .orderBy(asc(users.email))
    .limit(1)
    .get();
  if (!officer) return null;
  return { kind: "staff", userId: officer.id, name: officer.name, email: officer.email, workspaceId, role: "privacy_officer" };
}

export async function seedDemoDpas(db: Db, now: Date): Promise<void> {
  for (const workspace of db.select().from(workspaces).orderBy(asc(workspaces.slug)).all()) {
    const staff = demoOfficer(db, workspace.id);
    if (!staff) continue;
    // the demo portal user's customer first (it gets the DPA in force), then the others by name
    const portalCustomerId = db
      .select({ id: users.portalCustomerId })
      .from(users)
      .where(and(eq(users.portalWorkspaceId, workspace.id), eq(users.email, `portal@${workspace.slug}.example`)))
      .get()?.id;
    const list = db.select().from(customers).where(eq(customers.workspaceId, workspace.id)).orderBy(asc(customers.nameKey), asc(customers.id)).all();
    const ordered = [...list.filter((c) => c.id === portalCustomerId), ...list.filter((c) => c.id !== portalCustomerId)];
    for (const [index, customer] of ordered.entries()) {
      const plan = PLAN[index];
      if (!plan) continue;
      const rounds = plan === "superseded_then_in_force" ? 2 : 1;
      for (let round = 0; round < rounds; round++) {
        const final = round === rounds - 1;
        const step = final ? plan.replace("superseded_then_", "") : "in_force";
        const at = (minutes: number) => minutesBefore(now, (rounds - round) * 60 * 24 * 30 + minutes);
        const composed = await composeDpa(db, workspace.id, customer.id, at(300).slice(0, 10));
        const dpaId = db.transaction((tx) => insertDraft(tx, staff, workspace.id, customer.id, composed, at(300)), { behavior: "immediate" });
        if (step === "draft") continue;
        db.transaction(
          (tx) => {
            tx.update(dpas).set({ state: step === "withdrawn" ? "ended" : "sent", sentAt: at(240), endedAt: step === "withdrawn" ? at(200) : null }).where(eq(dpas.id, dpaId)).run();
            appendAudit(tx, staff, at(240), { action: "dpa.sent", entityType: "dpa", entityId: dpaId, customerId: customer.id });
            if (step === "withdrawn") appendAudit(tx, staff, at(200), { action: "dpa.withdrawn", entityType: "dpa", entityId: dpaId, customerId: customer.id });
            if (step === "sent" || step === "withdrawn") return;
            tx.update(dpas).set({ state: "signed", customerSignedAt: at(120) }).where(eq(dpas.id, dpaId)).run();
            tx.insert(dpaSignatures)
              .values({
                id: newId(),
                dpaId,
                workspaceId: workspace.id,
                customerId: customer.id,
                party: "controller",
                userId: null,
                fullName: customer.signatoryName,
                roleTitle: customer.signatoryRole,
                authorised: true,
                signedAt: at(120),
                ip: "192.0.2.10",
                userAgent: "Demo data",
                textHash: composed.textHash,
              })
              .run();
            appendAudit(tx, { kind: "system", label: "demo-seed", workspaceId: workspace.id }, at(120), {
              action: "dpa.signed_by_customer",
              entityType: "dpa",
              entityId: dpaId,
              customerId: customer.id,
              data: { fullName: customer.signatoryName },
            });
          },
          { behavior: "immediate" },
        );
        if (step !== "in_force") continue;
        const sealed = await countersignAndSeal(db, staff, dpaId, { fullName: staff.name, roleTitle: "Privacy officer", automatic: false, ip: "192.0.2.20", userAgent: "Demo data" }, at(60));
        if (!sealed.ok) throw new Error(`demo DPA for ${customer.name} could not be sealed: ${sealed.error}`);
      }
    }
  }
}
