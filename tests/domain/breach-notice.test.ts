import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  fillTemplate,
  itemFilled,
  letterBlocks,
  missingItems,
  noticeSections,
  parseNoticeTemplate,
  renderNotice,
  sectionsText,
  TemplateError,
} from "~/domain/breach-notice";
import { requiredNoticeItems } from "~/domain/breach-obligations";
import type { BreachFacts } from "~/domain/breach-record";
import { effectiveTerms } from "~/domain/terms";
import { seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";

const empty: BreachFacts = {
  reference: "INC-2026-0001",
  title: "Mailbox of a support agent accessed",
  classification: "breach",
  classificationReasoning: "",
  nature: "",
  breachTypes: [],
  sourceKind: "own_systems",
  subprocessorName: null,
  subprocessorReportedAt: null,
  occurredFrom: null,
  occurredTo: null,
  ongoing: false,
  discoveredAt: "2026-03-28T13:00:00.000Z",
  shouldHaveKnownAt: null,
  dataCategories: [],
  dataCategoriesNote: "",
  dataSubjects: [],
  subjectsMin: null,
  subjectsMax: null,
  recordsMin: null,
  recordsMax: null,
  protection: "",
  consequences: "",
  measuresTaken: "",
  measuresProposed: "",
  contactName: "",
  contactEmail: "",
  contactPhone: "",
  followUpContact: "",
  riskLevel: null,
  riskReasoning: "",
  subjectsNotice: "undecided",
  subjectsNoticeReasoning: "",
  crossBorder: false,
};

const complete: BreachFacts = {
  ...empty,
  nature: "An attacker read the mailbox of one support agent for two hours.",
  breachTypes: ["confidentiality"],
  sourceKind: "subprocessor",
  subprocessorName: "Mailhost B.V.",
  subprocessorReportedAt: "2026-03-28T12:00:00.000Z",
  occurredFrom: "2026-03-28T08:00:00.000Z",
  occurredTo: "2026-03-28T10:00:00.000Z",
  dataCategories: ["name", "contact", "bsn"],
  dataSubjects: ["customers"],
  subjectsMin: 120,
  subjectsMax: 450,
  recordsMin: 300,
  recordsMax: 900,
  protection: "Mailbox behind MFA; attachments not encrypted.",
  consequences: "Phishing aimed at the people in the mails.",
  measuresTaken: "Password reset, sessions revoked.",
  measuresProposed: "Hardware keys for all agents.",
  contactName: "Anna de Vries",
  contactEmail: "privacy@vendor.example",
  riskLevel: "high",
  riskReasoning: "National ID numbers in attachments.",
  subjectsNotice: "required",
};

const termsOf = (slug: SeedWorkspaceSlug) => effectiveTerms(seedTermsProfiles[slug], 1);

describe("required contents check", () => {
  it.each([
    ["leadcube", ["nature", "categories_and_numbers", "contact_point", "consequences", "measures"]],
    ["klantgenerator", ["all_available_information"]],
    [
      "lai-media",
      ["nature", "consequences", "personal_data_categories", "protection", "measures", "data_subject_categories", "data_subject_count", "follow_up_contact"],
    ],
    ["elementon", ["breach_occurred", "nature", "categories_and_numbers", "contact_point", "consequences", "measures"]],
    ["puredigital", ["all_relevant_information"]],
  ] as const)("%s: an empty record misses exactly what the terms ask (except the title)", (slug, expected) => {
    const required = requiredNoticeItems(termsOf(slug)).items;
    expect(missingItems(required, empty)).toEqual(expected.filter((item) => item !== "breach_occurred"));
    expect(missingItems(required, complete)).toEqual([]);
  });

  it("names the one item still empty: Lai Media without protection", () => {
    const required = requiredNoticeItems(termsOf("lai-media")).items;
    expect(missingItems(required, { ...complete, protection: "  " })).toEqual(["protection"]);
  });

  it("counts numbers as given with only a minimum or only a maximum", () => {
    expect(itemFilled("data_subject_count", { ...complete, subjectsMin: null })).toBe(true);
    expect(itemFilled("data_subject_count", { ...complete, subjectsMax: null })).toBe(true);
    expect(itemFilled("data_subject_count", { ...complete, subjectsMin: null, subjectsMax: null })).toBe(false);
    expect(itemFilled("categories_and_numbers", { ...complete, dataSubjects: [] })).toBe(false);
  });

  it("needs a name and a way to reach the contact point; the follow-up contact falls back to it", () => {
    expect(itemFilled("contact_point", { ...complete, contactEmail: "" })).toBe(false);
    expect(itemFilled("contact_point", { ...complete, contactEmail: "", contactPhone: "+31 20 123 4567" })).toBe(true);
    expect(itemFilled("follow_up_contact", { ...complete, followUpContact: "" })).toBe(true);
    expect(itemFilled("follow_up_contact", { ...empty, followUpContact: "incident@vendor.example" })).toBe(true);
    expect(itemFilled("measures", { ...empty, measuresProposed: "Rotate keys" })).toBe(true);
  });
});

describe("letter sections", () => {
  it("writes only sections with content, flags BSN and special data, and numbers as ranges", () => {
    const sections = noticeSections(complete, "nl");
    expect(sections.map((s) => s.key)).toEqual(["nature", "timeline", "data", "subjects", "protection", "consequences", "measures", "assessment", "contact"]);
    const text = sectionsText(sections);
    expect(text).toContain("Burgerservicenummer (BSN) [BSN]");
    expect(text).toContain("Aantal betrokkenen (bij benadering): 120 – 450.");
    expect(text).toContain("De inbreuk vond plaats bij onze subverwerker Mailhost B.V., die ons op 28-03-2026 13:00 CET informeerde.");
    expect(text).toContain("- Inbreuk: van 28-03-2026 09:00 CET tot 28-03-2026 11:00 CET");
    expect(noticeSections(empty, "en").map((s) => s.key)).toEqual(["timeline"]);
  });
});

describe("template format", () => {
  it("inserts values, chooses branches, drops lines holding only block tags", () => {
    const out = fillTemplate("Hello {{name}}.\n{{#if vip}}\nVIP\n{{else}}\nRegular\n{{/if}}\n{{#unless vip}}Not VIP{{/unless}}\nEnd", {
      name: "Anna",
      vip: false,
    });
    expect(out).toBe("Hello Anna.\nRegular\nNot VIP\nEnd");
  });

  it("refuses a missing or empty value and unbalanced blocks", () => {
    expect(() => fillTemplate("{{nope}}", {})).toThrow(TemplateError);
    expect(() => fillTemplate("{{name}}", { name: "" })).toThrow(/empty/);
    expect(() => fillTemplate("{{#if a}}x", { a: true })).toThrow(/not closed/);
    expect(() => fillTemplate("x{{/if}}", {})).toThrow(/does not close/);
  });

  it.each(["nl", "en"] as const)("renders the real %s template for a first notice and a follow-up", (language) => {
    const template = parseNoticeTemplate(readFileSync(path.resolve("templates/breach", `notice.${language}.md`), "utf8"));
    const data = {
      reference: "INC-2026-0001",
      title: "Mailbox accessed",
      customerName: "Bakkerij Jansen",
      vendorLegalName: "Leadcube B.V.",
      noticeNumber: 1,
      followUpNumber: 0,
      sentAt: "28-03-2026 15:00 CET",
      firstSentAt: null,
      message: "",
      sections: sectionsText(noticeSections(complete, language)),
      authorityDue: "30-03-2026 16:00 CEST",
      authorityRule: "48 uur na deze melding; art. 7.5 verwerkersovereenkomst",
      requiredArticle: "art. 7.6 verwerkersovereenkomst",
      requiredItems: "de aard van de inbreuk",
      portalLink: "https://dpadesk.test/portal/breaches/x",
      contactLine: "Anna de Vries · privacy@vendor.example",
    };
    const first = renderNotice(template, { ...data, followUp: false });
    expect(first.subject).toBe(language === "nl" ? "Melding datalek INC-2026-0001: Mailbox accessed" : "Personal data breach INC-2026-0001: Mailbox accessed");
    expect(first.body).toContain("30-03-2026 16:00 CEST");
    expect(first.body).not.toContain("{{");
    const followUp = renderNotice(template, {
      ...data,
      followUp: true,
      noticeNumber: 2,
      followUpNumber: 1,
      firstSentAt: "28-03-2026 15:00 CET",
      message: "The attacker also read the calendar.",
    });
    expect(followUp.subject).toMatch(/^(Aanvulling 1 op melding datalek|Update 1 to breach notice) INC-2026-0001/);
    expect(followUp.body).toContain("The attacker also read the calendar.");
    expect(followUp.body).toContain("28-03-2026 15:00 CET");
    expect(followUp.body).not.toContain("30-03-2026 16:00 CEST");
  });

  it("turns a letter into headings, lists and paragraphs", () => {
    expect(letterBlocks("# Title\n\n- a\n- b\n\nSome text\non two lines\n\n## Part")).toEqual([
      { type: "heading", level: 1, text: "Title" },
      { type: "bullets", items: ["a", "b"] },
      { type: "paragraph", text: "Some text\non two lines" },
      { type: "heading", level: 2, text: "Part" },
    ]);
  });
});
