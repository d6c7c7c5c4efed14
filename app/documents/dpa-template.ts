/**
 * DPA text templates: parse a template from `templates/dpa/<profile>.<nl|en>.md`, render it with
 * one customer's data into a structured document (title, numbered clauses, annexes), serialise
 * that to the plain text the customer signs (its SHA-256 is the document hash), and report which
 * clauses cover each Art. 28(3) GDPR item.
 *
 * Everything here is pure except `loadDpaTemplate`, which reads one template file. The module
 * imports node:crypto and node:fs, so it is server-side; React components import its types only
 * and receive the rendered model from a loader.
 *
 * ## Template format (a small Markdown subset with Handlebars-like data tags)
 *
 * Data tags, resolved against `DpaTemplateData` (paths are dotted: `terms.objectionWindow.text`):
 * - `{{path}}` inserts a value: a non-empty string or a finite number. A path that does not exist,
 *   or a value that is null/empty, throws a `DpaTemplateError` naming the path: never silently empty.
 * - `{{#if path}}…{{else}}…{{/if}}` and `{{#unless path}}…{{/unless}}`: false are null, false,
 *   0, "" and []. A path that does not exist throws. `{{#if path == "value"}}` compares with a
 *   string (or number) literal; use it for the enumerated terms values (see DPA_ENUM_VALUES).
 * - `{{#each path}}…{{else}}…{{/each}}` repeats for each list item; `{{this}}` / `{{this.field}}`
 *   is the item. The else branch renders for an empty (or null) list.
 * - A line holding only block tags (`{{#if}}`, `{{else}}`, `{{/each}}`, …) disappears with its line
 *   break, so block tags on their own lines leave no blank lines behind. Tags also work inline.
 * - Inserted values are plain text: they can never create headings, lists, table cells or markers.
 *
 * Markdown, applied to the text after the data tags:
 * - `# Title` first: the document title. Every later `# ` heading starts an annex and reads
 *   `# <word> <Roman numeral> – <heading>`, e.g. `# Bijlage IV – Subverwerkers`.
 * - `## 7. Heading` before the first annex: an article (clause) with its number. Articles are
 *   numbered 1, 2, 3, … without gaps. Inside an annex, `## Heading` is a subheading.
 * - Paragraphs: lines separated by a blank line; lines of one paragraph are joined with a space. A
 *   paragraph starting with `7.5 ` is numbered clause 7.5; within article 7 numbered paragraphs run
 *   7.1, 7.2, … without gaps, whatever branches the data selects. A numbered clause must start a
 *   new paragraph (a missing blank line is an error, not a silent merge).
 * - `- item` lines: a bullet list; a line indented by two spaces continues the previous item.
 * - `| a | b |` lines: a table; the first row is the header, the second the `|---|---|` separator.
 * - `<!-- covers: 28.3.c, 28.2-4 -->` on its own line marks the next heading or block as the
 *   implementation of those Art. 28 items (keys in COVERAGE_ITEMS); markers inside a branch count
 *   only when the branch renders. Other `<!-- … -->` comments are template notes and are dropped.
 * - No inline formatting, no HTML, no escaping: the web page renders text nodes, the PDF text.
 *
 * Authoring rules (clocks only from data, a branch per enumerated terms value, vendor prose for
 * free-text terms gated on `terms.fingerprint.*`) and the data reference: templates/dpa/README.md.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { dataCategoryCatalogue, dataSubjectCatalogue, type CatalogueEntry } from "~/domain/processing-catalogue";
import type { Locale, LocalizedText } from "~/domain/locale";
import { formatAmount, formatDisplayDate, parsePlainDate, type CalendarPeriod } from "~/domain/time";
import {
  BREACH_NOTICE_ITEM_LABELS,
  noticeMonthsFor,
  TERMS_FIELD_PATHS,
  termsProfileSchema,
  type EffectiveField,
  type EffectiveTerms,
  type EndOfContractChoice,
  type NoticeRule,
  type SubprocessorRegime,
  type TermsProfile,
} from "~/domain/terms";

// ---------------------------------------------------------------------------------------
// Errors

export type DpaTemplateErrorCode = "syntax" | "missing_value" | "invalid_value" | "structure" | "not_found";

/** Every problem with a template or its data. `path` names the data path when there is one. */
export class DpaTemplateError extends Error {
  readonly code: DpaTemplateErrorCode;
  readonly path: string | null;

  constructor(code: DpaTemplateErrorCode, message: string, path: string | null = null) {
    super(message);
    this.name = "DpaTemplateError";
    this.code = code;
    this.path = path;
  }
}

function where(name: string, line: number | null): string {
  return line === null ? name : `${name}, line ${line}`;
}

// ---------------------------------------------------------------------------------------
// Coverage items: what Art. 28 GDPR asks a processor agreement to contain

export const COVERAGE_ITEMS = [
  {
    key: "28.3",
    article: { nl: "art. 28 lid 3 (aanhef) AVG", en: "Art. 28(3) GDPR, first subparagraph" },
    label: {
      nl: "Onderwerp, duur, aard en doel van de verwerking, soorten persoonsgegevens, categorieën betrokkenen, rechten en plichten van de verwerkingsverantwoordelijke",
      en: "Subject-matter, duration, nature and purpose of the processing, types of personal data, categories of data subjects, obligations and rights of the controller",
    },
  },
  {
    key: "28.3.a",
    article: { nl: "art. 28 lid 3 onder a AVG", en: "Art. 28(3)(a) GDPR" },
    label: {
      nl: "Verwerking alleen op gedocumenteerde instructies, ook voor doorgifte buiten de EER",
      en: "Processing only on documented instructions, including transfers outside the EEA",
    },
  },
  {
    key: "28.3.b",
    article: { nl: "art. 28 lid 3 onder b AVG", en: "Art. 28(3)(b) GDPR" },
    label: { nl: "Geheimhoudingsplicht van gemachtigde personen", en: "Confidentiality of authorised persons" },
  },
  {
    key: "28.3.c",
    article: { nl: "art. 28 lid 3 onder c AVG", en: "Art. 28(3)(c) GDPR" },
    label: { nl: "Beveiligingsmaatregelen van art. 32 AVG", en: "Security measures under Art. 32 GDPR" },
  },
  {
    key: "28.3.d",
    article: { nl: "art. 28 lid 3 onder d AVG", en: "Art. 28(3)(d) GDPR" },
    label: {
      nl: "Voorwaarden van lid 2 en 4 voor het inschakelen van subverwerkers",
      en: "Conditions of paragraphs 2 and 4 for engaging sub-processors",
    },
  },
  {
    key: "28.3.e",
    article: { nl: "art. 28 lid 3 onder e AVG", en: "Art. 28(3)(e) GDPR" },
    label: { nl: "Bijstand bij verzoeken van betrokkenen", en: "Assistance with data subject requests" },
  },
  {
    key: "28.3.f",
    article: { nl: "art. 28 lid 3 onder f AVG", en: "Art. 28(3)(f) GDPR" },
    label: {
      nl: "Bijstand bij art. 32 tot en met 36 AVG (beveiliging, datalekken, DPIA, voorafgaande raadpleging)",
      en: "Assistance with Arts. 32 to 36 GDPR (security, breaches, DPIA, prior consultation)",
    },
  },
  {
    key: "28.3.g",
    article: { nl: "art. 28 lid 3 onder g AVG", en: "Art. 28(3)(g) GDPR" },
    label: {
      nl: "Na afloop, naar keuze van de verwerkingsverantwoordelijke, wissen of terugbezorgen en kopieën verwijderen",
      en: "At the end, at the controller's choice, deletion or return, and deletion of copies",
    },
  },
  {
    key: "28.3.h",
    article: { nl: "art. 28 lid 3 onder h AVG", en: "Art. 28(3)(h) GDPR" },
    label: { nl: "Informatie ter beschikking stellen en audits mogelijk maken", en: "Making information available and allowing audits" },
  },
  {
    key: "28.3.last",
    article: { nl: "art. 28 lid 3, slotalinea AVG", en: "Art. 28(3) GDPR, final subparagraph" },
    label: {
      nl: "Onmiddellijk melden als een instructie inbreuk maakt op de AVG",
      en: "Inform immediately if an instruction infringes the GDPR",
    },
  },
  {
    key: "28.2-4",
    article: { nl: "art. 28 lid 2 en 4 AVG", en: "Art. 28(2) and (4) GDPR" },
    label: {
      nl: "Subverwerkers: voorafgaande toestemming, melding van wijzigingen, doorgeven van verplichtingen en aansprakelijkheid",
      en: "Sub-processors: prior authorisation, notice of changes, flow-down of obligations and liability",
    },
  },
] as const satisfies readonly { key: string; article: LocalizedText; label: LocalizedText }[];

export type CoverageKey = (typeof COVERAGE_ITEMS)[number]["key"];

const COVERAGE_KEYS: ReadonlySet<string> = new Set(COVERAGE_ITEMS.map((item) => item.key));

function isCoverageKey(key: string): key is CoverageKey {
  return COVERAGE_KEYS.has(key);
}

// ---------------------------------------------------------------------------------------
// Parsed template (data-tag layer)

type Condition = { path: string; equals: string | number | null };

export type TemplateNode =
  | { kind: "text"; text: string }
  | { kind: "value"; path: string; line: number }
  | { kind: "if"; negate: boolean; condition: Condition; then: TemplateNode[]; otherwise: TemplateNode[]; line: number }
  | { kind: "each"; path: string; body: TemplateNode[]; otherwise: TemplateNode[]; line: number };

export type ParsedTemplate = {
  /** file name or label used in error messages */
  name: string;
  nodes: TemplateNode[];
};

const PATH_RE = /^(?:this|@?[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*$/;
const BLOCK_TAG_RE = /\{\{\s*(?:#(?:if|unless|each)\b[^}]*|\/(?:if|unless|each)|else)\s*\}\}/g;
const ANY_TAG_RE = /\{\{([\s\S]*?)\}\}/g;
const SENTINEL_RE = /[\uE000\uE001]/;

type RawToken = { kind: "text"; text: string; line: number } | { kind: "tag"; body: string; line: number; standalone: boolean };

function standaloneLines(source: string): Set<number> {
  const result = new Set<number>();
  source.split("\n").forEach((line, index) => {
    const tags = line.match(BLOCK_TAG_RE);
    if (tags && line.replace(BLOCK_TAG_RE, "").trim() === "") {
      result.add(index + 1);
    }
  });
  return result;
}

function tokenize(source: string, name: string): RawToken[] {
  const standalone = standaloneLines(source);
  const tokens: RawToken[] = [];
  let line = 1;
  let last = 0;
  for (const match of source.matchAll(ANY_TAG_RE)) {
    const before = source.slice(last, match.index);
    if (before) tokens.push({ kind: "text", text: before, line });
    line += countNewlines(before);
    tokens.push({ kind: "tag", body: match[1].trim(), line, standalone: standalone.has(line) && isBlockTag(match[1].trim()) });
    line += countNewlines(match[0]);
    last = match.index + match[0].length;
  }
  const rest = source.slice(last);
  if (rest) tokens.push({ kind: "text", text: rest, line });
  for (const token of tokens) {
    if (token.kind === "text" && (token.text.includes("{{") || token.text.includes("}}"))) {
      throw new DpaTemplateError("syntax", `${where(name, token.line)}: unbalanced "{{" or "}}"`);
    }
  }
  // A line that holds only block tags disappears: drop its indentation and its line break.
  return tokens.map((token, index) => {
    if (token.kind !== "text") return token;
    let text = token.text;
    const previous = tokens[index - 1];
    const next = tokens[index + 1];
    if (previous?.kind === "tag" && previous.standalone) text = text.replace(/^[ \t]*\n?/, "");
    if (next?.kind === "tag" && next.standalone) text = text.replace(/(^|\n)[ \t]*$/, "$1");
    return { ...token, text };
  });
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === "\n") count++;
  return count;
}

function isBlockTag(body: string): boolean {
  return /^(?:#(?:if|unless|each)\b|\/(?:if|unless|each)$|else$)/.test(body);
}

function parsePath(raw: string, name: string, line: number): string {
  if (!PATH_RE.test(raw) || raw.startsWith("@")) {
    throw new DpaTemplateError("syntax", `${where(name, line)}: "${raw}" is not a data path (use letters, digits, _ and dots)`);
  }
  return raw;
}

function parseCondition(raw: string, name: string, line: number): Condition {
  const match = /^(\S+?)(?:\s*==\s*(?:"([^"]*)"|(-?\d+(?:\.\d+)?)))?$/.exec(raw);
  if (!match) throw new DpaTemplateError("syntax", `${where(name, line)}: cannot read the condition "${raw}"`);
  const equals = match[2] !== undefined ? match[2] : match[3] !== undefined ? Number(match[3]) : null;
  return { path: parsePath(match[1], name, line), equals };
}

type OpenBlock = {
  node: Extract<TemplateNode, { kind: "if" | "each" }>;
  closer: "if" | "unless" | "each";
  inElse: boolean;
};

/**
 * Parses a template's text into nodes. Checks tag syntax, nesting and paths (`this` only inside
 * `{{#each}}`); the Markdown structure is checked when rendering, on the text the data selects.
 */
export function parseTemplate(text: string, name = "template"): ParsedTemplate {
  const source = text.replace(/\r\n?/g, "\n").normalize("NFC");
  if (SENTINEL_RE.test(source)) {
    throw new DpaTemplateError("syntax", `${name}: the template contains reserved characters U+E000/U+E001`);
  }
  const root: TemplateNode[] = [];
  const stack: OpenBlock[] = [];
  const target = (): TemplateNode[] => {
    const open = stack[stack.length - 1];
    if (!open) return root;
    return open.inElse ? open.node.otherwise : open.node.kind === "if" ? open.node.then : open.node.body;
  };
  const eachDepth = () => stack.filter((open) => open.node.kind === "each").length;

  for (const token of tokenize(source, name)) {
    if (token.kind === "text") {
      if (token.text) target().push({ kind: "text", text: token.text });
      continue;
    }
    const { body, line } = token;
    const opening = /^#(if|unless|each)\s+(.+)$/.exec(body);
    if (opening) {
      const [, tag, argument] = opening;
      const node: Extract<TemplateNode, { kind: "if" | "each" }> =
        tag === "each"
          ? { kind: "each", path: parsePath(argument.trim(), name, line), body: [], otherwise: [], line }
          : { kind: "if", negate: tag === "unless", condition: parseCondition(argument.trim(), name, line), then: [], otherwise: [], line };
      const usedPath = node.kind === "each" ? node.path : node.condition.path;
      if (usedPath.split(".")[0] === "this" && eachDepth() === 0) {
        throw new DpaTemplateError("syntax", `${where(name, line)}: "this" is only available inside {{#each}}`);
      }
      target().push(node);
      stack.push({ node, closer: tag as OpenBlock["closer"], inElse: false });
      continue;
    }
    if (/^#/.test(body)) throw new DpaTemplateError("syntax", `${where(name, line)}: unknown block tag {{${body}}}`);
    const closing = /^\/(if|unless|each)$/.exec(body);
    if (closing) {
      const open = stack.pop();
      if (!open) throw new DpaTemplateError("syntax", `${where(name, line)}: {{/${closing[1]}}} without an opening tag`);
      if (open.closer !== closing[1]) {
        throw new DpaTemplateError("syntax", `${where(name, line)}: {{/${closing[1]}}} closes {{#${open.closer}}} of line ${open.node.line}`);
      }
      continue;
    }
    if (body === "else") {
      const open = stack[stack.length - 1];
      if (!open) throw new DpaTemplateError("syntax", `${where(name, line)}: {{else}} outside a block`);
      if (open.inElse) throw new DpaTemplateError("syntax", `${where(name, line)}: a second {{else}} in the block of line ${open.node.line}`);
      open.inElse = true;
      continue;
    }
    if (/^[/!>&]/.test(body)) throw new DpaTemplateError("syntax", `${where(name, line)}: unknown tag {{${body}}}`);
    const valuePath = parsePath(body, name, line);
    if (valuePath.split(".")[0] === "this" && eachDepth() === 0) {
      throw new DpaTemplateError("syntax", `${where(name, line)}: "this" is only available inside {{#each}}`);
    }
    target().push({ kind: "value", path: valuePath, line });
  }
  const unclosed = stack.pop();
  if (unclosed) throw new DpaTemplateError("syntax", `${where(name, unclosed.node.line)}: {{#${unclosed.closer}}} is never closed`);
  return { name, nodes: root };
}

// ---------------------------------------------------------------------------------------
// Rendered document model

export type DpaParagraph = { kind: "paragraph"; number: string | null; text: string; covers: CoverageKey[] };
export type DpaBullets = { kind: "bullets"; items: string[]; covers: CoverageKey[] };
export type DpaTable = { kind: "table"; header: string[]; rows: string[][]; covers: CoverageKey[] };
export type DpaBlock = DpaParagraph | DpaBullets | DpaTable;
export type DpaSubheading = { kind: "heading"; text: string; covers: CoverageKey[] };
export type DpaAnnexBlock = DpaBlock | DpaSubheading;

export type DpaClause = {
  /** "7" */
  number: string;
  heading: string;
  blocks: DpaBlock[];
  /** every item marked on the article heading or on one of its blocks */
  covers: CoverageKey[];
};

export type DpaAnnex = {
  /** Roman numeral, "IV" */
  number: string;
  /** "Bijlage IV" / "Annex IV" */
  label: string;
  heading: string;
  blocks: DpaAnnexBlock[];
  covers: CoverageKey[];
};

export type RenderedDpa = {
  title: string;
  /** the parties and recitals between the title and article 1 */
  preamble: DpaBlock[];
  clauses: DpaClause[];
  annexes: DpaAnnex[];
};

// ---------------------------------------------------------------------------------------
// Rendering, step 1: data tags → text with value tokens

type Scope = { root: unknown; items: { value: unknown; label: string }[] };

type Lookup = { value: unknown; label: string };

function lookup(dataPath: string, scope: Scope, name: string, line: number): Lookup {
  const keys = dataPath.split(".");
  let current: unknown;
  let label: string;
  if (keys[0] === "this") {
    const item = scope.items[scope.items.length - 1];
    current = item.value;
    label = item.label;
    keys.shift();
  } else {
    current = scope.root;
    label = "";
  }
  for (const key of keys) {
    const next = label ? `${label}.${key}` : key;
    if (current === null) return { value: null, label: next };
    if (typeof current !== "object" || Array.isArray(current) || !Object.hasOwn(current, key)) {
      throw new DpaTemplateError("missing_value", `${where(name, line)}: missing template data "${next}"`, next);
    }
    current = (current as Record<string, unknown>)[key];
    label = next;
  }
  if (current === undefined) {
    throw new DpaTemplateError("missing_value", `${where(name, line)}: missing template data "${label}"`, label);
  }
  return { value: current, label };
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== undefined && value !== false && value !== "" && value !== 0;
}

function valueText(found: Lookup, name: string, line: number): string {
  const { value, label } = found;
  if (value === null || (typeof value === "string" && value.trim() === "")) {
    throw new DpaTemplateError("missing_value", `${where(name, line)}: no value for "${label}" (null or empty)`, label);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new DpaTemplateError("invalid_value", `${where(name, line)}: "${label}" is not a finite number`, label);
    return String(value);
  }
  if (typeof value !== "string") {
    const what = Array.isArray(value) ? "a list (use {{#each}})" : typeof value === "object" ? "an object (name one of its fields)" : `a ${typeof value}`;
    throw new DpaTemplateError("invalid_value", `${where(name, line)}: "${label}" is ${what}, not text`, label);
  }
  return value.normalize("NFC").replace(/\s+/g, " ").trim();
}

function expand(nodes: TemplateNode[], scope: Scope, name: string, values: string[]): string {
  let out = "";
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out += node.text;
        break;
      case "value":
        values.push(valueText(lookup(node.path, scope, name, node.line), name, node.line));
        out += `\uE000${values.length - 1}\uE001`;
        break;
      case "if": {
        const { value } = lookup(node.condition.path, scope, name, node.line);
        const holds = node.condition.equals === null ? truthy(value) : value === node.condition.equals;
        out += expand(holds !== node.negate ? node.then : node.otherwise, scope, name, values);
        break;
      }
      case "each": {
        const { value, label } = lookup(node.path, scope, name, node.line);
        if (value !== null && !Array.isArray(value)) {
          throw new DpaTemplateError("invalid_value", `${where(name, node.line)}: "${label}" is not a list`, label);
        }
        const items = (value ?? []) as unknown[];
        if (items.length === 0) {
          out += expand(node.otherwise, scope, name, values);
          break;
        }
        items.forEach((item, index) => {
          out += expand(node.body, { root: scope.root, items: [...scope.items, { value: item, label: `${label}[${index}]` }] }, name, values);
        });
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Rendering, step 2: Markdown subset → document model

type Draft =
  | { kind: "paragraph"; lines: string[]; covers: CoverageKey[] }
  | { kind: "bullets"; items: string[]; covers: CoverageKey[] }
  | { kind: "table"; rows: string[][]; covers: CoverageKey[]; raw: string[] };

const CLAUSE_NUMBER_RE = /^(\d+\.\d+)\s+(\S[\s\S]*)$/;
const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

function collapse(text: string): string {
  return text.replace(/[ \t]+/g, " ").trim();
}

function parseMarkdown(text: string, name: string, values: string[]): RenderedDpa {
  const fill = (raw: string): string => collapse(raw).replace(/\uE000(\d+)\uE001/g, (_, index: string) => values[Number(index)]);
  const fail = (message: string, line?: string): never => {
    throw new DpaTemplateError("structure", `${name}: ${message}${line === undefined ? "" : ` (at "${fill(line).slice(0, 80)}")`}`);
  };

  let title: string | null = null;
  const preamble: DpaBlock[] = [];
  const clauses: DpaClause[] = [];
  const annexes: DpaAnnex[] = [];
  let pending: CoverageKey[] = [];
  let draft: Draft | null = null;

  const currentBlocks = (): DpaAnnexBlock[] => {
    if (annexes.length > 0) return annexes[annexes.length - 1].blocks;
    if (clauses.length > 0) return clauses[clauses.length - 1].blocks;
    return preamble;
  };

  const flush = () => {
    if (!draft) return;
    const d: Draft = draft;
    draft = null;
    if (title === null) fail("the document must start with its title (# Title)");
    let block: DpaBlock;
    if (d.kind === "paragraph") {
      const raw = collapse(d.lines.join(" "));
      const numbered = CLAUSE_NUMBER_RE.exec(raw);
      block = numbered
        ? { kind: "paragraph", number: numbered[1], text: fill(numbered[2]), covers: d.covers }
        : { kind: "paragraph", number: null, text: fill(raw), covers: d.covers };
      if (!block.text) fail("empty paragraph", raw);
    } else if (d.kind === "bullets") {
      block = { kind: "bullets", items: d.items.map(fill), covers: d.covers };
      if (block.items.some((item) => !item)) fail("empty list item", d.items.join(" "));
    } else {
      if (d.rows.length < 2 || !d.rows[1].every((cell) => /^:?-{3,}:?$/.test(cell))) {
        fail("a table needs a header row and a |---| separator row", d.raw[0]);
      }
      const header = d.rows[0];
      const rows = d.rows.slice(2);
      rows.forEach((row, index) => {
        if (row.length !== header.length) fail(`table row has ${row.length} cells, the header ${header.length}`, d.raw[index + 2]);
      });
      block = { kind: "table", header: header.map(fill), rows: rows.map((row) => row.map(fill)), covers: d.covers };
    }
    currentBlocks().push(block);
  };

  const takePending = (): CoverageKey[] => {
    const taken = pending;
    pending = [];
    return taken;
  };

  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();

    if (trimmed.startsWith("<!--")) {
      flush();
      let comment = trimmed;
      while (!comment.includes("-->")) {
        i++;
        if (i >= lines.length) fail("unterminated <!-- comment", trimmed);
        comment += `\n${lines[i].trim()}`;
      }
      if (!comment.endsWith("-->")) fail("text after a comment on the same line", comment);
      const body = comment.slice(4, -3).trim();
      const marker = /^covers\s*:([\s\S]*)$/.exec(body);
      if (marker) {
        if (SENTINEL_RE.test(body)) fail("a covers marker cannot contain data values", comment);
        const keys = marker[1].split(",").map((key) => key.trim()).filter(Boolean);
        if (keys.length === 0) fail("empty covers marker", comment);
        for (const key of keys) {
          if (!isCoverageKey(key)) fail(`unknown coverage key "${key}" (known: ${[...COVERAGE_KEYS].join(", ")})`, comment);
          if (!pending.includes(key as CoverageKey)) pending.push(key as CoverageKey);
        }
      }
      continue;
    }
    if (line.includes("<!--")) fail("a comment must stand on its own line", line);

    if (trimmed === "") {
      flush();
      continue;
    }

    const heading = /^(#{1,6})\s+(.*)$/.exec(trimmed);
    if (heading) {
      flush();
      const level = heading[1].length;
      const content = heading[2];
      if (level > 2) fail("only # and ## headings are supported", line);
      if (level === 1 && title === null) {
        if (preamble.length > 0) fail("the title must come first", line);
        title = fill(content);
        if (pending.length > 0) fail("a covers marker cannot mark the title", line);
        continue;
      }
      if (title === null) fail("the document must start with its title (# Title)", line);
      if (level === 1) {
        const annex = /^(\S+)\s+([IVXLC]+)\s*[–—:-]\s*(\S.*)$/.exec(content);
        if (!annex) fail('an annex heading reads "# <word> <Roman numeral> – <heading>"', line);
        const [, word, numeral, annexHeading] = annex as RegExpExecArray;
        annexes.push({ number: numeral, label: `${fill(word)} ${numeral}`, heading: fill(annexHeading), blocks: [], covers: takePending() });
        continue;
      }
      if (annexes.length > 0) {
        annexes[annexes.length - 1].blocks.push({ kind: "heading", text: fill(content), covers: takePending() });
        continue;
      }
      const article = /^(\d+)\.\s+(\S.*)$/.exec(content);
      if (!article) fail('an article heading reads "## <number>. <heading>"', line);
      const [, number, articleHeading] = article as RegExpExecArray;
      clauses.push({ number, heading: fill(articleHeading), blocks: [], covers: takePending() });
      continue;
    }

    if (/^- /.test(trimmed) && !/^\s{2,}/.test(line)) {
      if (draft?.kind !== "bullets") {
        flush();
        draft = { kind: "bullets", items: [], covers: takePending() };
      }
      draft.items.push(trimmed.slice(2));
      continue;
    }
    if (draft?.kind === "bullets" && /^\s{2,}\S/.test(line)) {
      draft.items[draft.items.length - 1] += ` ${trimmed}`;
      continue;
    }

    if (trimmed.startsWith("|")) {
      if (draft?.kind !== "table") {
        flush();
        draft = { kind: "table", rows: [], raw: [], covers: takePending() };
      }
      draft.rows.push(tableCells(trimmed));
      draft.raw.push(trimmed);
      continue;
    }

    if (draft?.kind === "paragraph") {
      if (CLAUSE_NUMBER_RE.test(trimmed)) fail("a numbered clause must start a new paragraph (blank line missing?)", line);
      draft.lines.push(trimmed);
      continue;
    }
    flush();
    draft = { kind: "paragraph", lines: [trimmed], covers: takePending() };
  }
  flush();
  if (pending.length > 0) fail(`covers marker (${pending.join(", ")}) at the end is not followed by anything`);
  if (title === null) fail("the document has no title (# Title)");
  if (clauses.length === 0) fail("the document has no articles (## 1. Heading)");

  for (const clause of clauses) clause.covers = unionCovers(clause.covers, clause.blocks);
  for (const annex of annexes) annex.covers = unionCovers(annex.covers, annex.blocks);
  checkNumbering(clauses, annexes, name);
  return { title: title as string, preamble, clauses, annexes };
}

function unionCovers(own: CoverageKey[], blocks: DpaAnnexBlock[]): CoverageKey[] {
  const all = new Set<CoverageKey>([...own, ...blocks.flatMap((block) => block.covers)]);
  return COVERAGE_ITEMS.map((item) => item.key).filter((key) => all.has(key));
}

function checkNumbering(clauses: DpaClause[], annexes: DpaAnnex[], name: string): void {
  clauses.forEach((clause, index) => {
    if (clause.number !== String(index + 1)) {
      throw new DpaTemplateError("structure", `${name}: article "${clause.number}. ${clause.heading}" should be number ${index + 1}`);
    }
    let expected = 1;
    for (const block of clause.blocks) {
      if (block.kind !== "paragraph" || block.number === null) continue;
      const want = `${clause.number}.${expected}`;
      if (block.number !== want) {
        throw new DpaTemplateError(
          "structure",
          `${name}: in article ${clause.number} clause ${want} was expected but ${block.number} was found ("${block.text.slice(0, 60)}")`,
        );
      }
      expected++;
    }
  });
  annexes.forEach((annex, index) => {
    if (annex.number !== ROMAN[index]) {
      throw new DpaTemplateError("structure", `${name}: annex "${annex.label}" should be numbered ${ROMAN[index]}`);
    }
  });
}

/**
 * Renders a parsed template with one customer's data. Throws DpaTemplateError for missing data
 * (naming the path) and for a structure the data turns invalid (numbering gaps, broken tables).
 */
export function renderTemplate(parsed: ParsedTemplate, data: DpaTemplateData): RenderedDpa {
  const values: string[] = [];
  const text = expand(parsed.nodes, { root: data, items: [] }, parsed.name, values);
  return parseMarkdown(text, parsed.name, values);
}

// ---------------------------------------------------------------------------------------
// Plain text (what is signed) and its hash

function blockText(block: DpaAnnexBlock): string {
  switch (block.kind) {
    case "paragraph":
      return block.number ? `${block.number} ${block.text}` : block.text;
    case "bullets":
      return block.items.map((item) => `- ${item}`).join("\n");
    case "table":
      return [block.header, ...block.rows].map((row) => row.join(" | ")).join("\n");
    case "heading":
      return block.text;
  }
}

/**
 * The plain-text serialisation of a rendered DPA: title, preamble, "7. Heading" per article with
 * its clauses, then "Bijlage I – Partijen" per annex; blocks separated by one blank line, table rows
 * as "cell | cell", LF line ends, one final newline. Same rendered model → same text.
 */
export function dpaText(rendered: RenderedDpa): string {
  const parts: string[] = [rendered.title, ...rendered.preamble.map(blockText)];
  for (const clause of rendered.clauses) parts.push(`${clause.number}. ${clause.heading}`, ...clause.blocks.map(blockText));
  for (const annex of rendered.annexes) parts.push(`${annex.label} – ${annex.heading}`, ...annex.blocks.map(blockText));
  return `${parts.join("\n\n")}\n`;
}

/** SHA-256 (hex) of the signed text, UTF-8: the document hash each signature records. */
export function dpaTextHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------
// Coverage

export type CoverageEntry = {
  key: CoverageKey;
  article: LocalizedText;
  label: LocalizedText;
  /** clause numbers ("7.5", or "7" for a marker on the article) and annex labels ("Bijlage II") */
  locations: string[];
};

export type DpaCoverage = { items: CoverageEntry[]; gaps: CoverageKey[] };

/** For each Art. 28 item, the clauses and annexes of the rendered text that implement it. */
export function coverage(rendered: RenderedDpa): DpaCoverage {
  const locations = new Map<CoverageKey, string[]>(COVERAGE_ITEMS.map((item) => [item.key, []]));
  const add = (keys: CoverageKey[], location: string) => {
    for (const key of keys) {
      const list = locations.get(key)!;
      if (!list.includes(location)) list.push(location);
    }
  };
  for (const clause of rendered.clauses) {
    let reference = clause.number;
    // keys on the clause but on none of its blocks were marked on the article heading
    add(
      clause.covers.filter((key) => !clause.blocks.some((block) => block.covers.includes(key))),
      clause.number,
    );
    for (const block of clause.blocks) {
      if (block.kind === "paragraph" && block.number) reference = block.number;
      add(block.covers, reference);
    }
  }
  for (const annex of rendered.annexes) add(annex.covers, annex.label);
  const items = COVERAGE_ITEMS.map((item) => ({ key: item.key, article: item.article, label: item.label, locations: locations.get(item.key)! }));
  return { items, gaps: items.filter((item) => item.locations.length === 0).map((item) => item.key) };
}

// ---------------------------------------------------------------------------------------
// Template data

/** A calendar period with its text in the document's language: { 2, "weeks", "2 weken" }. */
export type DpaPeriod = { amount: number; unit: CalendarPeriod["unit"]; text: string };

type NegotiatedFlags<T> = { [K in keyof T]: T[K] extends { value: unknown } ? boolean : NegotiatedFlags<T[K]> };

/**
 * The customer's EFFECTIVE terms (profile version plus negotiated deviations), flattened to plain
 * values for templates. Same names as TermsProfile; per field only its `value`, with these additions:
 * - hours fields get a `…Text` sibling in the document's language ("24 uur" / "24 hours");
 * - calendar periods are DpaPeriod ({ amount, unit, text });
 * - localized texts (transfersOutsideEea, auditRights, dpaChangeNotice.text, liabilityCap.text) are
 *   the document language's string;
 * - breachNoticeContents are the item labels, in the profile's order;
 * - liabilityCap.amount is the formatted euro amount ("€ 1.000"), null when there is none;
 * - mainContract: term/renewal as DpaPeriod, notice = the notice period for THIS customer's
 *   contract term (KlantGenerator's rule depends on it), noticeRule = the rule's kind;
 * - negotiated: per field (same tree) true when the value comes from a negotiated deviation, so a
 *   template can replace vendor prose written for a text field by the negotiated text.
 */
export type DpaTerms = {
  breachNoticeHours: number | null;
  breachNoticeHoursText: string | null;
  breachClockStart: TermsProfile["breachClockStart"]["value"];
  thirdPartyBreachNoticeHours: number | null;
  thirdPartyBreachNoticeHoursText: string | null;
  authorityDeadlineHours: number | null;
  authorityDeadlineHoursText: string | null;
  breachNoticeContents: string[];
  breachScope: TermsProfile["breachScope"]["value"];
  subprocessorRegime: SubprocessorRegime;
  objectionWindow: DpaPeriod | null;
  objectionWindowTermijnenwet: boolean;
  transfersOutsideEea: string | null;
  endOfContract: {
    choice: EndOfContractChoice;
    deletionDeadline: DpaPeriod | null;
    backupRetention: DpaPeriod | null;
    exitRequestDeadline: "before_end" | null;
    choiceDeadline: DpaPeriod | null;
  };
  auditRights: string | null;
  dpaChangeNotice: { noticePeriod: DpaPeriod | null; responseWindow: DpaPeriod | null; text: string };
  liabilityCap: { text: string; amountEur: number | null; amount: string | null } | null;
  mainContract: {
    termMonths: number | null;
    term: DpaPeriod | null;
    tacitRenewal: boolean;
    renewalMonths: number | null;
    renewal: DpaPeriod | null;
    notice: DpaPeriod | null;
    noticeRule: NoticeRule["kind"] | null;
    noticeTermijnenwet: boolean;
  };
  negotiated: NegotiatedFlags<Omit<TermsProfile, "notes">>;
  /**
   * Short SHA-256 fingerprints (8 hex) of the free-text terms, over the Dutch and English text
   * together; null when the field is null. A template writes its own prose for a vendor's text
   * only while the terms still say exactly that: `{{#if terms.fingerprint.auditRights == "…"}}`.
   * A negotiated text or a new profile version changes the fingerprint, and the template falls
   * back to printing the terms text itself, so the document never states a superseded rule.
   */
  fingerprint: {
    transfersOutsideEea: string | null;
    auditRights: string | null;
    liabilityCap: string | null;
    dpaChangeNotice: string;
  };
};

export type DpaListItem = { label: string; flag: string | null };

export type DpaTemplateData = {
  document: {
    language: Locale;
    /** e.g. "Leadcube VO v1 · 2026-11-22" */
    versionLabel: string;
    /** the document date as displayed, "22-11-2026" */
    date: string;
  };
  processor: {
    legalName: string;
    /** the trade name when it differs from the legal name, else null */
    tradingAs: string | null;
    /** place of business, "Arnhem"; null when unknown */
    city: string | null;
    /** "Vossenstraat 6, Arnhem"; null when nothing is known */
    addressLine: string | null;
    /** "KvK 80509630"; null when unknown */
    registration: string | null;
  };
  controller: {
    name: string;
    /** place of business, with the country when it is not the Netherlands: "Brussel, België" */
    city: string | null;
    addressLine: string | null;
    registration: string | null;
    signatory: { name: string; role: string };
    privacyContact: { name: string; email: string };
    dpo: { name: string; email: string } | null;
    /** the addresses that receive breach and other notices, "a@x.example, b@x.example" */
    notificationAddresses: string;
  };
  terms: DpaTerms;
  annex: {
    processing: {
      subjectMatter: string;
      nature: string;
      purposes: string[];
      /** start date as displayed */
      contractStart: string;
      contractTerm: DpaPeriod;
      /** agreed duration text if the customer record has one, else null (= the main agreement's term) */
      durationNote: string | null;
      /** flag: special category (Art. 9), national identification number (BSN) or criminal data (Art. 10) */
      dataCategories: DpaListItem[];
      /** labels of the flagged categories; empty when there are none */
      specialCategories: string[];
      dataSubjects: DpaListItem[];
      services: { name: string; description: string }[];
      /** sub-processors with a location outside the EEA */
      transfers: { name: string; countries: string; safeguard: string }[];
    };
    securityMeasures: { defaults: string[]; additions: string[] };
    subprocessors: { name: string; service: string; locations: string; safeguard: string }[];
  };
};

/** Values templates may compare with `{{#if path == "value"}}`, taken from the terms schema. */
export const DPA_ENUM_VALUES: Readonly<Record<string, readonly string[]>> = {
  "terms.breachClockStart": termsProfileSchema.shape.breachClockStart.shape.value.options,
  "terms.breachScope": termsProfileSchema.shape.breachScope.shape.value.options,
  "terms.subprocessorRegime": termsProfileSchema.shape.subprocessorRegime.shape.value.options,
  "terms.endOfContract.choice": termsProfileSchema.shape.endOfContract.shape.choice.shape.value.options,
  "terms.endOfContract.exitRequestDeadline": termsProfileSchema.shape.endOfContract.shape.exitRequestDeadline.shape.value.unwrap().options,
  "terms.mainContract.noticeRule": ["fixed", "by_term_length"],
  "document.language": ["nl", "en"],
};

// ----- building the data --------------------------------------------------------------

export type TransferSafeguardCode = "adequacy" | "scc" | "bcr" | null;

/** What a service hands over to build one customer's template data; unlocalised where it can be. */
export type DpaDataInput = {
  language: Locale;
  versionLabel: string;
  /** "YYYY-MM-DD" */
  date: string;
  processor: {
    legalName: string;
    tradeName: string;
    address: string | null;
    postcode: string | null;
    city: string | null;
    country: string;
    /** KvK number, or "<register> <number>" abroad */
    registrationNumber: string | null;
  };
  controller: {
    name: string;
    registrationNumber: string | null;
    address: string | null;
    postcode: string | null;
    city: string | null;
    country: string;
    signatory: { name: string; role: string };
    privacyContact: { name: string; email: string };
    dpo: { name: string; email: string } | null;
    notificationEmails: string[];
  };
  terms: EffectiveTerms;
  processing: {
    subjectMatter: string;
    nature: string;
    /** customer-specific agreed duration, "" or null when it is the main agreement's term */
    duration?: string | null;
    purposes: string[];
    /** keys of the data category catalogue */
    dataCategories: string[];
    /** keys of the data subject catalogue */
    dataSubjects: string[];
    services: { name: string; description: string }[];
    /** "YYYY-MM-DD" */
    contractStart: string;
    contractTermMonths: number;
  };
  /** the sub-processors engaged for this customer's services */
  subprocessors: { name: string; service: string; locations: string[]; safeguard: TransferSafeguardCode }[];
  securityMeasures: { defaults: string[]; additions: string[] };
};

/** EU member states plus Iceland, Liechtenstein and Norway. */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
  "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
]);

/** Fixed names, so the signed text never depends on the ICU version of the machine. */
const COUNTRY_NAMES: Record<string, LocalizedText> = {
  AT: { nl: "Oostenrijk", en: "Austria" },
  BE: { nl: "België", en: "Belgium" },
  BG: { nl: "Bulgarije", en: "Bulgaria" },
  HR: { nl: "Kroatië", en: "Croatia" },
  CY: { nl: "Cyprus", en: "Cyprus" },
  CZ: { nl: "Tsjechië", en: "Czechia" },
  DK: { nl: "Denemarken", en: "Denmark" },
  EE: { nl: "Estland", en: "Estonia" },
  FI: { nl: "Finland", en: "Finland" },
  FR: { nl: "Frankrijk", en: "France" },
  DE: { nl: "Duitsland", en: "Germany" },
  GR: { nl: "Griekenland", en: "Greece" },
  HU: { nl: "Hongarije", en: "Hungary" },
  IE: { nl: "Ierland", en: "Ireland" },
  IT: { nl: "Italië", en: "Italy" },
  LV: { nl: "Letland", en: "Latvia" },
  LT: { nl: "Litouwen", en: "Lithuania" },
  LU: { nl: "Luxemburg", en: "Luxembourg" },
  MT: { nl: "Malta", en: "Malta" },
  NL: { nl: "Nederland", en: "the Netherlands" },
  PL: { nl: "Polen", en: "Poland" },
  PT: { nl: "Portugal", en: "Portugal" },
  RO: { nl: "Roemenië", en: "Romania" },
  SK: { nl: "Slowakije", en: "Slovakia" },
  SI: { nl: "Slovenië", en: "Slovenia" },
  ES: { nl: "Spanje", en: "Spain" },
  SE: { nl: "Zweden", en: "Sweden" },
  IS: { nl: "IJsland", en: "Iceland" },
  LI: { nl: "Liechtenstein", en: "Liechtenstein" },
  NO: { nl: "Noorwegen", en: "Norway" },
  CH: { nl: "Zwitserland", en: "Switzerland" },
  GB: { nl: "Verenigd Koninkrijk", en: "United Kingdom" },
  US: { nl: "Verenigde Staten", en: "United States" },
  CA: { nl: "Canada", en: "Canada" },
  AU: { nl: "Australië", en: "Australia" },
  JP: { nl: "Japan", en: "Japan" },
  KR: { nl: "Zuid-Korea", en: "South Korea" },
  IN: { nl: "India", en: "India" },
  IL: { nl: "Israël", en: "Israel" },
  SG: { nl: "Singapore", en: "Singapore" },
  NZ: { nl: "Nieuw-Zeeland", en: "New Zealand" },
  BR: { nl: "Brazilië", en: "Brazil" },
};

function countryName(code: string, locale: Locale): string {
  return COUNTRY_NAMES[code.toUpperCase()]?.[locale] ?? code.toUpperCase();
}

const SAFEGUARD_TEXT: Record<"adequacy" | "scc" | "bcr" | "eea", LocalizedText> = {
  adequacy: {
    nl: "Adequaatheidsbesluit van de Europese Commissie (art. 45 AVG)",
    en: "Adequacy decision of the European Commission (Art. 45 GDPR)",
  },
  scc: {
    nl: "Modelcontractbepalingen van de Europese Commissie (art. 46 lid 2 onder c AVG)",
    en: "Standard contractual clauses adopted by the European Commission (Art. 46(2)(c) GDPR)",
  },
  bcr: { nl: "Bindende bedrijfsvoorschriften (art. 47 AVG)", en: "Binding corporate rules (Art. 47 GDPR)" },
  eea: { nl: "Niet nodig: verwerking binnen de EER", en: "Not needed: processing within the EEA" },
};

const CATEGORY_FLAGS: { test: (entry: CatalogueEntry) => boolean; text: LocalizedText }[] = [
  {
    test: (entry) => Boolean(entry.special),
    text: { nl: "bijzondere categorie persoonsgegevens (art. 9 AVG)", en: "special category of personal data (Art. 9 GDPR)" },
  },
  {
    test: (entry) => Boolean(entry.nationalId),
    text: { nl: "nationaal identificatienummer (art. 87 AVG, art. 46 UAVG)", en: "national identification number (Art. 87 GDPR, Art. 46 UAVG)" },
  },
  {
    test: (entry) => Boolean(entry.criminal),
    text: { nl: "strafrechtelijke persoonsgegevens (art. 10 AVG)", en: "personal data relating to criminal convictions and offences (Art. 10 GDPR)" },
  },
];

const VULNERABLE_FLAG: LocalizedText = { nl: "kwetsbare groep", en: "vulnerable group" };

function catalogueItem(
  kind: "dataCategory" | "dataSubject",
  key: string,
  locale: Locale,
  field: string,
): DpaListItem & { special: boolean } {
  const catalogue: Record<string, CatalogueEntry> = kind === "dataCategory" ? dataCategoryCatalogue : dataSubjectCatalogue;
  const entry = Object.hasOwn(catalogue, key) ? catalogue[key] : undefined;
  if (!entry) throw new DpaTemplateError("invalid_value", `unknown catalogue key "${key}" in ${field}`, field);
  const flags = CATEGORY_FLAGS.filter((flag) => flag.test(entry)).map((flag) => flag.text[locale]);
  const special = flags.length > 0;
  if (entry.vulnerable) flags.push(VULNERABLE_FLAG[locale]);
  return { label: entry[locale], flag: flags.length > 0 ? flags.join("; ") : null, special };
}

function period(value: CalendarPeriod | null, locale: Locale): DpaPeriod | null {
  return value === null ? null : { amount: value.amount, unit: value.unit, text: formatAmount(value.amount, value.unit, locale) };
}

function hoursText(hours: number | null, locale: Locale): string | null {
  if (hours === null) return null;
  const amount = locale === "nl" ? String(hours).replace(".", ",") : String(hours);
  return locale === "nl" ? `${amount} uur` : `${amount} ${hours === 1 ? "hour" : "hours"}`;
}

/** "€ 1.000" / "€1,000"; cents only when there are any. */
export function formatEuro(amount: number, locale: Locale): string {
  const whole = Math.trunc(Math.abs(amount));
  const cents = Math.round((Math.abs(amount) - whole) * 100);
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, locale === "nl" ? "." : ",");
  const fraction = cents > 0 ? `${locale === "nl" ? "," : "."}${String(cents).padStart(2, "0")}` : "";
  return `${amount < 0 ? "-" : ""}${locale === "nl" ? "€ " : "€"}${grouped}${fraction}`;
}

function negotiatedFlags(terms: EffectiveTerms): DpaTerms["negotiated"] {
  const tree: Record<string, unknown> = {};
  for (const fieldPath of TERMS_FIELD_PATHS) {
    const keys = fieldPath.split(".");
    let source: unknown = terms;
    for (const key of keys) source = (source as Record<string, unknown>)[key];
    let node = tree;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = (source as EffectiveField<unknown>).source.kind === "negotiated";
  }
  return tree as DpaTerms["negotiated"];
}

/** Flattens effective terms for a template; see DpaTerms. */
export function flattenTerms(terms: EffectiveTerms, locale: Locale, contractTermMonths: number): DpaTerms {
  const end = terms.endOfContract;
  const change = terms.dpaChangeNotice.value;
  const cap = terms.liabilityCap.value;
  const main = terms.mainContract;
  const notice = main.notice.value;
  const termMonths = main.termMonths.value;
  const renewalMonths = main.renewalMonths.value;
  return {
    breachNoticeHours: terms.breachNoticeHours.value,
    breachNoticeHoursText: hoursText(terms.breachNoticeHours.value, locale),
    breachClockStart: terms.breachClockStart.value,
    thirdPartyBreachNoticeHours: terms.thirdPartyBreachNoticeHours.value,
    thirdPartyBreachNoticeHoursText: hoursText(terms.thirdPartyBreachNoticeHours.value, locale),
    authorityDeadlineHours: terms.authorityDeadlineHours.value,
    authorityDeadlineHoursText: hoursText(terms.authorityDeadlineHours.value, locale),
    breachNoticeContents: terms.breachNoticeContents.value.map((item) => BREACH_NOTICE_ITEM_LABELS[item][locale]),
    breachScope: terms.breachScope.value,
    subprocessorRegime: terms.subprocessorRegime.value,
    objectionWindow: period(terms.objectionWindow.value, locale),
    objectionWindowTermijnenwet: terms.objectionWindowTermijnenwet.value,
    transfersOutsideEea: terms.transfersOutsideEea.value?.[locale] ?? null,
    endOfContract: {
      choice: end.choice.value,
      deletionDeadline: period(end.deletionDeadline.value, locale),
      backupRetention: period(end.backupRetention.value, locale),
      exitRequestDeadline: end.exitRequestDeadline.value,
      choiceDeadline: period(end.choiceDeadline.value, locale),
    },
    auditRights: terms.auditRights.value?.[locale] ?? null,
    dpaChangeNotice: {
      noticePeriod: period(change.noticePeriod, locale),
      responseWindow: period(change.responseWindow, locale),
      text: change.text[locale],
    },
    liabilityCap:
      cap === null
        ? null
        : { text: cap.text[locale], amountEur: cap.amountEur, amount: cap.amountEur === null ? null : formatEuro(cap.amountEur, locale) },
    mainContract: {
      termMonths,
      term: period(termMonths === null ? null : { amount: termMonths, unit: "months" }, locale),
      tacitRenewal: main.tacitRenewal.value,
      renewalMonths,
      renewal: period(renewalMonths === null ? null : { amount: renewalMonths, unit: "months" }, locale),
      notice: notice === null ? null : period({ amount: noticeMonthsFor(notice, contractTermMonths), unit: "months" }, locale),
      noticeRule: notice?.kind ?? null,
      noticeTermijnenwet: main.noticeTermijnenwet.value,
    },
    negotiated: negotiatedFlags(terms),
    fingerprint: {
      transfersOutsideEea: textFingerprint(terms.transfersOutsideEea.value),
      auditRights: textFingerprint(terms.auditRights.value),
      liabilityCap: textFingerprint(cap?.text ?? null),
      dpaChangeNotice: textFingerprint(change.text)!,
    },
  };
}

/** 8 hex characters of SHA-256 over "nl\u0000en"; the same in both templates of a vendor. */
export function textFingerprint(text: LocalizedText | null): string | null {
  if (text === null) return null;
  return createHash("sha256").update(`${text.nl}\u0000${text.en}`, "utf8").digest("hex").slice(0, 8);
}

function addressLine(parts: { address: string | null; postcode: string | null; city: string | null; country: string }, locale: Locale): string | null {
  const place = [parts.postcode, parts.city].map((part) => part?.trim()).filter(Boolean).join(" ");
  const country = parts.country.toUpperCase() === "NL" ? "" : countryName(parts.country, locale);
  const line = [parts.address?.trim(), place, country].filter(Boolean).join(", ");
  return line || null;
}

function cityLine(parts: { city: string | null; country: string }, locale: Locale): string | null {
  const city = parts.city?.trim();
  if (!city) return null;
  return parts.country.toUpperCase() === "NL" ? city : `${city}, ${countryName(parts.country, locale)}`;
}

function registration(number: string | null, country: string): string | null {
  const trimmed = number?.trim();
  if (!trimmed) return null;
  return country.toUpperCase() === "NL" && /^\d{8}$/.test(trimmed) ? `KvK ${trimmed}` : trimmed;
}

function requireList<T>(list: T[], field: string): T[] {
  if (list.length === 0) throw new DpaTemplateError("missing_value", `the DPA needs at least one entry in ${field}`, field);
  return list;
}

function requireText(text: string, field: string): string {
  if (text.trim() === "") throw new DpaTemplateError("missing_value", `the DPA needs ${field}`, field);
  return text.trim();
}

/**
 * Builds one customer's template data: localises catalogue keys, countries and periods, flags
 * special categories and national ID numbers, derives transfers from the sub-processors' locations.
 * Throws DpaTemplateError for data a DPA cannot do without (no purposes, an unknown catalogue key,
 * a sub-processor outside the EEA without a transfer safeguard).
 */
export function buildDpaTemplateData(input: DpaDataInput): DpaTemplateData {
  const locale = input.language;
  const processing = input.processing;
  const subprocessors = input.subprocessors.map((sub, index) => {
    const field = `subprocessors[${index}]`;
    const outside = sub.locations.filter((code) => !EEA_COUNTRIES.has(code.toUpperCase()));
    if (sub.locations.length === 0) throw new DpaTemplateError("missing_value", `sub-processor "${sub.name}" has no location`, `${field}.locations`);
    if (outside.length > 0 && sub.safeguard === null) {
      throw new DpaTemplateError(
        "invalid_value",
        `sub-processor "${sub.name}" processes outside the EEA (${outside.join(", ")}) without a transfer safeguard`,
        `${field}.safeguard`,
      );
    }
    const safeguard = SAFEGUARD_TEXT[outside.length > 0 && sub.safeguard ? sub.safeguard : "eea"][locale];
    return {
      row: {
        name: requireText(sub.name, `${field}.name`),
        service: requireText(sub.service, `${field}.service`),
        locations: sub.locations.map((code) => countryName(code, locale)).join(", "),
        safeguard,
      },
      transfer: outside.length > 0 ? { name: sub.name.trim(), countries: outside.map((code) => countryName(code, locale)).join(", "), safeguard } : null,
    };
  });
  const dataCategories = requireList(processing.dataCategories, "processing.dataCategories").map((key) =>
    catalogueItem("dataCategory", key, locale, "processing.dataCategories"),
  );
  const tradeName = input.processor.tradeName.trim();
  return {
    document: { language: locale, versionLabel: requireText(input.versionLabel, "versionLabel"), date: formatDisplayDate(parsePlainDate(input.date, "date")) },
    processor: {
      legalName: requireText(input.processor.legalName, "processor.legalName"),
      // "Dinand Mentink h.o.d.n. Elementon" already names its trade name
      tradingAs: tradeName && !input.processor.legalName.includes(tradeName) ? tradeName : null,
      city: cityLine(input.processor, locale),
      addressLine: addressLine(input.processor, locale),
      registration: registration(input.processor.registrationNumber, input.processor.country),
    },
    controller: {
      name: requireText(input.controller.name, "controller.name"),
      city: cityLine(input.controller, locale),
      addressLine: addressLine(input.controller, locale),
      registration: registration(input.controller.registrationNumber, input.controller.country),
      signatory: input.controller.signatory,
      privacyContact: input.controller.privacyContact,
      dpo: input.controller.dpo,
      notificationAddresses: requireList(input.controller.notificationEmails, "controller.notificationEmails").join(", "),
    },
    terms: flattenTerms(input.terms, locale, processing.contractTermMonths),
    annex: {
      processing: {
        subjectMatter: requireText(processing.subjectMatter, "processing.subjectMatter"),
        nature: requireText(processing.nature, "processing.nature"),
        purposes: requireList(processing.purposes, "processing.purposes"),
        contractStart: formatDisplayDate(parsePlainDate(processing.contractStart, "processing.contractStart")),
        contractTerm: period({ amount: processing.contractTermMonths, unit: "months" }, locale)!,
        durationNote: processing.duration?.trim() ? processing.duration.trim() : null,
        dataCategories: dataCategories.map(({ label, flag }) => ({ label, flag })),
        specialCategories: dataCategories.filter((item) => item.special).map((item) => item.label),
        dataSubjects: requireList(processing.dataSubjects, "processing.dataSubjects").map((key) => {
          const { label, flag } = catalogueItem("dataSubject", key, locale, "processing.dataSubjects");
          return { label, flag };
        }),
        services: requireList(processing.services, "processing.services"),
        transfers: subprocessors.flatMap((sub) => (sub.transfer ? [sub.transfer] : [])),
      },
      securityMeasures: {
        defaults: requireList(input.securityMeasures.defaults, "securityMeasures.defaults"),
        additions: input.securityMeasures.additions,
      },
      subprocessors: subprocessors.map((sub) => sub.row),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Template checks that do not depend on one customer's branch

function lookupSample(sample: unknown, dataPath: string): unknown {
  let current = sample;
  for (const key of dataPath.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export type TemplateLintIssue = { line: number; path: string; problem: "unknown_path" | "unknown_literal" | "comparison_on_free_value" };

/**
 * Checks every path in every branch of a template against sample data (a path is known when it
 * exists, down to its last key, in at least one sample), every `==` literal against
 * DPA_ENUM_VALUES, and every `terms.fingerprint.*` literal against the samples' fingerprints (so
 * vendor prose whose terms text has changed is reported). Catches typos in branches a given
 * customer never reaches.
 */
export function lintTemplate(parsed: ParsedTemplate, samples: DpaTemplateData[]): TemplateLintIssue[] {
  const issues: TemplateLintIssue[] = [];
  type Item = { sample: unknown[]; list: string };

  const exists = (value: unknown, keys: string[]): boolean => {
    let current = value;
    for (const key of keys) {
      if (current === null || typeof current !== "object" || Array.isArray(current) || !Object.hasOwn(current, key)) return false;
      current = (current as Record<string, unknown>)[key];
    }
    return current !== undefined;
  };
  const known = (dataPath: string, items: Item[]): boolean => {
    const keys = dataPath.split(".");
    if (keys[0] === "this") {
      const item = items[items.length - 1];
      return item.sample.length === 0 || item.sample.some((value) => exists(value, keys.slice(1)));
    }
    return samples.some((sample) => exists(sample, keys));
  };
  const elements = (dataPath: string, items: Item[]): unknown[] => {
    const keys = dataPath.split(".");
    const bases = keys[0] === "this" ? items[items.length - 1].sample : samples;
    const rest = keys[0] === "this" ? keys.slice(1) : keys;
    return bases.flatMap((base) => {
      let current = base;
      for (const key of rest) {
        if (current === null || typeof current !== "object") return [];
        current = (current as Record<string, unknown>)[key];
      }
      return Array.isArray(current) ? current : [];
    });
  };
  const walk = (nodes: TemplateNode[], items: Item[]) => {
    for (const node of nodes) {
      if (node.kind === "text") continue;
      const nodePath = node.kind === "if" ? node.condition.path : node.path;
      if (!known(nodePath, items)) issues.push({ line: node.line, path: nodePath, problem: "unknown_path" });
      if (node.kind === "if") {
        if (node.condition.equals !== null) {
          const allowed = node.condition.path.startsWith("terms.fingerprint.")
            ? samples.map((sample) => lookupSample(sample, node.condition.path)).filter((value): value is string => typeof value === "string")
            : DPA_ENUM_VALUES[node.condition.path];
          if (!allowed) issues.push({ line: node.line, path: nodePath, problem: "comparison_on_free_value" });
          else if (!allowed.includes(String(node.condition.equals))) issues.push({ line: node.line, path: nodePath, problem: "unknown_literal" });
        }
        walk(node.then, items);
        walk(node.otherwise, items);
      } else if (node.kind === "each") {
        walk(node.body, [...items, { sample: elements(node.path, items), list: node.path }]);
        walk(node.otherwise, items);
      }
    }
  };
  walk(parsed.nodes, []);
  return issues;
}

// ---------------------------------------------------------------------------------------
// Loading a template file (the only I/O in this module)

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** templates/dpa/<slug>.<language>.md under `templatesDir` (default: ./templates of the working directory). */
export function dpaTemplatePath(slug: string, language: Locale, templatesDir = path.resolve(process.cwd(), "templates")): string {
  if (!SLUG_RE.test(slug)) throw new DpaTemplateError("not_found", `"${slug}" is not a terms profile slug`);
  if (language !== "nl" && language !== "en") throw new DpaTemplateError("not_found", `"${String(language)}" is not a DPA language`);
  return path.join(templatesDir, "dpa", `${slug}.${language}.md`);
}

/** Reads and parses the DPA template of a workspace terms profile in one language. */
export async function loadDpaTemplate(slug: string, language: Locale, options: { templatesDir?: string } = {}): Promise<ParsedTemplate> {
  const file = dpaTemplatePath(slug, language, options.templatesDir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new DpaTemplateError("not_found", `no DPA template for terms profile "${slug}" in language "${language}" (${file})`);
    }
    throw error;
  }
  return parseTemplate(text, `${slug}.${language}.md`);
}
