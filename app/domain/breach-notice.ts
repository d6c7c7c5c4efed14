/**
 * Breach notices to customers: which contents a customer's terms require and whether the record
 * has them (sending is blocked while one is empty, naming it), the sections of the letter, and
 * the small template format of templates/breach/notice.<lang>.md.
 *
 * Template format: an optional header between two "---" lines with "key: value" lines (the mail
 * subjects), then the body. In the body `{{name}}` inserts a value, `{{#if name}} … {{else}} …
 * {{/if}}` and `{{#unless name}} … {{/unless}}` choose (false: missing, "", false, 0). A name
 * the template uses but the data lacks is an error, never an empty gap. A line holding only
 * block tags disappears with its line break.
 */
import {
  BREACH_TYPE_LABELS,
  RISK_LEVEL_LABELS,
  SUBJECTS_NOTICE_LABELS,
  dataCategoryText,
  dataSubjectText,
  formatRange,
  occurrenceText,
  type BreachFacts,
} from "./breach-record";
import type { Locale, LocalizedText } from "./locale";
import { BREACH_NOTICE_ITEM_LABELS, type BreachNoticeItem } from "./terms";
import { formatDisplayInstant, parseInstant } from "./time";

// ---------------------------------------------------------------------------------------
// Required contents

const filled = (value: string) => value.trim().length > 0;
const hasNumbers = (facts: BreachFacts) => facts.subjectsMin !== null || facts.subjectsMax !== null;
const hasContact = (facts: BreachFacts) => filled(facts.contactName) && (filled(facts.contactEmail) || filled(facts.contactPhone));

/**
 * Whether the record holds what one item asks for. "All available / relevant information" asks
 * for at least what happened and whom to ask; the letter then carries every field that is filled.
 */
export function itemFilled(item: BreachNoticeItem, facts: BreachFacts): boolean {
  switch (item) {
    case "breach_occurred":
      return filled(facts.title);
    case "nature":
      return filled(facts.nature);
    case "categories_and_numbers":
      return facts.dataCategories.length + (filled(facts.dataCategoriesNote) ? 1 : 0) > 0 && facts.dataSubjects.length > 0 && hasNumbers(facts);
    case "personal_data_categories":
      return facts.dataCategories.length > 0 || filled(facts.dataCategoriesNote);
    case "data_subject_categories":
      return facts.dataSubjects.length > 0;
    case "data_subject_count":
      return hasNumbers(facts);
    case "protection":
      return filled(facts.protection);
    case "contact_point":
      return hasContact(facts);
    case "follow_up_contact":
      // "different contact details, if any": without them the contact point serves
      return filled(facts.followUpContact) || hasContact(facts);
    case "consequences":
      return filled(facts.consequences);
    case "measures":
      return filled(facts.measuresTaken) || filled(facts.measuresProposed);
    case "all_available_information":
    case "all_relevant_information":
      return filled(facts.nature) && hasContact(facts);
  }
}

/** The required items the record does not yet have, in the order the terms list them. */
export function missingItems(required: readonly BreachNoticeItem[], facts: BreachFacts): BreachNoticeItem[] {
  return required.filter((item) => !itemFilled(item, facts));
}

/** Which record fields to fill for an item, as message catalog keys of the form's labels. */
export const ITEM_FIELDS: Record<BreachNoticeItem, string[]> = {
  breach_occurred: ["title"],
  nature: ["nature"],
  categories_and_numbers: ["dataCategories", "dataSubjects", "subjectsMin"],
  personal_data_categories: ["dataCategories"],
  data_subject_categories: ["dataSubjects"],
  data_subject_count: ["subjectsMin"],
  protection: ["protection"],
  contact_point: ["contactName", "contactEmail"],
  follow_up_contact: ["followUpContact"],
  consequences: ["consequences"],
  measures: ["measuresTaken"],
  all_available_information: ["nature", "contactName"],
  all_relevant_information: ["nature", "contactName"],
};

export function itemLabel(item: BreachNoticeItem, locale: Locale): string {
  return BREACH_NOTICE_ITEM_LABELS[item][locale];
}

// ---------------------------------------------------------------------------------------
// Sections of the letter

export type NoticeSection = { key: string; heading: string; text: string };

const HEADINGS: Record<string, LocalizedText> = {
  nature: { nl: "Wat is er gebeurd", en: "What happened" },
  timeline: { nl: "Tijdlijn", en: "Timeline" },
  data: { nl: "Getroffen persoonsgegevens", en: "Personal data affected" },
  subjects: { nl: "Betrokkenen en aantallen", en: "Data subjects and numbers" },
  protection: { nl: "Beveiliging van de gegevens", en: "Protection of the data" },
  consequences: { nl: "Waarschijnlijke gevolgen", en: "Likely consequences" },
  measures: { nl: "Genomen en voorgestelde maatregelen", en: "Measures taken and proposed" },
  assessment: { nl: "Onze beoordeling", en: "Our assessment" },
  contact: { nl: "Contactpunt", en: "Contact point" },
};

function bulletList(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join("\n");
}

/**
 * The facts of the record as letter sections, each only when it has content. Lines starting with
 * "- " are list items; everything else is a paragraph.
 */
export function noticeSections(facts: BreachFacts, locale: Locale): NoticeSection[] {
  const nl = locale === "nl";
  const sections: NoticeSection[] = [];
  const add = (key: string, lines: (string | null | false)[]) => {
    const text = lines.filter((l): l is string => typeof l === "string" && l.trim() !== "").join("\n\n");
    if (text) sections.push({ key, heading: HEADINGS[key][locale], text });
  };
  const instant = (iso: string) => formatDisplayInstant(parseInstant(iso, "instant"));

  add("nature", [
    facts.nature.trim(),
    facts.breachTypes.length > 0 && `${nl ? "Soort inbreuk" : "Type of breach"}: ${facts.breachTypes.map((t) => BREACH_TYPE_LABELS[t][locale]).join("; ")}.`,
    facts.sourceKind === "subprocessor" &&
      (nl
        ? `De inbreuk vond plaats bij onze subverwerker ${facts.subprocessorName ?? "(onbekend)"}${
            facts.subprocessorReportedAt ? `, die ons op ${instant(facts.subprocessorReportedAt)} informeerde` : ""
          }.`
        : `The breach happened at our sub-processor ${facts.subprocessorName ?? "(unknown)"}${
            facts.subprocessorReportedAt ? `, which told us on ${instant(facts.subprocessorReportedAt)}` : ""
          }.`),
  ]);
  add("timeline", [
    bulletList([
      `${nl ? "Inbreuk" : "Breach"}: ${occurrenceText(facts, locale)}`,
      `${nl ? "Ontdekt door ons" : "Discovered by us"}: ${instant(facts.discoveredAt)}`,
      ...(facts.shouldHaveKnownAt && facts.shouldHaveKnownAt !== facts.discoveredAt
        ? [`${nl ? "Redelijkerwijs bekend vanaf" : "Could reasonably have been known from"}: ${instant(facts.shouldHaveKnownAt)}`]
        : []),
    ]),
  ]);
  add("data", [
    facts.dataCategories.length > 0 && bulletList(facts.dataCategories.map((key) => dataCategoryText(key, locale))),
    facts.dataCategoriesNote.trim(),
  ]);
  const subjects = formatRange(facts.subjectsMin, facts.subjectsMax, locale);
  const records = formatRange(facts.recordsMin, facts.recordsMax, locale);
  add("subjects", [
    facts.dataSubjects.length > 0 &&
      `${nl ? "Categorieën betrokkenen" : "Categories of data subjects"}: ${facts.dataSubjects.map((key) => dataSubjectText(key, locale)).join(", ")}.`,
    subjects && `${nl ? "Aantal betrokkenen (bij benadering)" : "Number of data subjects (approximately)"}: ${subjects}.`,
    records && `${nl ? "Aantal records (bij benadering)" : "Number of records (approximately)"}: ${records}.`,
    facts.crossBorder && (nl ? "Er zijn betrokkenen in meer dan één EU-lidstaat." : "Data subjects in more than one EU member state are affected."),
  ]);
  add("protection", [facts.protection.trim()]);
  add("consequences", [facts.consequences.trim()]);
  add("measures", [
    facts.measuresTaken.trim() && `${nl ? "Genomen" : "Taken"}: ${facts.measuresTaken.trim()}`,
    facts.measuresProposed.trim() && `${nl ? "Voorgesteld" : "Proposed"}: ${facts.measuresProposed.trim()}`,
  ]);
  add("assessment", [
    facts.riskLevel &&
      `${nl ? "Risico" : "Risk"}: ${RISK_LEVEL_LABELS[facts.riskLevel][locale]}.${facts.riskReasoning.trim() ? ` ${facts.riskReasoning.trim()}` : ""}`,
    facts.subjectsNotice !== "undecided" &&
      `${nl ? "Informeren van betrokkenen" : "Informing data subjects"}: ${SUBJECTS_NOTICE_LABELS[facts.subjectsNotice][locale]}.${
        facts.subjectsNoticeReasoning.trim() ? ` ${facts.subjectsNoticeReasoning.trim()}` : ""
      }`,
  ]);
  add("contact", [
    [facts.contactName, facts.contactEmail, facts.contactPhone].filter((v) => v.trim() !== "").join(", "),
    facts.followUpContact.trim() && `${nl ? "Voor de opvolging" : "For the follow-up"}: ${facts.followUpContact.trim()}`,
  ]);
  return sections;
}

/** The sections as the text the template's {{sections}} receives. */
export function sectionsText(sections: readonly NoticeSection[]): string {
  return sections.map((s) => `## ${s.heading}\n\n${s.text}`).join("\n\n");
}

// ---------------------------------------------------------------------------------------
// The template format

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

export type NoticeTemplate = { header: Record<string, string>; body: string };

/** Splits the "---" header ("key: value" per line) from the body. */
export function parseNoticeTemplate(source: string): NoticeTemplate {
  const text = source.replace(/\r\n/g, "\n");
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!match) return { header: {}, body: text };
  const header: Record<string, string> = {};
  for (const line of match[1].split("\n")) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new TemplateError(`header line without "key: value": ${line}`);
    header[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { header, body: text.slice(match[0].length) };
}

export type TemplateValue = string | number | boolean | null | undefined;
export type TemplateData = Record<string, TemplateValue>;

type Node = { kind: "text"; text: string } | { kind: "value"; name: string } | { kind: "if"; name: string; negate: boolean; then: Node[]; otherwise: Node[] };

const TAG = /\{\{\s*(#if|#unless|else|\/if|\/unless)?\s*([A-Za-z][\w.]*)?\s*\}\}/g;
const BLOCK_LINE = /^[ \t]*(\{\{\s*(#if|#unless)\s+[A-Za-z][\w.]*\s*\}\}|\{\{\s*(else|\/if|\/unless)\s*\}\}[ \t]*)+[ \t]*$/;

/** Removes lines that hold only block tags, with their line break. */
function dropBlockLines(body: string): string {
  return body
    .split("\n")
    .map((line) => (BLOCK_LINE.test(line) ? line.trim() : `${line}\n`))
    .join("")
    .replace(/\n$/, "");
}

function parseNodes(body: string): Node[] {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { kind: "if" }>; inElse: boolean; closer: string }[] = [];
  const current = () => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.node.otherwise : top.node.then) : root;
  };
  let last = 0;
  for (const match of body.matchAll(TAG)) {
    if (match.index > last) current().push({ kind: "text", text: body.slice(last, match.index) });
    last = match.index + match[0].length;
    const [, keyword, name] = match;
    if (keyword === "#if" || keyword === "#unless") {
      if (!name) throw new TemplateError(`${keyword} without a name`);
      const node: Extract<Node, { kind: "if" }> = { kind: "if", name, negate: keyword === "#unless", then: [], otherwise: [] };
      current().push(node);
      stack.push({ node, inElse: false, closer: keyword === "#if" ? "/if" : "/unless" });
    } else if (keyword === "else") {
      const top = stack[stack.length - 1];
      if (!top || top.inElse) throw new TemplateError("{{else}} without an open {{#if}}");
      top.inElse = true;
    } else if (keyword === "/if" || keyword === "/unless") {
      const top = stack.pop();
      if (!top || top.closer !== keyword) throw new TemplateError(`{{${keyword}}} does not close an open block`);
    } else {
      if (!name) throw new TemplateError("empty {{ }}");
      current().push({ kind: "value", name });
    }
  }
  if (last < body.length) current().push({ kind: "text", text: body.slice(last) });
  if (stack.length > 0)
    throw new TemplateError(`{{#${stack[stack.length - 1].node.negate ? "unless" : "if"} ${stack[stack.length - 1].node.name}}} is not closed`);
  return root;
}

function lookup(data: TemplateData, name: string): TemplateValue {
  if (!Object.hasOwn(data, name)) throw new TemplateError(`the template uses {{${name}}}, which the data does not have`);
  return data[name];
}

function truthy(value: TemplateValue): boolean {
  return !(value === null || value === undefined || value === false || value === 0 || value === "");
}

function renderNodes(nodes: readonly Node[], data: TemplateData): string {
  return nodes
    .map((node) => {
      if (node.kind === "text") return node.text;
      if (node.kind === "value") {
        const value = lookup(data, node.name);
        if (value === null || value === undefined || value === "") throw new TemplateError(`{{${node.name}}} is empty`);
        return String(value);
      }
      const chosen = truthy(lookup(data, node.name)) !== node.negate ? node.then : node.otherwise;
      return renderNodes(chosen, data);
    })
    .join("");
}

/** Fills a template text with values; three or more line breaks in a row become two. */
export function fillTemplate(text: string, data: TemplateData): string {
  return renderNodes(parseNodes(dropBlockLines(text)), data)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export type RenderedNotice = { subject: string; body: string };

/** The mail subject (header "subject", or "followUpSubject" for a follow-up) and the letter body. */
export function renderNotice(template: NoticeTemplate, data: TemplateData & { followUp: boolean }): RenderedNotice {
  const subjectKey = data.followUp ? "followUpSubject" : "subject";
  const subject = template.header[subjectKey];
  if (!subject) throw new TemplateError(`the template header has no "${subjectKey}"`);
  return { subject: fillTemplate(subject, data).replace(/\s+/g, " "), body: fillTemplate(template.body, data) };
}

/** A letter body as blocks for the PDF: "# " and "## " headings, "- " list items, paragraphs. */
export type LetterBlock = { type: "heading"; level: 1 | 2; text: string } | { type: "paragraph"; text: string } | { type: "bullets"; items: string[] };

export function letterBlocks(body: string): LetterBlock[] {
  const blocks: LetterBlock[] = [];
  for (const chunk of body.split(/\n{2,}/)) {
    const lines = chunk.split("\n").filter((l) => l.trim() !== "");
    if (lines.length === 0) continue;
    if (lines.length === 1 && /^#{1,2} /.test(lines[0])) {
      blocks.push({ type: "heading", level: lines[0].startsWith("## ") ? 2 : 1, text: lines[0].replace(/^#{1,2} /, "") });
    } else if (lines.every((l) => l.startsWith("- "))) {
      blocks.push({ type: "bullets", items: lines.map((l) => l.slice(2)) });
    } else {
      blocks.push({ type: "paragraph", text: lines.join("\n") });
    }
  }
  return blocks;
}
