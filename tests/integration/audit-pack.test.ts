import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import { and, asc, eq, isNotNull, or } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { auditEvents, breachNoticeDeliveries, customers, dpas, endOfContractCases, users, workspaces } from "../../db/schema";
import { ensureDemoData } from "../../db/seed/demo-seed";
import { certificateFingerprint, workspaceSigner } from "~/documents/index.server";
import { action as newCustomerAction } from "~/routes/_staff.customers.new";
import { action as packAction, loader as packLoader } from "~/routes/registers.audit-pack[.]zip";
import {
  CERTIFICATE_PATH,
  MANIFEST_PATH,
  PACK_FORMATS,
  SIGNATURE_PATH,
  streamAuditPack,
  VERIFY_PATH,
  type AuditPackManifest,
} from "~/services/audit-pack.server";
import { createAuditorLink, openAuditorLink } from "~/services/auditor-links.server";
import { newId } from "~/services/ids.server";
import { requireRegisterAccess, type RegisterAccess } from "~/services/register-access.server";
import { REGISTER_KEYS } from "~/services/registers/index.server";
import { cookiePair, requestWithCookie, setupTestApp, signInCookie } from "../helpers/app";
import { seedStaff } from "../helpers/db";

const run = promisify(execFile);
// the demo data (five workspaces with sealed DPAs and sent breach letters) is seeded once for the file
const app = setupTestApp({ scope: "file" });
const CONTEXT = { cspNonce: "test", clientIp: "192.0.2.1" };

let workspace: typeof workspaces.$inferSelect;
let scratch: string;

async function readAll(stream: Readable | ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

type Entry = { name: string; bytes: Buffer };

/** Every entry of the ZIP, in order, through yauzl (which checks each entry's CRC-32 too). */
function unzip(zip: Buffer): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error("no zip"));
      const entries: Entry[] = [];
      file.on("entry", (entry: yauzl.Entry) => {
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error("no stream"));
          readAll(stream).then((bytes) => {
            entries.push({ name: entry.fileName, bytes });
            file.readEntry();
          }, reject);
        });
      });
      file.on("end", () => resolve(entries));
      file.on("error", reject);
      file.readEntry();
    });
  });
}

/** The Amsterdam calendar day of an instant. */
function amsterdamDay(iso: string): string {
  return Temporal.Instant.from(iso).toZonedDateTimeISO("Europe/Amsterdam").toPlainDate().toString();
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function staffAccess(role: "admin" | "auditor" = "auditor"): Promise<RegisterAccess> {
  const actor = seedStaff(app.db, workspace.id, role);
  return { actor, workspace, via: "staff" };
}

async function pack(access: RegisterAccess, now = new Date().toISOString()) {
  const result = await streamAuditPack(access, { now, locale: "nl" });
  const zip = await readAll(result.stream);
  const entries = await unzip(zip);
  const manifestEntry = entries.find((e) => e.name === MANIFEST_PATH);
  if (!manifestEntry) throw new Error("no manifest in the pack");
  const manifest = JSON.parse(manifestEntry.bytes.toString("utf8")) as AuditPackManifest;
  return { zip, entries, manifest, manifestBytes: manifestEntry.bytes, filename: result.filename, expectedFiles: result.expectedFiles };
}

/** Writes the entries into a fresh folder, as an auditor's unzip would. */
function extract(entries: Entry[]): string {
  const dir = mkdtempSync(path.join(scratch, "pack-"));
  for (const e of entries) {
    mkdirSync(path.dirname(path.join(dir, e.name)), { recursive: true });
    writeFileSync(path.join(dir, e.name), e.bytes);
  }
  return dir;
}

async function opensslVerify(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", SIGNATURE_PATH, "-content", MANIFEST_PATH, "-noverify", "-out", "/dev/null"], { cwd: dir });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

beforeAll(async () => {
  await ensureDemoData(app.db, new Date());
  workspace = app.db.select().from(workspaces).where(eq(workspaces.slug, "leadcube")).get()!;
  scratch = mkdtempSync(path.join(tmpdir(), "audit-pack-test-"));

  // a customer-paper DPA and a deletion certificate, so every kind of signed document is present
  const [first, second] = app.db.select().from(customers).where(eq(customers.workspaceId, workspace.id)).orderBy(asc(customers.nameKey)).limit(2).all();
  const someDpa = app.db.select().from(dpas).where(eq(dpas.workspaceId, workspace.id)).get()!;
  const paper = Buffer.from("%PDF-1.4\n% customer paper signed on paper\n%%EOF\n");
  writeFileSync(path.join(app.dir, "paper.pdf"), paper);
  app.db
    .insert(dpas)
    .values({ ...someDpa, id: newId(), customerId: first.id, kind: "customer_paper", state: "in_force", pdfPath: null, pdfSha256: null, uploadPath: "paper.pdf", uploadSha256: sha256(paper), uploadFilename: "getekend.pdf", inForceAt: "2026-02-01T09:00:00.000Z" })
    .run();
  const certificate = Buffer.from("%PDF-1.4\n% deletion certificate\n%%EOF\n");
  writeFileSync(path.join(app.dir, "certificate.pdf"), certificate);
  app.db
    .insert(endOfContractCases)
    .values({
      id: newId(),
      workspaceId: workspace.id,
      customerId: second.id,
      reference: "EC-TEST-0001",
      kind: "termination",
      noticeGivenBy: "customer",
      noticeReceivedOn: "2026-01-10",
      computedEndDate: "2026-04-30",
      endDate: "2026-04-30",
      status: "closed",
      defaultChoice: "delete",
      createdAt: "2026-01-10T10:00:00.000Z",
      updatedAt: "2026-05-20T10:00:00.000Z",
      certificatePath: "certificate.pdf",
      certificateSha256: sha256(certificate),
      certificateIssuedAt: "2026-05-20T10:00:00.000Z",
    })
    .run();
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("the audit pack", () => {
  it("holds every register in CSV, JSON and XLSX and every signed PDF, each listed with its size and SHA-256", async () => {
    const access = await staffAccess();
    const { entries, manifest, expectedFiles, filename } = await pack(access);

    expect(filename).toMatch(/^audit-pack-leadcube-\d{4}-\d{2}-\d{2}\.zip$/);
    // the manifest and its signature are the last two entries
    expect(entries.slice(-2).map((e) => e.name)).toEqual([MANIFEST_PATH, SIGNATURE_PATH]);
    const listed = entries.slice(0, -2);
    expect(manifest.files.map((f) => f.path)).toEqual(listed.map((e) => e.name));
    for (const entry of listed) {
      const file = manifest.files.find((f) => f.path === entry.name)!;
      expect({ path: entry.name, size: entry.bytes.length, sha256: sha256(entry.bytes) }).toEqual({ path: file.path, size: file.size, sha256: file.sha256 });
    }
    expect(manifest.totals).toEqual({ files: listed.length, bytes: listed.reduce((n, e) => n + e.bytes.length, 0) });
    expect(listed.length + 2).toBe(expectedFiles);

    // every register in every pack format, none as PDF
    for (const register of REGISTER_KEYS) {
      for (const format of PACK_FORMATS) expect(manifest.files.some((f) => f.path === `registers/${register}.${format}`)).toBe(true);
    }
    expect(manifest.files.some((f) => f.kind === "register" && f.format === "pdf")).toBe(false);
    const dpasJson = JSON.parse(listed.find((e) => e.name === "registers/dpas.json")!.bytes.toString("utf8")) as unknown;
    expect(dpasJson).toBeTruthy();
    expect(listed.find((e) => e.name === "registers/dpas.xlsx")!.bytes.subarray(0, 2).toString()).toBe("PK");

    // every signed document of the workspace: sealed and paper DPAs, letters, certificates
    const documentIds = new Set(manifest.files.flatMap((f) => (f.entity ? [f.entity.id] : [])));
    const signedDpas = app.db.select({ id: dpas.id }).from(dpas).where(and(eq(dpas.workspaceId, workspace.id), or(isNotNull(dpas.pdfPath), isNotNull(dpas.uploadPath)))).all();
    const letters = app.db.select({ id: breachNoticeDeliveries.id }).from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.workspaceId, workspace.id)).all();
    const certificates = app.db.select({ id: endOfContractCases.id }).from(endOfContractCases).where(and(eq(endOfContractCases.workspaceId, workspace.id), isNotNull(endOfContractCases.certificatePath))).all();
    expect(signedDpas.length).toBeGreaterThan(1);
    expect(letters.length).toBeGreaterThan(0);
    expect(certificates.length).toBeGreaterThan(0);
    for (const { id } of [...signedDpas, ...letters, ...certificates]) expect(documentIds.has(id)).toBe(true);
    const kinds = new Set(manifest.files.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(["breach_letter", "deletion_certificate", "dpa", "dpa_customer_paper", "register", "verification"]);
    for (const f of manifest.files.filter((f) => f.kind !== "register" && f.kind !== "verification")) {
      expect(listed.find((e) => e.name === f.path)!.bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect(f.matchesRecorded).toBe(true);
    }
    expect(manifest.missing).toEqual([]);
    // no other workspace's documents
    const otherCustomerIds = new Set(app.db.select({ id: customers.id }).from(customers).where(eq(customers.workspaceId, workspace.id)).all().map((c) => c.id));
    for (const f of manifest.files) if (f.entity?.customerId) expect(otherCustomerIds.has(f.entity.customerId)).toBe(true);
  });

  it("names the workspace, the actor, the time and the signer's certificate, and its signature verifies with openssl; a flipped byte does not", async () => {
    const access = await staffAccess();
    const now = new Date().toISOString();
    const { entries, manifest, manifestBytes } = await pack(access, now);
    const signer = await workspaceSigner(workspace, app.config);
    expect(manifest).toMatchObject({
      format: "dpadesk-audit-pack/1",
      generatedAt: now,
      workspace: { id: workspace.id, slug: "leadcube", legalName: workspace.legalName },
      actor: { kind: "staff", userId: access.actor.kind === "staff" ? access.actor.userId : "", role: "auditor" },
      hashAlgorithm: "SHA-256",
      signature: { path: SIGNATURE_PATH, covers: MANIFEST_PATH },
    });
    expect(manifest.signer.fingerprintSha256).toBe(certificateFingerprint(signer.p12, signer.passphrase));

    const dir = extract(entries);
    const good = await opensslVerify(dir);
    expect(good.output).toContain("Verification successful");
    expect(good.ok).toBe(true);

    // the certificate in the signature is the one the manifest names
    const { stdout: certs } = await run("sh", ["-c", `openssl pkcs7 -inform DER -in ${SIGNATURE_PATH} -print_certs | openssl x509 -noout -fingerprint -sha256`], { cwd: dir });
    expect(certs.trim().toUpperCase()).toContain(manifest.signer.fingerprintSha256);
    expect(readFileSync(path.join(dir, CERTIFICATE_PATH), "utf8")).toContain("BEGIN CERTIFICATE");

    // the VERIFY text's own file check passes as written
    const verifyText = readFileSync(path.join(dir, VERIFY_PATH), "utf8");
    expect(verifyText).toContain("openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -noverify");
    expect(verifyText).toContain("=== Nederlands ===");
    expect(verifyText).toContain("=== English ===");
    const { stdout: sums } = await run("sh", ["-c", `jq -r '.files[] | "\\(.sha256)  \\(.path)"' ${MANIFEST_PATH} | sha256sum -c -`], { cwd: dir });
    expect(sums.trim().split("\n")).toHaveLength(manifest.files.length);
    expect(sums).not.toContain("FAILED");

    // one flipped byte in the manifest breaks the signature
    const tampered = Buffer.from(manifestBytes);
    const at = tampered.indexOf(Buffer.from(manifest.files[3].sha256)) + 5;
    tampered[at] = tampered[at] === 0x61 ? 0x62 : 0x61;
    writeFileSync(path.join(dir, MANIFEST_PATH), tampered);
    const bad = await opensslVerify(dir);
    expect(bad.ok).toBe(false);
    expect(bad.output).toMatch(/verification failure|digest failure/i);

    // and a flipped byte in a file no longer matches the (intact) manifest
    writeFileSync(path.join(dir, MANIFEST_PATH), manifestBytes);
    const victim = path.join(dir, manifest.files.find((f) => f.kind === "dpa")!.path);
    const bytes = readFileSync(victim);
    bytes[100] ^= 0x01;
    writeFileSync(victim, bytes);
    await expect(run("sh", ["-c", `jq -r '.files[] | "\\(.sha256)  \\(.path)"' ${MANIFEST_PATH} | sha256sum -c --quiet -`], { cwd: dir })).rejects.toMatchObject({ stdout: expect.stringContaining("FAILED") });
  });

  it("writes one audit event per pack with the manifest's SHA-256", async () => {
    const access = await staffAccess();
    const before = app.db.select().from(auditEvents).where(eq(auditEvents.action, "audit_pack.generated")).all().length;
    const { manifest, manifestBytes } = await pack(access);
    const events = app.db.select().from(auditEvents).where(eq(auditEvents.action, "audit_pack.generated")).orderBy(asc(auditEvents.seq)).all();
    expect(events).toHaveLength(before + 1);
    const event = events[events.length - 1];
    expect(event.workspaceId).toBe(workspace.id);
    expect(event.actorUserId).toBe(access.actor.kind === "staff" ? access.actor.userId : null);
    expect(JSON.parse(event.data)).toMatchObject({ manifestSha256: sha256(manifestBytes), files: manifest.totals.files, bytes: manifest.totals.bytes, missing: 0 });
    // the register exports inside the pack do not each write their own event
    expect(app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "register.exported"), eq(auditEvents.seq, event.seq - 1))).all()).toHaveLength(0);
  });

  it("reports a document whose file changed since it was made, and one whose file is gone", async () => {
    const access = await staffAccess();
    const certificate = path.join(app.dir, "certificate.pdf");
    const original = readFileSync(certificate);
    const paper = path.join(app.dir, "paper.pdf");
    const paperBytes = readFileSync(paper);
    try {
      writeFileSync(certificate, Buffer.concat([original, Buffer.from("% appended later\n")]));
      rmSync(paper);
      const { manifest } = await pack(access);
      expect(manifest.files.find((f) => f.entity?.reference === "EC-TEST-0001")).toMatchObject({ matchesRecorded: false, recordedSha256: sha256(original) });
      expect(manifest.missing).toEqual([expect.objectContaining({ kind: "dpa_customer_paper", storedPath: "paper.pdf", reason: "file_not_found" })]);
    } finally {
      writeFileSync(certificate, original);
      writeFileSync(paper, paperBytes);
    }
  });

  it("stops and logs when the download is abandoned", async () => {
    const access = await staffAccess();
    const result = await streamAuditPack(access, { now: new Date().toISOString(), locale: "nl" });
    await new Promise<void>((resolve) => result.stream.once("data", () => resolve()));
    result.stream.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const aborted = app.db.select().from(auditEvents).where(eq(auditEvents.action, "audit_pack.aborted")).all();
    expect(aborted.length).toBeGreaterThan(0);
    expect(aborted[aborted.length - 1].workspaceId).toBe(workspace.id);
  });
});

describe("the audit pack through an auditor link", () => {
  async function linkCookie(overrides: { registers?: string[]; fromDate?: string | null; toDate?: string | null }) {
    const admin = seedStaff(app.db, workspace.id, "admin");
    const now = new Date().toISOString();
    const expiresOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const created = await createAuditorLink(admin, { label: "AP onderzoek", expiresOn, registers: overrides.registers ?? [], fromDate: overrides.fromDate ?? null, toDate: overrides.toDate ?? null }, now);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const token = created.url.split("/audit/")[1];
    const opened = await openAuditorLink(requestWithCookie(null, `/audit/${token}`), token, now);
    if (!opened.ok) throw new Error(opened.reason);
    return { cookie: cookiePair(opened.setCookie), linkId: created.id };
  }

  it("keeps to the link's registers and date range, for register files and documents alike", async () => {
    const letters = app.db.select({ id: breachNoticeDeliveries.id, sentAt: breachNoticeDeliveries.sentAt }).from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.workspaceId, workspace.id)).orderBy(asc(breachNoticeDeliveries.sentAt)).all();
    expect(letters.length).toBeGreaterThan(1);
    // a range that holds the first letter's day but not the last letter's (Amsterdam days)
    const firstDay = amsterdamDay(letters[0].sentAt);
    const lastDay = amsterdamDay(letters[letters.length - 1].sentAt);
    expect(firstDay < lastDay).toBe(true);
    const { cookie } = await linkCookie({ registers: ["breaches"], fromDate: firstDay, toDate: firstDay });
    const access = await requireRegisterAccess(requestWithCookie(cookie, "/registers/audit-pack.zip"));
    expect(access.via).toBe("auditor_link");
    const { entries, manifest } = await pack(access);

    expect(manifest.actor).toMatchObject({ kind: "auditor_link", label: "auditor link: AP onderzoek" });
    expect(manifest.scope).toEqual({ registers: ["breaches"], from: firstDay, to: firstDay });
    expect(manifest.files.filter((f) => f.kind === "register").map((f) => f.path)).toEqual(PACK_FORMATS.map((f) => `registers/breaches.${f}`));
    expect(manifest.files.some((f) => f.kind === "dpa" || f.kind === "dpa_customer_paper" || f.kind === "deletion_certificate")).toBe(false);
    const packedLetters = manifest.files.filter((f) => f.kind === "breach_letter");
    expect(packedLetters.length).toBeGreaterThan(0);
    for (const f of packedLetters) expect(amsterdamDay(f.entity!.date!)).toBe(firstDay);
    expect(packedLetters.some((f) => f.entity!.id === letters[letters.length - 1].id)).toBe(false);
    // the register rows keep to the range too (the registers service applies the link's range to the discovery moment)
    const rows = JSON.parse(entries.find((e) => e.name === "registers/breaches.json")!.bytes.toString("utf8")) as { discoveredAt: string }[];
    for (const row of rows) expect(amsterdamDay(row.discoveredAt)).toBe(firstDay);
    const full = await pack(await staffAccess());
    const allRows = JSON.parse(full.entries.find((e) => e.name === "registers/breaches.json")!.bytes.toString("utf8")) as unknown[];
    expect(rows.length).toBeLessThan(allRows.length);
  });

  it("a staff member can limit the pack to a period with from/to, like the register pages", async () => {
    const letters = app.db.select({ sentAt: breachNoticeDeliveries.sentAt }).from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.workspaceId, workspace.id)).orderBy(asc(breachNoticeDeliveries.sentAt)).all();
    const day = amsterdamDay(letters[0].sentAt);
    const result = await streamAuditPack(await staffAccess(), { now: new Date().toISOString(), locale: "en", filters: new URLSearchParams({ from: day, to: day }) });
    const entries = await unzip(await readAll(result.stream));
    const manifest = JSON.parse(entries.find((e) => e.name === MANIFEST_PATH)!.bytes.toString("utf8")) as AuditPackManifest;
    expect(manifest.scope).toMatchObject({ from: day, to: day });
    expect(manifest.scope.registers).toEqual([...REGISTER_KEYS]);
    const dated = manifest.files.filter((f) => f.entity?.date);
    expect(dated.length).toBeGreaterThan(0);
    for (const f of dated) expect(amsterdamDay(f.entity!.date!)).toBe(day);
    expect(entries.length).toBe(result.expectedFiles);
  });

  it("streams through the route with download headers; an auditor link's POST is refused and every use is logged", async () => {
    const { cookie, linkId } = await linkCookie({ registers: ["dpas"] });
    const response = (await packLoader({ request: requestWithCookie(cookie, "/registers/audit-pack.zip"), params: {}, context: CONTEXT })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="audit-pack-leadcube-\d{4}-\d{2}-\d{2}\.zip"/);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(response.headers.get("Content-Length")).toBeNull();
    const entries = await unzip(await readAll(response.body!));
    const manifest = JSON.parse(entries.find((e) => e.name === MANIFEST_PATH)!.bytes.toString("utf8")) as AuditPackManifest;
    expect(manifest.scope.registers).toEqual(["dpas"]);
    expect(Number(response.headers.get("X-Audit-Pack-Files"))).toBe(entries.length);

    const post = await packAction({ request: requestWithCookie(cookie, "/registers/audit-pack.zip", { method: "POST", body: "x" }), params: {}, context: CONTEXT }).catch((e: unknown) => e as Response);
    expect((post as Response).status).toBe(403);

    const uses = app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "auditor_link.used"), eq(auditEvents.entityId, linkId))).orderBy(asc(auditEvents.seq)).all();
    expect(uses.map((u) => (JSON.parse(u.data) as { method: string; path: string }).method + " " + (JSON.parse(u.data) as { path: string }).path)).toEqual([
      "GET /audit/[token]",
      "GET /registers/audit-pack.zip",
      "POST /registers/audit-pack.zip",
    ]);
    const generated = app.db.select().from(auditEvents).where(eq(auditEvents.action, "audit_pack.generated")).orderBy(asc(auditEvents.seq)).all().at(-1)!;
    expect(generated.actorLabel).toBe("auditor link: AP onderzoek");
  });

  it("a signed-in auditor (staff role) downloads the pack but cannot write: POST gets 405, and writes elsewhere 403", async () => {
    const auditor = app.db.select().from(users).where(eq(users.email, "auditor@leadcube.example")).get()!;
    const cookie = await signInCookie(auditor.email, "dpadesk-demo");
    const response = (await packLoader({ request: requestWithCookie(cookie, "/registers/audit-pack.zip"), params: {}, context: CONTEXT })) as Response;
    expect(response.status).toBe(200);
    const entries = await unzip(await readAll(response.body!));
    expect(entries.at(-1)!.name).toBe(SIGNATURE_PATH);
    const post = (await packAction({ request: requestWithCookie(cookie, "/registers/audit-pack.zip", { method: "POST", body: "x" }), params: {}, context: CONTEXT })) as Response;
    expect(post.status).toBe(405);
    const form = new URLSearchParams({ name: "Nieuwe klant B.V." });
    const write = await newCustomerAction({
      request: requestWithCookie(cookie, "/customers/new", { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
      params: {},
      context: CONTEXT,
    }).catch((e: unknown) => e as Response);
    expect((write as Response).status).toBe(403);
  });
});
