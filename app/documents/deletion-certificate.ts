/**
 * The deletion certificate of an end-of-contract case (SCC clause 10(d), Art. 28(3)(g) GDPR):
 * what was deleted or returned, where (production systems, each sub-processor), when, by whom,
 * the evidence (notes and file hashes) and the backups' expiry rule and date. Built as a
 * PdfDocumentSpec in the customer's language; rendered and signed by renderSignedPdf with the
 * workspace's certificate, exactly like the DPA.
 */
import type { Locale, LocalizedText } from "~/domain/locale";
import { bullets, heading, keyValues, paragraph, safeFilenamePart, signatures, table, type DocumentBlock, type PdfDocumentSpec } from "./document";

export type CertificateChoice = "return" | "delete" | "return_then_delete";

export type CertificateEvidenceFile = { filename: string; sha256: string; sizeBytes: number };

export type CertificateTask = {
  kind: "customer_choice" | "return_export" | "production_deletion" | "subprocessor_deletion" | "backup_expiry";
  title: LocalizedText;
  /** for sub-processor tasks: name and locations */
  where: string;
  status: "done" | "not_applicable";
  dueDisplay: string;
  doneOnDisplay: string;
  completedBy: string;
  note: string;
  files: CertificateEvidenceFile[];
};

export type DeletionCertificateInput = {
  language: Locale;
  reference: string;
  processor: { legalName: string; address: string; kvkNumber: string | null };
  customer: { name: string; address: string; registrationNumber: string | null };
  contractEndDisplay: string;
  termsLabel: string;
  choice: CertificateChoice;
  choiceSource: "portal" | "staff" | "default";
  choiceMadeDisplay: string;
  /** what the data was: services, categories of data and of data subjects, in the customer's language */
  dataDescription: string[];
  tasks: CertificateTask[];
  backups: { rule: string; expireByDisplay: string | null };
  issuedAt: string;
  issuedAtDisplay: string;
  issuedBy: string;
  certificateFingerprint: string;
};

const labels = {
  nl: {
    title: { delete: "Verklaring van verwijdering", return: "Verklaring van teruggave", return_then_delete: "Verklaring van teruggave en verwijdering" },
    intro: (processor: string, customer: string) =>
      `${processor} (verwerker) verklaart dat de persoonsgegevens die zij voor ${customer} (verwerkingsverantwoordelijke) verwerkte, na het einde van de overeenkomst zijn behandeld zoals hieronder beschreven, volgens de keuze van de verwerkingsverantwoordelijke (art. 28 lid 3 onder g AVG).`,
    reference: "Kenmerk",
    processor: "Verwerker",
    controller: "Verwerkingsverantwoordelijke",
    contractEnd: "Laatste dag van de overeenkomst",
    terms: "Voorwaarden",
    choice: "Keuze",
    choiceSource: { portal: "door de klant in het portaal", staff: "namens de klant vastgelegd", default: "standaardkeuze volgens de voorwaarden (geen antwoord)" },
    choices: { return: "teruggeven", delete: "verwijderen", return_then_delete: "teruggeven en daarna verwijderen" },
    data: "Welke gegevens",
    work: "Wat is gedaan, waar, wanneer en door wie",
    task: "Taak",
    where: "Waar",
    due: "Uiterlijk",
    done: "Uitgevoerd op",
    by: "Door",
    notApplicable: "niet van toepassing",
    evidence: "Bewijs",
    evidenceFile: (f: CertificateEvidenceFile) => `${f.filename} (${f.sizeBytes} bytes, SHA-256 ${f.sha256})`,
    noFiles: "geen bestand",
    backups: "Back-ups",
    backupsExpire: (date: string) => `Back-ups met deze gegevens verlopen uiterlijk op ${date}; daarna zijn de gegevens ook daar verwijderd.`,
    issued: "Uitgegeven",
    signedBy: "Digitaal ondertekend met het certificaat van de verwerker",
    fingerprint: "Certificaat (SHA-256)",
    role: "Verwerker",
  },
  en: {
    title: { delete: "Certificate of deletion", return: "Certificate of return", return_then_delete: "Certificate of return and deletion" },
    intro: (processor: string, customer: string) =>
      `${processor} (processor) certifies that the personal data it processed for ${customer} (controller) was dealt with after the end of the agreement as described below, following the controller's choice (Art. 28(3)(g) GDPR).`,
    reference: "Reference",
    processor: "Processor",
    controller: "Controller",
    contractEnd: "Last day of the agreement",
    terms: "Terms",
    choice: "Choice",
    choiceSource: { portal: "by the customer in the portal", staff: "recorded on the customer's behalf", default: "default under the terms (no answer)" },
    choices: { return: "return", delete: "delete", return_then_delete: "return, then delete" },
    data: "Which data",
    work: "What was done, where, when and by whom",
    task: "Task",
    where: "Where",
    due: "Due",
    done: "Done on",
    by: "By",
    notApplicable: "not applicable",
    evidence: "Evidence",
    evidenceFile: (f: CertificateEvidenceFile) => `${f.filename} (${f.sizeBytes} bytes, SHA-256 ${f.sha256})`,
    noFiles: "no file",
    backups: "Backups",
    backupsExpire: (date: string) => `Backups holding this data expire by ${date} at the latest; after that the data is deleted there too.`,
    issued: "Issued",
    signedBy: "Digitally signed with the processor's certificate",
    fingerprint: "Certificate (SHA-256)",
    role: "Processor",
  },
} as const;

export function deletionCertificateSpec(input: DeletionCertificateInput): PdfDocumentSpec {
  const l = labels[input.language];
  const lang = input.language;
  const blocks: DocumentBlock[] = [
    keyValues([
      { label: l.reference, value: input.reference },
      { label: l.processor, value: [input.processor.legalName, input.processor.address, input.processor.kvkNumber ? `KvK ${input.processor.kvkNumber}` : ""].filter(Boolean).join(", ") },
      { label: l.controller, value: [input.customer.name, input.customer.address, input.customer.registrationNumber ?? ""].filter(Boolean).join(", ") },
      { label: l.contractEnd, value: input.contractEndDisplay },
      { label: l.terms, value: input.termsLabel },
      { label: l.choice, value: `${l.choices[input.choice]} (${l.choiceSource[input.choiceSource]}, ${input.choiceMadeDisplay})` },
    ]),
    paragraph(l.intro(input.processor.legalName, input.customer.name)),
  ];
  if (input.dataDescription.length > 0) blocks.push(heading(2, l.data), bullets(input.dataDescription));
  blocks.push(
    heading(2, l.work),
    table(
      [{ header: l.task, width: 2 }, { header: l.where, width: 2 }, { header: l.due }, { header: l.done }, { header: l.by, width: 1.5 }],
      input.tasks.map((task) => [
        task.title[lang],
        task.where,
        task.dueDisplay,
        task.status === "done" ? task.doneOnDisplay : l.notApplicable,
        task.completedBy,
      ]),
    ),
    heading(2, l.evidence),
  );
  for (const task of input.tasks) {
    blocks.push(heading(3, task.where ? `${task.title[lang]}: ${task.where}` : task.title[lang]));
    blocks.push(paragraph(task.status === "not_applicable" ? `${l.notApplicable}: ${task.note || "-"}` : task.note || "-", "small"));
    blocks.push(bullets(task.files.length > 0 ? task.files.map(l.evidenceFile) : [l.noFiles]));
  }
  blocks.push(heading(2, l.backups), paragraph(input.backups.rule));
  if (input.backups.expireByDisplay) blocks.push(paragraph(l.backupsExpire(input.backups.expireByDisplay), "strong"));
  blocks.push(
    heading(2, l.issued),
    signatures([
      {
        role: l.role,
        organisation: input.processor.legalName,
        name: input.issuedBy,
        date: input.issuedAtDisplay,
        statement: l.signedBy,
      },
    ]),
    keyValues([{ label: l.fingerprint, value: input.certificateFingerprint }]),
  );
  // the title says what was actually done: a return, a deletion, or both
  const returned = input.tasks.some((t) => t.kind === "return_export" && t.status === "done");
  const deleted = input.tasks.some((t) => t.kind === "production_deletion" && t.status === "done");
  const title = l.title[returned && deleted ? "return_then_delete" : returned ? "return" : "delete"];
  return {
    language: lang,
    title,
    subtitle: `${input.customer.name} – ${input.processor.legalName}`,
    metadata: { author: input.processor.legalName, subject: title, keywords: [input.reference, lang === "nl" ? "verwijderingscertificaat" : "deletion certificate"] },
    createdAt: input.issuedAt,
    footerNote: input.reference,
    blocks,
  };
}

/** "Verwijderingscertificaat Bakkerij Van Dam BV - EC-2026-0001.pdf", safe as a file name. */
export function deletionCertificateFilename(language: Locale, customerName: string, reference: string): string {
  return `${language === "nl" ? "Verwijderingscertificaat" : "Deletion certificate"} ${safeFilenamePart(customerName)} - ${safeFilenamePart(reference)}.pdf`;
}
