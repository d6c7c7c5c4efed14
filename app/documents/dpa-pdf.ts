/**
 * Turns a rendered DPA (app/documents/dpa-template.ts) and its signatures into the document model
 * that renderPdf prints: title, parties, every clause, the annexes, a signature page and an evidence
 * page (signatories, times, IP addresses, the SHA-256 of the text signed). Pure.
 */
import type { Locale } from "~/domain/locale";
import { bullets, heading, keyValues, pageBreak, paragraph, safeFilenamePart, signatures, table, type DocumentBlock, type PdfDocumentSpec } from "./document";
import type { DpaAnnexBlock, DpaBlock, RenderedDpa } from "./dpa-template";

export type DpaSignatureEvidence = {
  party: "controller" | "processor";
  organisation: string;
  fullName: string;
  roleTitle: string;
  /** displayed instant, e.g. "28-03-2026 14:00 CET" */
  signedAtDisplay: string;
  signedAt: string;
  ip: string | null;
  userAgent: string | null;
  automatic: boolean;
  textHash: string;
};

export type DpaPdfInput = {
  language: Locale;
  rendered: RenderedDpa;
  versionLabel: string;
  textHash: string;
  processorName: string;
  controllerName: string;
  signatures: DpaSignatureEvidence[];
  /** ISO instant of sealing: the PDF's creation date */
  sealedAt: string;
  certificateFingerprint: string;
};

const labels = {
  nl: {
    version: "Versie",
    hash: "SHA-256 van de ondertekende tekst",
    signaturePage: "Ondertekening",
    controller: "Verwerkingsverantwoordelijke",
    processor: "Verwerker",
    signedOnline: "Elektronisch ondertekend in DPA Desk",
    signedAutomatically: "Automatisch medeondertekend namens de verwerker (standaardvoorwaarden)",
    evidence: "Bewijs van ondertekening",
    evidenceIntro:
      "Deze pagina legt vast wie de tekst van deze verwerkersovereenkomst heeft ondertekend, wanneer en vanaf welk adres. De SHA-256-waarde hieronder is berekend over de volledige tekst die elke partij heeft gezien; het document is bovendien digitaal ondertekend met het certificaat van de verwerker.",
    party: "Partij",
    name: "Naam",
    role: "Functie",
    at: "Tijdstip",
    ip: "IP-adres",
    userAgent: "Browser",
    textSigned: "Hash van de getekende tekst",
    certificate: "Certificaat (SHA-256-vingerafdruk)",
    automatic: "automatisch",
    unknown: "onbekend",
  },
  en: {
    version: "Version",
    hash: "SHA-256 of the signed text",
    signaturePage: "Signatures",
    controller: "Controller",
    processor: "Processor",
    signedOnline: "Signed electronically in DPA Desk",
    signedAutomatically: "Countersigned automatically on behalf of the processor (standard terms)",
    evidence: "Evidence of signature",
    evidenceIntro:
      "This page records who signed the text of this processor agreement, when and from which address. The SHA-256 value below is computed over the full text each party saw; the document is also digitally signed with the processor's certificate.",
    party: "Party",
    name: "Name",
    role: "Position",
    at: "Time",
    ip: "IP address",
    userAgent: "Browser",
    textSigned: "Hash of the text signed",
    certificate: "Certificate (SHA-256 fingerprint)",
    automatic: "automatic",
    unknown: "unknown",
  },
} as const;

function dpaBlock(block: DpaBlock | DpaAnnexBlock): DocumentBlock {
  switch (block.kind) {
    case "paragraph":
      return paragraph(block.number ? `${block.number}  ${block.text}` : block.text);
    case "bullets":
      return bullets(block.items);
    case "table":
      return table(
        block.header.map((header) => ({ header })),
        block.rows,
      );
    case "heading":
      return heading(3, block.text);
  }
}

export function dpaPdfSpec(input: DpaPdfInput): PdfDocumentSpec {
  const l = labels[input.language];
  const { rendered } = input;
  const blocks: DocumentBlock[] = [
    keyValues([
      { label: l.version, value: input.versionLabel },
      { label: l.hash, value: input.textHash },
    ]),
    ...rendered.preamble.map(dpaBlock),
  ];
  for (const clause of rendered.clauses) {
    blocks.push(heading(2, `${clause.number}. ${clause.heading}`), ...clause.blocks.map(dpaBlock));
  }
  for (const annex of rendered.annexes) {
    blocks.push(pageBreak(), heading(2, `${annex.label} – ${annex.heading}`), ...annex.blocks.map(dpaBlock));
  }
  const partyOf = (party: "controller" | "processor") => input.signatures.find((s) => s.party === party);
  blocks.push(
    pageBreak(),
    heading(2, l.signaturePage),
    signatures(
      (["controller", "processor"] as const).map((party) => {
        const s = partyOf(party);
        return {
          role: party === "controller" ? l.controller : l.processor,
          organisation: party === "controller" ? input.controllerName : input.processorName,
          name: s?.fullName ?? "",
          title: s?.roleTitle,
          date: s?.signedAtDisplay,
          statement: s ? (s.automatic ? l.signedAutomatically : l.signedOnline) : undefined,
        };
      }),
    ),
    pageBreak(),
    heading(2, l.evidence),
    paragraph(l.evidenceIntro, "small"),
    table(
      [{ header: l.party }, { header: l.name }, { header: l.role }, { header: l.at }, { header: l.ip }],
      input.signatures.map((s) => [
        s.party === "controller" ? l.controller : l.processor,
        s.fullName,
        s.roleTitle,
        `${s.signedAtDisplay} (${s.signedAt})`,
        s.automatic ? l.automatic : (s.ip ?? l.unknown),
      ]),
    ),
    keyValues([
      { label: l.textSigned, value: input.textHash },
      ...input.signatures.map((s) => ({
        label: `${l.userAgent} (${s.party === "controller" ? l.controller : l.processor})`,
        value: s.automatic ? l.automatic : (s.userAgent ?? l.unknown),
      })),
      { label: l.certificate, value: input.certificateFingerprint },
    ]),
  );
  return {
    language: input.language,
    title: rendered.title,
    subtitle: `${input.controllerName} – ${input.processorName}`,
    metadata: { author: input.processorName, subject: rendered.title, keywords: ["verwerkersovereenkomst", "DPA", input.versionLabel] },
    createdAt: input.sealedAt,
    footerNote: `${input.versionLabel} · SHA-256 ${input.textHash.slice(0, 16)}…`,
    blocks,
  };
}

/** "DPA Bakkerij Van Dam BV - Leadcube v1 - 2026-11-22.pdf": customer, version and date, safe as a file name. */
export function dpaPdfFilename(customerName: string, versionLabel: string, date: string): string {
  return `DPA ${safeFilenamePart(customerName)} - ${safeFilenamePart(versionLabel)} - ${date}.pdf`;
}
