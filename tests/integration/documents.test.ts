/**
 * The PDF machinery, checked with the tools a recipient would use: poppler's pdftotext for what
 * the PDF says and pdfsig for its signature (pdfsig exits 0 even for a broken signature, so the
 * tests read its output). Certificates for the "from configuration" case are made with openssl,
 * the way an operator would make them.
 */
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  bullets,
  certificateFingerprint,
  certificateInfo,
  documentText,
  heading,
  InvalidDocumentError,
  keyValues,
  pageBreak,
  paragraph,
  renderPdf,
  renderSignedPdf,
  signatures,
  SigningConfigurationError,
  signPdf,
  table,
  workspaceSigner,
  type PdfDocumentSpec,
  type SignatureMeta,
  type SigningConfig,
} from "~/documents/index.server";
import type { Locale } from "~/domain/locale";

const run = promisify(execFile);

let dir: string;
let fileCounter = 0;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dpadesk-documents-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function withFile<T>(pdf: Buffer, action: (file: string) => Promise<T>): Promise<T> {
  const file = path.join(dir, `doc-${++fileCounter}.pdf`);
  writeFileSync(file, pdf);
  return action(file);
}

/** pdftotext -layout, one string per page. */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const { stdout } = await withFile(pdf, (file) => run("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]));
  return stdout.split("\f").filter((page) => page.trim() !== "");
}

async function pdfsig(pdf: Buffer): Promise<string> {
  const { stdout, stderr } = await withFile(pdf, (file) => run("pdfsig", [file]));
  return stdout + stderr;
}

const SIGNATURE_VALID = "Signature Validation: Signature is Valid.";
const TOTAL_SIGNED = /^\s*- Total document signed$/m;

const TABLE_ROWS = 45;

function sampleDocument(language: Locale): PdfDocumentSpec {
  const nl = language === "nl";
  const rows = Array.from({ length: TABLE_ROWS }, (_, i) => [
    `Subverwerker ${i + 1}`,
    i % 4 === 0
      ? nl
        ? "Hosting en dagelijkse back-ups van de klantgegevens, versleuteld opgeslagen in twee datacenters"
        : "Hosting and daily backups of customer data, stored encrypted in two data centres"
      : nl
        ? "E-mailverzending"
        : "E-mail delivery",
    i % 3 === 0 ? (nl ? "Verenigde Staten (SCC's)" : "United States (SCCs)") : nl ? "Nederland" : "Netherlands",
    `€ ${(1250 + i).toLocaleString("nl-NL")},00`,
  ]);
  return {
    language,
    title: nl ? "Verwerkersovereenkomst Zoë's Café B.V." : "Data processing agreement Zoë's Café B.V.",
    subtitle: nl ? "Versie AV2024-2.1, 28-03-2026" : "Version AV2024-2.1, 28-03-2026",
    metadata: { author: "Leadcube B.V.", subject: nl ? "Verwerkersovereenkomst" : "Data processing agreement", keywords: ["AVG", "DPA"] },
    createdAt: "2026-03-28T13:00:00.000Z",
    footerNote: "Ref. DPA-2026-0042",
    blocks: [
      heading(1, nl ? "1. Partijen" : "1. Parties"),
      keyValues([
        { label: nl ? "Verwerker" : "Processor", value: "Leadcube B.V., Keizersgracht 1, 1015 CJ Amsterdam" },
        { label: nl ? "Verwerkingsverantwoordelijke" : "Controller", value: "Zoë's Café B.V., Coöperatieweg 3, Den Haag" },
      ]),
      heading(2, nl ? "1.1 Meldplicht datalekken" : "1.1 Breach notification"),
      paragraph(
        nl
          ? "De Verwerker meldt een inbreuk in verband met persoonsgegevens onverwijld, uiterlijk binnen 24 uur. Naïeve aannames over reëel risico zijn niet toegestaan; de boete bedraagt € 500,00. Dvořák uit Łódź wordt zonder accenten gedrukt."
          : "The Processor reports a personal data breach without undue delay, at the latest within 24 hours. Dvořák from Łódź is printed without accents.",
      ),
      bullets(nl ? ["Aard van de inbreuk", "Categorieën betrokkenen en gegevens", "Genomen maatregelen"] : ["Nature of the breach", "Categories of data subjects and data", "Measures taken"]),
      heading(3, nl ? "1.1.1 Subverwerkers" : "1.1.1 Sub-processors"),
      table(
        [
          { header: nl ? "Naam" : "Name", width: 2 },
          { header: nl ? "Dienst" : "Service", width: 4 },
          { header: nl ? "Locatie" : "Location", width: 2 },
          { header: nl ? "Kosten" : "Cost", width: 1.4, align: "right" },
        ],
        rows,
      ),
      paragraph(nl ? "Bedragen zijn exclusief btw." : "Amounts exclude VAT.", "small"),
      pageBreak(),
      heading(1, nl ? "2. Ondertekening" : "2. Signatures"),
      signatures([
        { role: nl ? "Verwerker" : "Processor", organisation: "Leadcube B.V.", name: "Jan de Vries", title: "Directeur", date: "28-03-2026 14:00 CET", statement: nl ? "Elektronisch ondertekend" : "Signed electronically" },
        { role: nl ? "Verwerkingsverantwoordelijke" : "Controller", organisation: "Zoë's Café B.V.", name: "Zoë Jansen", place: "Den Haag" },
      ]),
    ],
  };
}

const WORKSPACE = { id: "0b7c1f9e-5d3a-4e21-9c8f-2a6b4d1e7f30", slug: "zoes-cafe", legalName: "Zoë's Café B.V." };

function signMeta(signingTime = "2026-03-28T13:05:00.000Z"): SignatureMeta {
  return { reason: "Verwerkersovereenkomst ondertekend", name: WORKSPACE.legalName, location: "Den Haag, NL", contactInfo: "privacy@zoes-cafe.example", signingTime: new Date(signingTime) };
}

function devConfig(dataDir: string, extra: Partial<SigningConfig> = {}): SigningConfig {
  return { isProduction: false, dataDir, ...extra };
}

describe("renderPdf", () => {
  it("renders every block type in Dutch, with page numbers, a header line and a table that repeats its header", async () => {
    const pages = await pdfPages(await renderPdf(sampleDocument("nl")));
    const all = pages.join("\n");
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      expect(page).toContain(`Pagina ${i + 1} van ${pages.length}`);
      expect(page).toContain("Verwerkersovereenkomst Zoë's Café B.V.");
      expect(page).toContain("Leadcube B.V.");
      expect(page).toContain("Ref. DPA-2026-0042");
    });
    for (const text of ["1. Partijen", "1.1 Meldplicht datalekken", "1.1.1 Subverwerkers", "2. Ondertekening", "Versie AV2024-2.1, 28-03-2026"]) {
      expect(all).toContain(text);
    }
    // Dutch characters and the euro sign survive; letters outside WinAnsi lose only their accent
    for (const text of ["Zoë's Café", "Coöperatieweg", "Naïeve", "reëel", "€ 500,00", "Dvorák uit Lódz"]) expect(all).toContain(text);
    expect(all).toMatch(/Verwerkingsverantwoordelijke\s+Zoë's Café B\.V\., Coöperatieweg 3, Den Haag/);
    expect(all).toMatch(/•\s+Categorieën betrokkenen en gegevens/);
    expect(all).toMatch(/Naam: Jan de Vries/);
    expect(all).toMatch(/Elektronisch ondertekend/);
    expect(all).toMatch(/Handtekening/);

    // the table runs over at least two pages and each of them starts it with the header row
    const header = /Naam\s+Dienst\s+Locatie\s+Kosten/;
    const tablePages = pages.filter((page) => /Subverwerker \d+/.test(page));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const page of tablePages) {
      expect(page.match(new RegExp(header.source, "g"))).toHaveLength(1);
      expect(page.search(header)).toBeLessThan(page.search(/Subverwerker \d+/));
    }
    // every row printed once, in order, the last one on a later page than the first
    const rowNumbers = [...all.matchAll(/Subverwerker (\d+)/g)].map((m) => Number(m[1]));
    expect(rowNumbers).toEqual(Array.from({ length: TABLE_ROWS }, (_, i) => i + 1));
    expect(pages.findIndex((p) => p.includes(`Subverwerker ${TABLE_ROWS} `))).toBeGreaterThan(pages.findIndex((p) => p.includes("Subverwerker 1 ")));
    // the page break block puts the signatures on a page of their own
    expect(pages[pages.length - 1]).toContain("2. Ondertekening");
    expect(pages[pages.length - 1]).not.toMatch(/Subverwerker \d+/);
  });

  it("renders the English document with English page furniture", async () => {
    const pages = await pdfPages(await renderPdf(sampleDocument("en")));
    const all = pages.join("\n");
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
    expect(all).not.toContain("Pagina");
    for (const text of ["1. Parties", "1.1 Breach notification", "2. Signatures", "Name: Jan de Vries", "Place: Den Haag", "Signature", "Signed electronically"]) {
      expect(all).toContain(text);
    }
    expect(all).toMatch(/Name\s+Service\s+Location\s+Cost/);
  });

  it("gives identical bytes for the same input, with the dates taken from the input", async () => {
    const spec = sampleDocument("nl");
    const first = await renderPdf(spec);
    const second = await renderPdf(structuredClone(spec));
    expect(first.equals(second)).toBe(true);
    const later = await renderPdf({ ...spec, createdAt: "2026-03-29T08:00:00.000Z" });
    expect(later.equals(first)).toBe(false);
    const { stdout } = await withFile(first, (file) => run("pdfinfo", ["-isodates", file]));
    expect(stdout).toMatch(/CreationDate:\s+2026-03-28T13:00:00Z/);
    expect(stdout).toMatch(/ModDate:\s+2026-03-28T13:00:00Z/);
    expect(stdout).toMatch(/Title:\s+Verwerkersovereenkomst Zoë's Café B\.V\./);
    expect(stdout).toMatch(/Author:\s+Leadcube B\.V\./);
  });

  it("refuses a malformed document and names every problem", async () => {
    const spec = sampleDocument("nl");
    const broken: PdfDocumentSpec = { ...spec, createdAt: "28-03-2026", blocks: [...spec.blocks, table([{ header: "A" }, { header: "B" }], [["only one cell"]])] };
    const error = await renderPdf(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect((error as InvalidDocumentError).problems).toEqual([
      'createdAt must be an ISO-8601 UTC instant like 2026-03-28T13:00:00.000Z, not "28-03-2026"',
      `block ${broken.blocks.length} (table): row 1 has 1 cells, the table has 2 columns`,
    ]);
  });

  it("keeps the document's words as plain text for assertions and hashing", () => {
    const text = documentText(sampleDocument("nl"));
    expect(text).toContain("Verwerkingsverantwoordelijke: Zoë's Café B.V., Coöperatieweg 3, Den Haag");
    expect(text).toContain("Subverwerker 44 | E-mailverzending | Nederland | € 1.293,00");
    expect(text).toContain("Naam: Zoë Jansen\nPlaats: Den Haag");
  });
});

describe("signing", () => {
  it("signs with a generated certificate: pdfsig reports a valid signature over the whole document", async () => {
    const dataDir = path.join(dir, "data-signed");
    const signer = await workspaceSigner(WORKSPACE, devConfig(dataDir));
    expect(signer.source).toBe("self-signed");
    const pdf = await renderSignedPdf(sampleDocument("nl"), signer, signMeta());
    const report = await pdfsig(pdf);
    expect(report).toContain(SIGNATURE_VALID);
    expect(report).toMatch(TOTAL_SIGNED);
    expect(report).toContain("Signer Certificate Common Name: Zoë's Café B.V.");
    expect(report).toContain("Signer full Distinguished Name: C=NL,O=Zoë's Café B.V.,CN=Zoë's Café B.V.");
    expect(report).toContain("Signing Time: Mar 28 2026 13:05:00");
    expect(report).toContain("Signing Hash Algorithm: SHA-256");
    // still the same document to read
    expect((await pdfPages(pdf)).join("\n")).toContain("1.1 Meldplicht datalekken");
    // and signing is reproducible too
    expect((await renderSignedPdf(sampleDocument("nl"), signer, signMeta())).equals(pdf)).toBe(true);

    const info = certificateInfo(signer.p12, signer.passphrase);
    expect(info).toMatchObject({ subjectCommonName: "Zoë's Café B.V.", issuerCommonName: "Zoë's Café B.V.", selfSigned: true });
    const years = (Date.parse(info.notAfter) - Date.parse(info.notBefore)) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeCloseTo(5, 1);
  });

  it("reports any byte changed after signing as invalid", async () => {
    const signer = await workspaceSigner(WORKSPACE, devConfig(path.join(dir, "data-signed")));
    const signed = await renderSignedPdf(sampleDocument("en"), signer, signMeta());
    expect(await pdfsig(signed)).toContain(SIGNATURE_VALID);

    const contents = signed.indexOf("/Contents <");
    const byteRangeEnd = signed.indexOf(">", contents);
    const flips: [string, number][] = [
      ["a letter of the document information (Producer)", signed.indexOf("(DPA Desk)") + 1],
      ["a byte inside the first page's compressed content stream", signed.indexOf("stream\n") + 200],
      ["a letter of the signature's reason, after the signature value", signed.indexOf("/Reason (", byteRangeEnd) + 10],
    ];
    for (const [what, offset] of flips) {
      expect(offset, what).toBeGreaterThan(0);
      expect(offset < contents || offset > byteRangeEnd, what).toBe(true);
      const tampered = Buffer.from(signed);
      tampered[offset] ^= 0x01;
      const report = await pdfsig(tampered);
      expect(report, what).not.toContain("Signature is Valid");
      expect(report, what).toContain("Digest Mismatch");
    }
    // bytes appended after signing are outside the signature: pdfsig says so
    const appended = await pdfsig(Buffer.concat([signed, Buffer.from("\n% appended\n")]));
    expect(appended).toContain("Not total document signed");
    expect(appended).not.toMatch(TOTAL_SIGNED);
  });

  it("generates the certificate once (0600, no temporary files left) and reuses it, also across module instances racing", async () => {
    const dataDir = path.join(dir, "data-reuse");
    const config = devConfig(dataDir);
    // two module instances stand in for two server processes: they share only the files
    vi.resetModules();
    const other = await import("~/documents/signing.server");
    const workspace = { ...WORKSPACE, id: "5e0d2c4b-1a9f-4b7e-8d6c-3f2e1a0b9c8d" };
    const first = await Promise.all([
      workspaceSigner(workspace, config),
      other.workspaceSigner(workspace, config),
      workspaceSigner(workspace, config),
      other.workspaceSigner(workspace, config),
    ]);
    const fingerprints = first.map((s) => certificateFingerprint(s.p12, s.passphrase));
    expect(fingerprints[0]).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(new Set(fingerprints).size).toBe(1);
    expect(new Set(first.map((s) => s.p12.toString("base64"))).size).toBe(1);

    const certs = path.join(dataDir, "certs");
    expect(readdirSync(certs).sort()).toEqual([`${workspace.id}.p12`, `${workspace.id}.pass`]);
    expect(statSync(path.join(certs, `${workspace.id}.p12`)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(certs, `${workspace.id}.pass`)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(certs, `${workspace.id}.pass`), "utf8")).toBe(first[0].passphrase);

    const again = await workspaceSigner(workspace, config);
    expect(again.p12.equals(first[0].p12)).toBe(true);
    expect(certificateFingerprint(again.p12, again.passphrase)).toBe(fingerprints[0]);
    // another workspace gets its own certificate
    const otherWorkspace = await workspaceSigner({ ...workspace, id: "9a8b7c6d-0000-4000-8000-000000000001", slug: "other" }, config);
    expect(certificateFingerprint(otherWorkspace.p12, otherWorkspace.passphrase)).not.toBe(fingerprints[0]);
  });

  it("signs with the PKCS#12 from SIGNING_P12_DIR, also in production", async () => {
    const p12Dir = path.join(dir, "configured");
    mkdirSync(p12Dir);
    const passphrase = "correct horse battery staple";
    const keyFile = path.join(dir, "configured-key.pem");
    const certFile = path.join(dir, "configured-cert.pem");
    await run("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "30",
      "-subj", "/CN=Leadcube B.V./O=Leadcube B.V./C=NL", "-addext", "keyUsage=critical,digitalSignature,nonRepudiation",
    ]);
    // openssl 3 defaults: AES-256-CBC, PBKDF2 with HMAC-SHA256
    await run("openssl", ["pkcs12", "-export", "-inkey", keyFile, "-in", certFile, "-out", path.join(p12Dir, "leadcube.p12"), "-passout", `pass:${passphrase}`]);
    const dataDir = path.join(dir, "data-production");
    const config: SigningConfig = { isProduction: true, dataDir, signingP12Dir: p12Dir, signingP12Passphrase: passphrase };
    const workspace = { id: "1c2d3e4f-0000-4000-8000-00000000000a", slug: "leadcube", legalName: "Leadcube B.V." };

    const signer = await workspaceSigner(workspace, config, new Date());
    expect(signer.source).toBe("configured");
    expect(signer.file).toBe(path.join(p12Dir, "leadcube.p12"));
    expect(certificateFingerprint(signer.p12, signer.passphrase)).toBe(new X509Certificate(readFileSync(certFile)).fingerprint256);

    const pdf = await renderSignedPdf(sampleDocument("nl"), signer, { ...signMeta(), name: "Leadcube B.V." });
    const report = await pdfsig(pdf);
    expect(report).toContain(SIGNATURE_VALID);
    expect(report).toMatch(TOTAL_SIGNED);
    expect(report).toContain("Signer Certificate Common Name: Leadcube B.V.");
    expect(existsSync(path.join(dataDir, "certs"))).toBe(false);

    // outside production a workspace without a configured file falls back to a generated certificate
    const fallback = await workspaceSigner({ ...workspace, id: "1c2d3e4f-0000-4000-8000-00000000000b", slug: "unconfigured" }, { ...config, isProduction: false });
    expect(fallback.source).toBe("self-signed");

    const wrong = await workspaceSigner(workspace, { ...config, signingP12Passphrase: "wrong" }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(SigningConfigurationError);
    expect((wrong as SigningConfigurationError).setting).toBe("SIGNING_P12_PASSPHRASE");
    expect((wrong as Error).message).toContain("cannot be used with SIGNING_P12_PASSPHRASE");

    const missing = await workspaceSigner(workspace, { ...config, signingP12Passphrase: undefined }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SigningConfigurationError);
    expect((missing as Error).message).toMatch(/^SIGNING_P12_PASSPHRASE is not set/);
  });

  it("refuses to generate a certificate in production and names the missing setting", async () => {
    const dataDir = path.join(dir, "data-production-unconfigured");
    const noDir = await workspaceSigner(WORKSPACE, { isProduction: true, dataDir }).catch((e: unknown) => e);
    expect(noDir).toBeInstanceOf(SigningConfigurationError);
    expect((noDir as SigningConfigurationError).setting).toBe("SIGNING_P12_DIR");
    expect((noDir as Error).message).toMatch(/^SIGNING_P12_DIR is not set/);

    const emptyDir = path.join(dir, "empty-p12-dir");
    mkdirSync(emptyDir);
    const noFile = await workspaceSigner(WORKSPACE, { isProduction: true, dataDir, signingP12Dir: emptyDir, signingP12Passphrase: "x" }).catch((e: unknown) => e);
    expect(noFile).toBeInstanceOf(SigningConfigurationError);
    expect((noFile as Error).message).toContain(`No signing certificate for workspace "zoes-cafe": ${path.join(emptyDir, "zoes-cafe.p12")} does not exist`);
    expect(existsSync(path.join(dataDir, "certs"))).toBe(false);
  });

  it("refuses to sign twice or to sign something that is not a PDF", async () => {
    const signer = await workspaceSigner(WORKSPACE, devConfig(path.join(dir, "data-signed")));
    const signed = await renderSignedPdf(sampleDocument("nl"), signer, signMeta());
    await expect(signPdf(signed, signer, signMeta())).rejects.toThrow("already signed");
    await expect(signPdf(Buffer.from("hello"), signer, signMeta())).rejects.toThrow("Not a PDF");
    await expect(signPdf(await renderPdf(sampleDocument("nl")), { ...signer, passphrase: "wrong" }, signMeta())).rejects.toThrow(/cannot be opened/);
  });
});
