/**
 * The audit pack (issue #7): one ZIP, streamed, with
 *   registers/<register>.<csv|json|xlsx>   every register the actor may read, in the actor's scope
 *   documents/dpas/…                       every sealed DPA PDF and uploaded customer-paper DPA
 *   documents/breach-letters/…             every signed breach notice letter
 *   documents/deletion-certificates/…      every signed deletion certificate
 *   LEESMIJ-VERIFY.txt, signer-certificate.pem
 *   manifest.json                          path, size and SHA-256 of every file above, the workspace,
 *                                          the actor, the scope, the time and the signer's certificate
 *   manifest.json.p7s                      detached CMS (PKCS#7) signature of manifest.json, in DER,
 *                                          made with the workspace's signing certificate
 * Nothing is held in memory whole: each entry is read from its source stream once, hashed on the
 * way into the ZIP (yazl), and only its path/size/hash is kept for the manifest, which is written
 * (with its signature) as the last entries. Register PDFs are not included: they are a print view
 * of the same rows, rendered in memory, and not signed evidence (see ADR 007).
 * An auditor link's date range also limits the documents (by date signed, sent or issued), and a
 * link limited to some registers gets only the documents that belong to those registers.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { type PassThrough, type Readable, Transform } from "node:stream";
import { and, asc, eq, gt, gte, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { ZipFile } from "yazl";
import type { Db } from "../../db/client";
import { breachNoticeDeliveries, breachNotices, breaches, customers, dpas, endOfContractCases } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { certificateChainPem, certificateInfo, signDetached, workspaceSigner, type CertificateInfo } from "~/documents/index.server";
import { actorLabel } from "~/domain/permissions";
import { endOfAmsterdamDay, startOfAmsterdamDay, toIsoInstant } from "~/domain/time";
import { appendAudit } from "./audit.server";
import { letterPdfFile } from "./breach-notices.server";
import { forbidden } from "./http.server";
import type { Locale } from "~/i18n/i18n";
import { mayReadRegister, type RegisterAccess, type RegisterActor } from "./register-access.server";
import {
  REGISTER_KEYS,
  RegisterExportRefused,
  effectiveRange,
  streamRegisterExport,
  type DateRange,
  type ExportFormat,
  type RegisterExport,
  type RegisterFilterInput,
} from "./registers/index.server";

export const MANIFEST_FORMAT = "dpadesk-audit-pack/1";
export const MANIFEST_PATH = "manifest.json";
export const SIGNATURE_PATH = "manifest.json.p7s";
export const VERIFY_PATH = "LEESMIJ-VERIFY.txt";
export const CERTIFICATE_PATH = "signer-certificate.pem";

const PAGE_SIZE = 200;

export type ManifestFile = {
  path: string;
  size: number;
  sha256: string;
  kind: "register" | "dpa" | "dpa_customer_paper" | "breach_letter" | "deletion_certificate" | "verification";
  register?: string;
  format?: string;
  /** the row the document belongs to */
  entity?: { type: string; id: string; customerId?: string; reference?: string; date?: string | null };
  /** the SHA-256 DPA Desk recorded when the document was made, and whether the file still matches it */
  recordedSha256?: string | null;
  matchesRecorded?: boolean | null;
};

export type MissingDocument = { kind: ManifestFile["kind"]; entity: { type: string; id: string }; storedPath: string | null; reason: string };

export type OmittedExport = { register: string; format: string; reason: string; rows: number; limit: number };

export type AuditPackManifest = {
  format: typeof MANIFEST_FORMAT;
  generatedAt: string;
  workspace: { id: string; slug: string; legalName: string; tradeName: string };
  actor: { kind: RegisterActor["kind"]; label: string; userId?: string; role?: string; linkId?: string };
  scope: { registers: string[]; from: string | null; to: string | null };
  signer: CertificateInfo & { source: "configured" | "self-signed" };
  hashAlgorithm: "SHA-256";
  signature: { path: string; format: "CMS/PKCS#7 detached, DER"; covers: string };
  files: ManifestFile[];
  missing: MissingDocument[];
  /** register exports left out, e.g. an XLSX over the spreadsheet row limit (the CSV and JSON hold the rows) */
  omitted: OmittedExport[];
  totals: { files: number; bytes: number };
};

// ----- the registers -------------------------------------------------------------------------------

/** The register formats in the pack: the data in three readable forms. Register PDFs stay out (ADR 007). */
export const PACK_FORMATS = ["csv", "json", "xlsx"] as const satisfies readonly ExportFormat[];


// ----- the documents --------------------------------------------------------------------------------

type DocumentSource = {
  kind: ManifestFile["kind"];
  path: string;
  absolutePath: string | null;
  storedPath: string | null;
  entity: NonNullable<ManifestFile["entity"]>;
  recordedSha256: string | null;
  /** why the document has no file (e.g. its letter could not be rendered) */
  failure?: string;
};

/** ASCII file-name part: "Bakkerij Jansen B.V." → "Bakkerij-Jansen-B.V". */
function namePart(value: string, max = 60): string {
  const ascii = value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return ascii.slice(0, max) || "x";
}

type InstantRange = { from: string | null; toExclusive: string | null };

/** The instants of a range of whole Amsterdam days ([from 00:00, the day after `to` 00:00)). */
function instantRange(range: DateRange): InstantRange {
  return {
    from: range.from ? toIsoInstant(startOfAmsterdamDay(Temporal.PlainDate.from(range.from))) : null,
    toExclusive: range.to ? toIsoInstant(endOfAmsterdamDay(Temporal.PlainDate.from(range.to))) : null,
  };
}

function inRange(column: SQL | Parameters<typeof gte>[0], range: InstantRange): SQL | undefined {
  return and(range.from ? gte(column, range.from) : undefined, range.toExclusive ? lt(column, range.toExclusive) : undefined);
}

/** Which register each kind of document belongs to (a link limited to registers gets only their documents). */
export const DOCUMENT_REGISTERS: Record<"dpa" | "breach_letter" | "deletion_certificate", string> = {
  dpa: "dpas",
  breach_letter: "breaches",
  deletion_certificate: "end-of-contract",
};

async function* dpaDocuments(db: Db, actor: RegisterActor, range: InstantRange): AsyncGenerator<DocumentSource> {
  const dataDir = getConfig().dataDir;
  const signedOn = sql`coalesce(${dpas.inForceAt}, ${dpas.countersignedAt}, ${dpas.createdAt})`;
  let after = "";
  for (;;) {
    const page = db
      .select({ dpa: dpas, customerName: customers.name })
      .from(dpas)
      .innerJoin(customers, eq(customers.id, dpas.customerId))
      .where(and(eq(dpas.workspaceId, actor.workspaceId), or(isNotNull(dpas.pdfPath), isNotNull(dpas.uploadPath)), gt(dpas.id, after), inRange(signedOn, range)))
      .orderBy(asc(dpas.id))
      .limit(PAGE_SIZE)
      .all();
    if (page.length === 0) return;
    for (const { dpa, customerName } of page) {
      const sealed = Boolean(dpa.pdfPath);
      const stored = dpa.pdfPath ?? dpa.uploadPath;
      const date = (dpa.inForceAt ?? dpa.countersignedAt ?? dpa.createdAt).slice(0, 10);
      yield {
        kind: sealed ? "dpa" : "dpa_customer_paper",
        path: `documents/dpas/${namePart(customerName)}_${date}_${sealed ? "" : "customer-paper_"}${dpa.id.slice(0, 8)}.pdf`,
        absolutePath: stored ? path.join(dataDir, stored) : null,
        storedPath: stored,
        entity: { type: "dpa", id: dpa.id, customerId: dpa.customerId, reference: dpa.versionLabel, date: dpa.inForceAt ?? dpa.countersignedAt },
        recordedSha256: sealed ? dpa.pdfSha256 : dpa.uploadSha256,
      };
    }
    after = page[page.length - 1].dpa.id;
  }
}

async function* letterDocuments(db: Db, actor: RegisterActor, range: InstantRange): AsyncGenerator<DocumentSource> {
  let after = "";
  for (;;) {
    const page = db
      .select({ delivery: breachNoticeDeliveries, reference: breaches.reference, sequence: breachNotices.sequence, customerName: customers.name })
      .from(breachNoticeDeliveries)
      .innerJoin(breaches, eq(breaches.id, breachNoticeDeliveries.breachId))
      .innerJoin(breachNotices, eq(breachNotices.id, breachNoticeDeliveries.noticeId))
      .innerJoin(customers, eq(customers.id, breachNoticeDeliveries.customerId))
      .where(and(eq(breachNoticeDeliveries.workspaceId, actor.workspaceId), gt(breachNoticeDeliveries.id, after), inRange(breachNoticeDeliveries.sentAt, range)))
      .orderBy(asc(breachNoticeDeliveries.id))
      .limit(PAGE_SIZE)
      .all();
    if (page.length === 0) return;
    for (const row of page) {
      const base = {
        kind: "breach_letter" as const,
        path: `documents/breach-letters/${namePart(row.reference)}_${row.sequence}_${namePart(row.customerName)}_${row.delivery.id.slice(0, 8)}.pdf`,
        storedPath: row.delivery.pdfPath,
        entity: { type: "breach_notice_delivery", id: row.delivery.id, customerId: row.delivery.customerId, reference: row.reference, date: row.delivery.sentAt },
      };
      try {
        // a letter sent without a PDF (demo data) gets its signed PDF made now, as a download would
        const file = await letterPdfFile(db, row.delivery);
        const recorded = row.delivery.pdfSha256 ?? db.select({ sha: breachNoticeDeliveries.pdfSha256 }).from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.id, row.delivery.id)).get()?.sha ?? null;
        yield { ...base, absolutePath: file.absolutePath, recordedSha256: recorded };
      } catch (error) {
        yield { ...base, absolutePath: null, recordedSha256: row.delivery.pdfSha256, failure: `render_failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300) };
      }
    }
    after = page[page.length - 1].delivery.id;
  }
}

async function* certificateDocuments(db: Db, actor: RegisterActor, range: InstantRange): AsyncGenerator<DocumentSource> {
  const dataDir = getConfig().dataDir;
  let after = "";
  for (;;) {
    const page = db
      .select({ eoc: endOfContractCases, customerName: customers.name })
      .from(endOfContractCases)
      .innerJoin(customers, eq(customers.id, endOfContractCases.customerId))
      .where(
        and(
          eq(endOfContractCases.workspaceId, actor.workspaceId),
          isNotNull(endOfContractCases.certificatePath),
          gt(endOfContractCases.id, after),
          inRange(sql`coalesce(${endOfContractCases.certificateIssuedAt}, ${endOfContractCases.updatedAt})`, range),
        ),
      )
      .orderBy(asc(endOfContractCases.id))
      .limit(PAGE_SIZE)
      .all();
    if (page.length === 0) return;
    for (const { eoc, customerName } of page) {
      yield {
        kind: "deletion_certificate",
        path: `documents/deletion-certificates/${namePart(eoc.reference)}_${namePart(customerName)}.pdf`,
        absolutePath: eoc.certificatePath ? path.join(dataDir, eoc.certificatePath) : null,
        storedPath: eoc.certificatePath,
        entity: { type: "end_of_contract_case", id: eoc.id, customerId: eoc.customerId, reference: eoc.reference, date: eoc.certificateIssuedAt },
        recordedSha256: eoc.certificateSha256,
      };
    }
    after = page[page.length - 1].eoc.id;
  }
}

/** Every signed document the actor may see, one kind after another, a page of rows at a time. */
export async function* packDocuments(db: Db, actor: RegisterActor, dates: DateRange): AsyncGenerator<DocumentSource> {
  const range = instantRange(dates);
  if (mayReadRegister(actor, DOCUMENT_REGISTERS.dpa)) yield* dpaDocuments(db, actor, range);
  if (mayReadRegister(actor, DOCUMENT_REGISTERS.breach_letter)) yield* letterDocuments(db, actor, range);
  if (mayReadRegister(actor, DOCUMENT_REGISTERS.deletion_certificate)) yield* certificateDocuments(db, actor, range);
}

// ----- the ZIP --------------------------------------------------------------------------------------

/** Adds one streamed entry and resolves with its size and SHA-256 once yazl has read all of it. */
function addHashedEntry(
  zip: ZipFile,
  entryPath: string,
  open: () => Promise<Readable>,
  options: { mtime: Date; compress: boolean },
  signal: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    let size = 0;
    let source: Readable | undefined;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const fail = (error: Error) => {
      signal.removeEventListener("abort", onAbort);
      source?.destroy();
      tap.destroy();
      reject(error);
    };
    const onAbort = () => fail(new Error("audit pack download aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    tap.on("end", () => {
      signal.removeEventListener("abort", onAbort);
      resolve({ size, sha256: hash.digest("hex") });
    });
    tap.on("error", fail);
    zip.addReadStreamLazy(entryPath, { mtime: options.mtime, compress: options.compress }, (callback) => {
      open().then(
        (stream) => {
          source = stream;
          stream.on("error", fail);
          stream.pipe(tap);
          callback(null, tap);
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  });
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The verification instructions inside the pack, Dutch first, then English. */
export function verifyText(input: { workspace: string; fingerprint: string; generatedAt: string }): string {
  return `DPA Desk audit pack — ${input.workspace} — ${input.generatedAt}
Certificaat / certificate (SHA-256): ${input.fingerprint}

=== Nederlands ===

Dit archief bevat de registers en ondertekende documenten van ${input.workspace}.
${MANIFEST_PATH} noemt van ieder bestand het pad, de grootte en de SHA-256-hash.
${SIGNATURE_PATH} is een losse (detached) CMS/PKCS#7-handtekening (DER) over ${MANIFEST_PATH},
gezet met het ondertekeningscertificaat van de organisatie (hetzelfde als op de PDF's).

Controleren (OpenSSL 1.1 of nieuwer, jq en sha256sum), in de uitgepakte map:

1. De handtekening van het manifest:
   openssl cms -verify -binary -inform DER -in ${SIGNATURE_PATH} -content ${MANIFEST_PATH} -noverify -out /dev/null
   Verwacht: "CMS Verification successful". (Windows: -out NUL)
   -noverify slaat alleen de controle van de certificaatketen over; de handtekening zelf wordt wel gecontroleerd.

2. Het certificaat waarmee is ondertekend:
   openssl pkcs7 -inform DER -in ${SIGNATURE_PATH} -print_certs | openssl x509 -noout -fingerprint -sha256
   De vingerafdruk moet gelijk zijn aan bovenstaande, aan "signer.fingerprintSha256" in ${MANIFEST_PATH}
   en aan de vingerafdruk die de organisatie u langs een andere weg gaf (bijv. op de bewijspagina van een ondertekende PDF).
   ${CERTIFICATE_PATH} bevat hetzelfde certificaat.

3. Alle bestanden tegen het manifest:
   jq -r '.files[] | "\\(.sha256)  \\(.path)"' ${MANIFEST_PATH} | sha256sum -c -
   Iedere regel moet "OK" geven. Eén gewijzigde byte geeft "FAILED".

"missing" in ${MANIFEST_PATH} noemt documenten die in DPA Desk vastgelegd zijn maar waarvan het bestand ontbrak;
"matchesRecorded": false betekent dat een document niet meer overeenkomt met de hash die bij het maken is vastgelegd.

=== English ===

This archive holds the registers and signed documents of ${input.workspace}.
${MANIFEST_PATH} lists every file's path, size and SHA-256 hash.
${SIGNATURE_PATH} is a detached CMS/PKCS#7 signature (DER) over ${MANIFEST_PATH},
made with the organisation's signing certificate (the same one that signs its PDFs).

To verify (OpenSSL 1.1 or later, jq and sha256sum), in the unpacked folder:

1. The manifest's signature:
   openssl cms -verify -binary -inform DER -in ${SIGNATURE_PATH} -content ${MANIFEST_PATH} -noverify -out /dev/null
   Expect: "CMS Verification successful". (Windows: -out NUL)
   -noverify only skips checking the certificate chain; the signature itself is checked.

2. The certificate that signed it:
   openssl pkcs7 -inform DER -in ${SIGNATURE_PATH} -print_certs | openssl x509 -noout -fingerprint -sha256
   The fingerprint must equal the one above, "signer.fingerprintSha256" in ${MANIFEST_PATH},
   and the fingerprint the organisation gave you through another channel (e.g. on a signed PDF's evidence page).
   ${CERTIFICATE_PATH} holds the same certificate.

3. Every file against the manifest:
   jq -r '.files[] | "\\(.sha256)  \\(.path)"' ${MANIFEST_PATH} | sha256sum -c -
   Every line must say "OK". A single changed byte gives "FAILED".

"missing" in ${MANIFEST_PATH} lists documents recorded in DPA Desk whose file was not found;
"matchesRecorded": false means a document no longer matches the hash recorded when it was made.
`;
}

export type AuditPackOptions = {
  now: string;
  /** the language of the register exports' headers and labels */
  locale: Locale;
  /** from/to ("YYYY-MM-DD", Amsterdam days) to limit the pack to; an auditor link's own range always applies too */
  filters?: RegisterFilterInput;
};

export type AuditPackStream = {
  stream: Readable;
  filename: string;
  /** how many files the pack will hold, counted before it starts (for download progress) */
  expectedFiles: number;
};

function manifestActor(actor: RegisterActor): AuditPackManifest["actor"] {
  return actor.kind === "staff"
    ? { kind: "staff", label: actorLabel(actor), userId: actor.userId, role: actor.role }
    : { kind: "auditor_link", label: actorLabel(actor), linkId: actor.linkId };
}

/**
 * Streams the audit pack for the actor. The caller (the route) has resolved the actor with
 * requireRegisterAccess; reading the stream generates the pack. An "audit_pack.generated" event is
 * written when the manifest is complete (with its SHA-256), or "audit_pack.aborted" when the
 * download stops early.
 */
export async function streamAuditPack(access: RegisterAccess, options: AuditPackOptions): Promise<AuditPackStream> {
  const { actor, workspace } = access;
  if (actor.workspaceId !== workspace.id) throw forbidden();
  const db = getDb();
  const config = getConfig();
  const now = options.now;
  const mtime = new Date(now);
  const signerCredential = await workspaceSigner(workspace, config, mtime);
  const signer = { ...certificateInfo(signerCredential.p12, signerCredential.passphrase), source: signerCredential.source };
  const registerKeys = REGISTER_KEYS.filter((key) => mayReadRegister(actor, key));
  const dates = effectiveRange(actor, options.filters ?? {});
  const rangeFilters = { from: dates.from ?? undefined, to: dates.to ?? undefined };

  // counted before the first byte: verification files (2), register exports, documents, manifest and signature (2)
  const expectedFiles = 4 + registerKeys.length * PACK_FORMATS.length + (await countPackDocuments(actor, options.filters ?? {}));

  const zip = new ZipFile();
  const output = zip.outputStream as PassThrough;
  const controller = new AbortController();
  let finished = false;
  const files: ManifestFile[] = [];
  const missing: MissingDocument[] = [];
  const omitted: OmittedExport[] = [];

  const audit = (action: "audit_pack.generated" | "audit_pack.aborted", data: Record<string, unknown>) => {
    db.transaction((tx) => appendAudit(tx, actor, new Date().toISOString(), { action, entityType: "workspace", entityId: workspace.id, data }), { behavior: "immediate" });
  };

  const addBuffer = (bytes: Buffer, entryPath: string, kind: ManifestFile["kind"]) => {
    zip.addBuffer(bytes, entryPath, { mtime, compress: true });
    files.push({ path: entryPath, size: bytes.length, sha256: sha256(bytes), kind });
  };

  const build = async () => {
    addBuffer(Buffer.from(verifyText({ workspace: workspace.legalName, fingerprint: signer.fingerprintSha256, generatedAt: now }), "utf8"), VERIFY_PATH, "verification");
    addBuffer(Buffer.from(certificateChainPem(signerCredential), "utf8"), CERTIFICATE_PATH, "verification");

    for (const register of registerKeys) {
      for (const format of PACK_FORMATS) {
        if (controller.signal.aborted) return;
        let exported: RegisterExport;
        try {
          exported = await streamRegisterExport(actor, register, format, rangeFilters, options.locale, now, { recordAudit: false });
        } catch (error) {
          if (!(error instanceof RegisterExportRefused)) throw error;
          omitted.push({ register, format, reason: error.reason, rows: error.rows, limit: error.limit });
          continue;
        }
        const entryPath = `registers/${register}.${format}`;
        const { size, sha256: hash } = await addHashedEntry(zip, entryPath, async () => exported.stream, { mtime, compress: format !== "xlsx" }, controller.signal);
        files.push({ path: entryPath, size, sha256: hash, kind: "register", register, format });
      }
    }

    const used = new Set(files.map((f) => f.path));
    for await (const doc of packDocuments(db, actor, dates)) {
      if (controller.signal.aborted) return;
      const available = doc.absolutePath ? await stat(doc.absolutePath).then((s) => s.isFile(), () => false) : false;
      if (!doc.absolutePath || !available) {
        missing.push({ kind: doc.kind, entity: { type: doc.entity.type, id: doc.entity.id }, storedPath: doc.storedPath, reason: doc.failure ?? (doc.absolutePath ? "file_not_found" : "no_file") });
        continue;
      }
      let entryPath = doc.path;
      for (let n = 2; used.has(entryPath); n++) entryPath = doc.path.replace(/\.pdf$/, `_${n}.pdf`);
      used.add(entryPath);
      const absolutePath = doc.absolutePath;
      const { size, sha256: hash } = await addHashedEntry(zip, entryPath, async () => createReadStream(absolutePath), { mtime, compress: false }, controller.signal);
      files.push({
        path: entryPath,
        size,
        sha256: hash,
        kind: doc.kind,
        entity: doc.entity,
        recordedSha256: doc.recordedSha256,
        matchesRecorded: doc.recordedSha256 ? doc.recordedSha256 === hash : null,
      });
    }

    const manifest: AuditPackManifest = {
      format: MANIFEST_FORMAT,
      generatedAt: now,
      workspace: { id: workspace.id, slug: workspace.slug, legalName: workspace.legalName, tradeName: workspace.tradeName },
      actor: manifestActor(actor),
      scope: {
        registers: [...registerKeys],
        from: dates.from,
        to: dates.to,
      },
      signer,
      hashAlgorithm: "SHA-256",
      signature: { path: SIGNATURE_PATH, format: "CMS/PKCS#7 detached, DER", covers: MANIFEST_PATH },
      files,
      missing,
      omitted,
      totals: { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) },
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
    const manifestSha256 = sha256(manifestBytes);
    const signature = signDetached(manifestBytes, signerCredential, mtime);
    if (controller.signal.aborted) return;
    audit("audit_pack.generated", {
      manifestSha256,
      files: manifest.totals.files,
      bytes: manifest.totals.bytes,
      missing: missing.length,
      omitted: omitted.length,
      registers: manifest.scope.registers,
      from: manifest.scope.from,
      to: manifest.scope.to,
      signerFingerprint: signer.fingerprintSha256,
    });
    zip.addBuffer(manifestBytes, MANIFEST_PATH, { mtime, compress: true });
    zip.addBuffer(signature, SIGNATURE_PATH, { mtime, compress: false });
    finished = true;
    zip.end();
  };

  output.on("close", () => {
    if (!finished) {
      controller.abort();
      finished = true;
      audit("audit_pack.aborted", { filesWritten: files.length });
    }
  });
  zip.on("error", (error: Error) => output.destroy(error));

  build().catch((error: unknown) => {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (!finished) {
      finished = true;
      controller.abort();
      audit("audit_pack.aborted", { filesWritten: files.length, error: failure.message.slice(0, 300) });
    }
    output.destroy(failure);
  });

  const date = now.slice(0, 10);
  return { stream: output, filename: `audit-pack-${workspace.slug}-${date}.zip`, expectedFiles };
}

/** For the landing and register pages: how many signed documents the pack will hold (an estimate for progress). */
export async function countPackDocuments(actor: RegisterActor, filters: RegisterFilterInput = {}): Promise<number> {
  const db = getDb();
  const range = instantRange(effectiveRange(actor, filters));
  let total = 0;
  if (mayReadRegister(actor, DOCUMENT_REGISTERS.dpa)) {
    total += Number(
      db
        .select({ n: sql<number>`count(*)` })
        .from(dpas)
        .where(and(eq(dpas.workspaceId, actor.workspaceId), or(isNotNull(dpas.pdfPath), isNotNull(dpas.uploadPath)), inRange(sql`coalesce(${dpas.inForceAt}, ${dpas.countersignedAt}, ${dpas.createdAt})`, range)))
        .get()?.n ?? 0,
    );
  }
  if (mayReadRegister(actor, DOCUMENT_REGISTERS.breach_letter)) {
    total += Number(
      db
        .select({ n: sql<number>`count(*)` })
        .from(breachNoticeDeliveries)
        .where(and(eq(breachNoticeDeliveries.workspaceId, actor.workspaceId), inRange(breachNoticeDeliveries.sentAt, range)))
        .get()?.n ?? 0,
    );
  }
  if (mayReadRegister(actor, DOCUMENT_REGISTERS.deletion_certificate)) {
    total += Number(
      db
        .select({ n: sql<number>`count(*)` })
        .from(endOfContractCases)
        .where(
          and(
            eq(endOfContractCases.workspaceId, actor.workspaceId),
            isNotNull(endOfContractCases.certificatePath),
            inRange(sql`coalesce(${endOfContractCases.certificateIssuedAt}, ${endOfContractCases.updatedAt})`, range),
          ),
        )
        .get()?.n ?? 0,
    );
  }
  return total;
}

