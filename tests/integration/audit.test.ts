import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, memberships } from "../../db/schema";
import { GENESIS_HASH, hashAuditEvent } from "~/domain/audit-chain";
import { invitePortalUser, inviteStaff, redeemAccountToken, requestPasswordReset } from "~/services/accounts.server";
import { appendAudit, verifyAuditChain } from "~/services/audit.server";
import { signIn, signOut, switchWorkspace } from "~/services/auth.server";
import { newId } from "~/services/ids.server";
import { chooseLocale } from "~/services/locale.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { requestWithCookie, seedStaffUser, signInCookie, TEST_APP_URL, setupTestApp } from "../helpers/app";

const app = setupTestApp();

function chain(workspaceId: string | null) {
  return app.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.chainKey, workspaceId ?? "system"))
    .orderBy(asc(auditEvents.seq))
    .all();
}

function lastEvent(workspaceId: string | null) {
  const events = chain(workspaceId);
  return events[events.length - 1];
}

function tokenIn(text: string, route: string): string {
  const match = new RegExp(`${TEST_APP_URL.replace(/[.]/g, "\\.")}/${route}/([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${route} link in ${text}`);
  return match[1];
}

function lastMailText(): string {
  const row = app.db.$client.prepare("select text_body from outbox order by created_at desc, rowid desc limit 1").get() as { text_body: string };
  return row.text_body;
}

describe("every write of the foundation services appends an audit event in its workspace chain", () => {
  it("sign-in, workspace switch, language, invitations, reset, redemption and sign-out", async () => {
    const a = seedWorkspace(app.db, { slug: "a-ws", tradeName: "Alpha" });
    const b = seedWorkspace(app.db, { slug: "b-ws", tradeName: "Beta" });
    const admin = await seedStaffUser(app.db, a.id, "admin");
    app.db.insert(memberships).values({ id: newId(), userId: admin.userId, workspaceId: b.id, role: "admin", createdAt: "2026-02-01T00:00:00.000Z" }).run();
    const customer = seedCustomer(app.db, a.id);
    const now = new Date().toISOString();

    const signedIn = await signIn({ email: admin.email, password: "correct horse battery staple", ip: "192.0.2.44", userAgent: "vitest", previousCookieHeader: null });
    if (!signedIn.ok) throw new Error("sign-in refused");
    expect(lastEvent(a.id)).toMatchObject({
      action: "user.signed_in",
      entityType: "user",
      entityId: admin.userId,
      actorUserId: admin.userId,
      actorLabel: `${admin.name} <${admin.email}>`,
      workspaceId: a.id,
      data: JSON.stringify({ ip: "192.0.2.44" }),
    });
    const cookie = signedIn.cookie;

    await switchWorkspace(requestWithCookie(cookie), b.id);
    expect(lastEvent(b.id)).toMatchObject({ action: "user.switched_workspace", entityId: admin.userId });

    await chooseLocale(requestWithCookie(cookie), "en");
    expect(lastEvent(b.id)).toMatchObject({ action: "user.language_changed", entityId: admin.userId, data: JSON.stringify({ locale: "en" }) });

    await switchWorkspace(requestWithCookie(cookie), a.id);
    const adminActor = { ...admin, workspaceId: a.id };
    await inviteStaff(adminActor, { email: "new@example.test", role: "auditor" }, now);
    const invited = lastEvent(a.id);
    expect(invited).toMatchObject({
      action: "staff.invited",
      actorUserId: admin.userId,
      actorLabel: `${admin.name} <${admin.email}> (admin)`,
      data: JSON.stringify({ email: "new@example.test", role: "auditor" }),
    });
    expect(chain(a.id)[invited.seq - 2]).toMatchObject({ action: "mail.queued", entityType: "mail" });
    const staffToken = tokenIn(lastMailText(), "invite");

    await invitePortalUser(adminActor, { customerId: customer.id, email: "contact@example.test" }, now);
    expect(lastEvent(a.id)).toMatchObject({ action: "portal_user.invited", customerId: customer.id });

    await redeemAccountToken(staffToken, "invite", { password: "new staff password", name: "New" }, now);
    expect(lastEvent(a.id)).toMatchObject({ action: "user.invitation_accepted", actorLabel: "system: auth" });

    await requestPasswordReset(admin.email, now);
    expect(lastEvent(a.id)).toMatchObject({ action: "user.password_reset_requested", entityId: admin.userId });
    await redeemAccountToken(tokenIn(lastMailText(), "reset-password"), "reset", { password: "another new password" }, now);
    expect(lastEvent(a.id)).toMatchObject({ action: "user.password_reset", entityId: admin.userId });

    const second = await signInCookie(admin.email, "another new password");
    await signOut(requestWithCookie(second));
    expect(lastEvent(a.id)).toMatchObject({ action: "user.signed_out", entityId: admin.userId });

    expect(chain(a.id).map((e) => e.action)).toEqual([
      "user.signed_in",
      "user.switched_workspace",
      "mail.queued",
      "staff.invited",
      "mail.queued",
      "portal_user.invited",
      "user.invitation_accepted",
      "mail.queued",
      "user.password_reset_requested",
      "user.password_reset",
      "user.signed_in",
      "user.signed_out",
    ]);
    expect(chain(b.id).map((e) => e.action)).toEqual(["user.switched_workspace", "user.language_changed"]);
    expect(verifyAuditChain(app.db, a.id)).toEqual({ ok: true, checked: 12 });
    expect(verifyAuditChain(app.db, b.id)).toEqual({ ok: true, checked: 2 });
  });

  it("a failed sign-in or a refused invitation appends nothing", async () => {
    const workspace = seedWorkspace(app.db);
    const admin = await seedStaffUser(app.db, workspace.id, "admin");
    const auditor = seedStaff(app.db, workspace.id, "auditor");

    await signIn({ email: admin.email, password: "wrong", ip: null, userAgent: null, previousCookieHeader: null });
    await inviteStaff(auditor, { email: "x@example.test", role: "admin" }, new Date().toISOString()).catch(() => undefined);

    expect(app.db.select().from(auditEvents).all()).toHaveLength(0);
  });
});

describe("verifyAuditChain", () => {
  const T0 = Date.parse("2026-03-02T09:00:00.000Z");

  /** Appends n events to the workspace's chain, as services do, each in its own transaction. */
  function appendEvents(workspaceId: string, n: number) {
    const actor = seedStaff(app.db, workspaceId, "privacy_officer");
    for (let i = 1; i <= n; i++) {
      app.db.transaction(
        (tx) =>
          appendAudit(tx, actor, new Date(T0 + i * 1000).toISOString(), {
            action: "customer.updated",
            entityType: "customer",
            entityId: `c-${i}`,
            data: { field: "city", before: "Utrecht", after: `City ${i}` },
          }),
        { behavior: "immediate" },
      );
    }
    return chain(workspaceId);
  }

  function eventAt(workspaceId: string, seq: number) {
    const row = app.db.select().from(auditEvents).where(and(eq(auditEvents.chainKey, workspaceId), eq(auditEvents.seq, seq))).get();
    if (!row) throw new Error(`no event ${seq}`);
    return row;
  }

  it("is ok on a fresh chain, on an empty chain, and links each event to the one before", () => {
    const workspace = seedWorkspace(app.db);
    expect(verifyAuditChain(app.db, workspace.id)).toEqual({ ok: true, checked: 0 });

    const events = appendEvents(workspace.id, 6);

    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
    for (const e of events) expect(hashAuditEvent(e.prevHash, e)).toBe(e.hash);
    expect(verifyAuditChain(app.db, workspace.id)).toEqual({ ok: true, checked: 6 });
    expect(verifyAuditChain(app.db, null)).toEqual({ ok: true, checked: 0 });
  });

  it.each([
    ["data", `'{"field":"city","before":"Utrecht","after":"Amsterdam"}'`],
    ["action", `'customer.viewed'`],
    ["at", `'2026-03-02T09:00:00.001Z'`],
    ["actor_label", `'someone else'`],
    ["entity_id", `'c-999'`],
  ])("names exactly the edited event when %s is changed", (column, value) => {
    const workspace = seedWorkspace(app.db);
    const other = seedWorkspace(app.db);
    appendEvents(workspace.id, 7);
    appendEvents(other.id, 3);
    const target = eventAt(workspace.id, 4);
    app.db.$client.prepare(`update audit_events set ${column} = ${value} where id = ?`).run(target.id);

    expect(verifyAuditChain(app.db, workspace.id)).toEqual({ ok: false, checked: 3, firstBroken: { id: target.id, seq: 4, reason: "hash_mismatch" } });
    // the other workspace's chain is untouched
    expect(verifyAuditChain(app.db, other.id)).toEqual({ ok: true, checked: 3 });
  });

  it("an edit whose hash was recomputed breaks the link to the next event", () => {
    const workspace = seedWorkspace(app.db);
    appendEvents(workspace.id, 5);
    const target = eventAt(workspace.id, 2);
    const forged = { ...target, data: JSON.stringify({ field: "city", before: "Utrecht", after: "Forged" }) };
    app.db.update(auditEvents).set({ data: forged.data, hash: hashAuditEvent(forged.prevHash, forged) }).where(eq(auditEvents.id, target.id)).run();

    const next = eventAt(workspace.id, 3);
    expect(verifyAuditChain(app.db, workspace.id)).toEqual({ ok: false, checked: 2, firstBroken: { id: next.id, seq: 3, reason: "prev_hash_mismatch" } });
  });

  it("deleting an event in the middle is a sequence gap at the event after it", () => {
    const workspace = seedWorkspace(app.db);
    appendEvents(workspace.id, 6);
    app.db.$client.prepare("delete from audit_events where chain_key = ? and seq = 3").run(workspace.id);

    const after = eventAt(workspace.id, 4);
    expect(verifyAuditChain(app.db, workspace.id)).toEqual({ ok: false, checked: 2, firstBroken: { id: after.id, seq: 4, reason: "sequence_gap" } });
  });

  it("deleting the first event is a sequence gap at seq 2", () => {
    const workspace = seedWorkspace(app.db);
    appendEvents(workspace.id, 3);
    app.db.$client.prepare("delete from audit_events where chain_key = ? and seq = 1").run(workspace.id);

    expect(verifyAuditChain(app.db, workspace.id)).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 2, reason: "sequence_gap" } });
  });

  it("verifies a chain longer than one read page (5,000 events)", () => {
    const workspace = seedWorkspace(app.db);
    appendEvents(workspace.id, 1);
    // the rest written the way appendAudit writes them, in one statement loop (appendAudit itself is tested above)
    const insert = app.db.$client.prepare(
      `insert into audit_events (chain_key, seq, workspace_id, actor_user_id, actor_label, action, entity_type, entity_id, customer_id, at, data, prev_hash, hash)
       values (@chainKey, @seq, @workspaceId, @actorUserId, @actorLabel, @action, @entityType, @entityId, @customerId, @at, @data, @prevHash, @hash)`,
    );
    let prevHash = eventAt(workspace.id, 1).hash;
    app.db.$client.transaction(() => {
      for (let seq = 2; seq <= 5_003; seq++) {
        const fields = {
          chainKey: workspace.id,
          seq,
          workspaceId: workspace.id,
          actorUserId: null,
          actorLabel: "system: bulk",
          action: "bulk.event",
          entityType: "test",
          entityId: String(seq),
          customerId: null,
          at: new Date(T0 + seq).toISOString(),
          data: "{}",
        };
        const hash = hashAuditEvent(prevHash, fields);
        insert.run({ ...fields, prevHash, hash });
        prevHash = hash;
      }
    })();
    expect(verifyAuditChain(app.db, workspace.id)).toEqual({ ok: true, checked: 5_003 });

    const late = eventAt(workspace.id, 5_002);
    app.db.$client.prepare("update audit_events set entity_id = 'x' where id = ?").run(late.id);
    expect(verifyAuditChain(app.db, workspace.id)).toEqual({ ok: false, checked: 5_001, firstBroken: { id: late.id, seq: 5_002, reason: "hash_mismatch" } });
  });
});
