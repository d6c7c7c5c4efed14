import { demoDpaInput } from "../../db/seed/demo-dpa-input";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  COVERAGE_ITEMS,
  buildDpaTemplateData,
  coverage,
  dpaTemplatePath,
  dpaText,
  dpaTextHash,
  DpaTemplateError,
  lintTemplate,
  loadDpaTemplate,
  parseTemplate,
  renderTemplate,
  type DpaClause,
  type DpaTemplateData,
  type ParsedTemplate,
  type RenderedDpa,
} from "~/documents/dpa-template";
import type { Locale } from "~/domain/locale";
import { effectiveTerms, type StoredDeviation } from "~/domain/terms";
import { demoCustomers, type VendorSlug } from "../../db/seed/demo-data";
import { demoNegotiatedTerms, seedTermsProfiles } from "../../db/seed/terms-profiles";

const SLUGS: VendorSlug[] = ["leadcube", "klantgenerator", "lai-media", "elementon", "puredigital"];
const LANGUAGES: Locale[] = ["nl", "en"];
const TEMPLATES_DIR = fileURLToPath(new URL("../../templates", import.meta.url));

function templateSource(slug: VendorSlug, language: Locale): string {
  return readFileSync(dpaTemplatePath(slug, language, TEMPLATES_DIR), "utf8");
}

const parsedCache = new Map<string, ParsedTemplate>();
function template(slug: VendorSlug, language: Locale): ParsedTemplate {
  const key = `${slug}.${language}`;
  if (!parsedCache.has(key)) parsedCache.set(key, parseTemplate(templateSource(slug, language), `${key}.md`));
  return parsedCache.get(key)!;
}

/** One demo customer's DPA input, built from the seed vendor, its demo customer and seed terms profile v1. */
const sampleInput = demoDpaInput;

function sample(slug: VendorSlug, options: Parameters<typeof sampleInput>[1] = {}): DpaTemplateData {
  return buildDpaTemplateData(sampleInput(slug, options));
}

function render(slug: VendorSlug, language: Locale, options: Parameters<typeof sampleInput>[1] = {}): RenderedDpa {
  return renderTemplate(template(slug, language), sample(slug, { ...options, language }));
}

function clauseText(clause: DpaClause): string {
  return dpaText({ title: "", preamble: [], clauses: [clause], annexes: [] });
}

function clauseWith(rendered: RenderedDpa, heading: RegExp): DpaClause {
  const found = rendered.clauses.filter((clause) => heading.test(clause.heading));
  expect(found, `one clause with heading ${heading}`).toHaveLength(1);
  return found[0];
}

const BREACH = /^(Inbreuken in verband met persoonsgegevens|Personal data breaches)$/;
const SUBPROCESSORS = /^(Subverwerkers|Sub-processors)$/;
const END = /^(Duur en beëindiging; teruggave en verwijdering|Term and termination; return and deletion)$/;
const CHANGES = /^(Wijzigingen|Changes)$/;
const LIABILITY = /^(Aansprakelijkheid|Aansprakelijkheid en vrijwaring|Liability|Liability and indemnity)$/;

function deviationsFor(slug: VendorSlug, customerIndex: number): StoredDeviation[] {
  return demoNegotiatedTerms.filter((entry) => entry.workspaceSlug === slug && entry.customerIndex === customerIndex).flatMap((entry) => entry.deviations);
}

/** Numbering of a rendered DPA: article numbers with their clause numbers, then the annex numerals. */
function numbering(rendered: RenderedDpa): string[] {
  return [
    ...rendered.clauses.map(
      (clause) => `${clause.number}: ${clause.blocks.flatMap((block) => (block.kind === "paragraph" && block.number ? [block.number] : [])).join(" ")}`,
    ),
    ...rendered.annexes.map((annex) => `annex ${annex.number}`),
  ];
}

// ---------------------------------------------------------------------------------------

describe("the ten DPA templates", () => {
  it.each(SLUGS.flatMap((slug) => LANGUAGES.map((language) => [slug, language] as const)))(
    "%s (%s) parses, every path and enum literal in every branch is known, and it renders for every demo customer",
    (slug, language) => {
      const parsed = template(slug, language);
      // every demo customer of every vendor, with its negotiated terms: the branches one vendor never
      // takes (an objection window, backup retention, a DPO) are checked against another vendor's data
      const samples = SLUGS.flatMap((other) =>
        demoCustomers[other].map((_customer, customerIndex) =>
          sample(other, { language, customerIndex, deviations: deviationsFor(other, customerIndex) }),
        ),
      );
      expect(lintTemplate(parsed, samples)).toEqual([]);
      demoCustomers[slug].forEach((_customer, customerIndex) => {
        const rendered = render(slug, language, { customerIndex, deviations: deviationsFor(slug, customerIndex) });
        expect(rendered.title).toBe(language === "nl" ? "Verwerkersovereenkomst" : "Data Processing Agreement");
        expect(rendered.annexes.map((annex) => annex.number)).toEqual(["I", "II", "III", "IV"]);
        expect(coverage(rendered).gaps).toEqual([]);
      });
    },
  );

  it.each(SLUGS)("%s: the Dutch and English templates have the same article and clause numbering", (slug) => {
    demoCustomers[slug].forEach((_customer, customerIndex) => {
      const deviations = deviationsFor(slug, customerIndex);
      expect(numbering(render(slug, "en", { customerIndex, deviations }))).toEqual(numbering(render(slug, "nl", { customerIndex, deviations })));
    });
  });

  it.each(SLUGS)("%s: every Art. 28(3)(a)–(h) item, the infringing-instruction duty and the sub-processor rules are covered, in both languages", (slug) => {
    for (const language of LANGUAGES) {
      const result = coverage(render(slug, language));
      expect(result.gaps).toEqual([]);
      expect(result.items.map((item) => item.key)).toEqual(COVERAGE_ITEMS.map((item) => item.key));
      for (const item of result.items) {
        expect(item.locations.length, `${slug} ${language} ${item.key}`).toBeGreaterThan(0);
      }
      const breach = clauseWith(render(slug, language), BREACH);
      expect(result.items.find((item) => item.key === "28.3.f")!.locations).toContain(breach.number);
    }
  });
});

describe("vendor rules in the rendered text come from the effective terms", () => {
  it("Leadcube: 24 hours after the processor could reasonably have known; a negotiated 12 h replaces it", () => {
    const standard = clauseText(clauseWith(render("leadcube", "nl"), BREACH));
    expect(standard).toContain("binnen 24 uur nadat de Verwerker daarvan redelijkerwijs op de hoogte had kunnen zijn");
    expect(standard).toContain("Autoriteit Persoonsgegevens binnen 48 uur");
    expect(clauseText(clauseWith(render("leadcube", "en"), BREACH))).toContain("within 24 hours after the Processor could reasonably have become aware");

    const negotiated = demoNegotiatedTerms.find((entry) => entry.workspaceSlug === "leadcube")!;
    expect(negotiated.deviations[0]).toMatchObject({ field: "breachNoticeHours", value: 12 });
    for (const language of LANGUAGES) {
      const text = clauseText(clauseWith(render("leadcube", language, { customerIndex: negotiated.customerIndex, deviations: negotiated.deviations }), BREACH));
      expect(text).toContain(language === "nl" ? "binnen 12 uur" : "within 12 hours");
      expect(text).not.toContain(language === "nl" ? "24 uur" : "24 hours");
    }
  });

  it("KlantGenerator: 48 hours after discovery; only actual breaches", () => {
    const nl = clauseText(clauseWith(render("klantgenerator", "nl"), BREACH));
    expect(nl).toContain("binnen 48 uur nadat de Verwerker de inbreuk heeft ontdekt");
    expect(nl).toContain("(theoretische) kwetsbaarheid");
    expect(clauseText(clauseWith(render("klantgenerator", "en"), BREACH))).toContain("within 48 hours after the Processor discovered the breach");
  });

  it("Lai Media: objection within 2 weeks after the notice was sent; no hour limit unless negotiated", () => {
    expect(clauseText(clauseWith(render("lai-media", "nl"), SUBPROCESSORS))).toContain("binnen 2 weken na verzending van die kennisgeving");
    expect(clauseText(clauseWith(render("lai-media", "en"), SUBPROCESSORS))).toContain("within 2 weeks after that notice was sent");
    const standard = clauseText(clauseWith(render("lai-media", "nl"), BREACH));
    expect(standard).toContain("zonder onredelijke vertraging");
    expect(standard).not.toMatch(/\d+ uur/);
    const negotiated = clauseText(clauseWith(render("lai-media", "nl", { customerIndex: 1, deviations: deviationsFor("lai-media", 1) }), BREACH));
    expect(negotiated).toContain("binnen 24 uur nadat de Verwerker de inbreuk heeft ontdekt");
  });

  it("Elementon: backups kept at most 6 months after deletion; a negotiated 30-day objection window", () => {
    expect(clauseText(clauseWith(render("elementon", "nl"), END))).toContain("ten hoogste 6 maanden na de verwijdering");
    expect(clauseText(clauseWith(render("elementon", "en"), END))).toContain("for at most 6 months after the deletion");
    const standard = clauseText(clauseWith(render("elementon", "nl"), SUBPROCESSORS));
    expect(standard).not.toMatch(/binnen \d+ (dagen|weken)/);
    const negotiated = clauseText(clauseWith(render("elementon", "nl", { customerIndex: 1, deviations: deviationsFor("elementon", 1) }), SUBPROCESSORS));
    expect(negotiated).toContain("binnen 30 dagen na verzending van die kennisgeving");
  });

  it("PureDigital: 12 hours for a breach at an engaged third party; liability at most € 500.000", () => {
    expect(clauseText(clauseWith(render("puredigital", "nl"), BREACH))).toContain("binnen 12 uur na de ontdekking daarvan");
    expect(clauseText(clauseWith(render("puredigital", "en"), BREACH))).toContain("within 12 hours of its discovery");
    expect(clauseText(clauseWith(render("puredigital", "nl"), LIABILITY))).toContain("€ 500.000");
    expect(clauseText(clauseWith(render("puredigital", "en"), LIABILITY))).toContain("€500,000");
  });

  it("return or deletion, change notice and liability follow each vendor's terms", () => {
    expect(clauseText(clauseWith(render("leadcube", "nl"), END))).toContain("ten hoogste 28 dagen na het einde");
    expect(clauseText(clauseWith(render("klantgenerator", "nl"), END))).toContain("vóór het einde van de Hoofdovereenkomst");
    expect(clauseText(clauseWith(render("lai-media", "nl"), END))).toContain("uiterlijk op de datum waarop de Hoofdovereenkomst eindigt");
    expect(clauseText(clauseWith(render("klantgenerator", "nl"), CHANGES))).toContain("binnen 30 dagen");
    const laiChanges = clauseText(clauseWith(render("lai-media", "nl"), CHANGES));
    expect(laiChanges).toContain("1 maand na de bekendmaking");
    expect(laiChanges).toContain("binnen 14 dagen na de aankondiging");
    expect(clauseText(clauseWith(render("elementon", "nl"), CHANGES))).toContain("ten minste 1 maand van tevoren");
    expect(clauseText(clauseWith(render("klantgenerator", "nl"), LIABILITY))).toContain("€ 1.000");
    expect(clauseText(clauseWith(render("lai-media", "nl"), LIABILITY))).toContain("€ 10.000");
    expect(clauseText(clauseWith(render("elementon", "nl"), LIABILITY))).toContain("€ 1.000");
  });

  it("annexes name both parties, flag special categories and BSN, and list the sub-processors with locations and safeguards", () => {
    const index = demoCustomers["lai-media"].findIndex((customer) => customer.dataCategories.includes("bsn") && customer.dataCategories.includes("health"));
    expect(index).toBeGreaterThanOrEqual(0);
    const customer = demoCustomers["lai-media"][index];
    const rendered = render("lai-media", "nl", { customerIndex: index });
    const text = dpaText(rendered);
    expect(text).toContain(`Naam: ${customer.name}`);
    expect(text).toContain("Naam: Lai Media");
    expect(text).toContain("Gezondheidsgegevens – bijzondere categorie persoonsgegevens (art. 9 AVG)");
    expect(text).toContain("Burgerservicenummer (BSN) – nationaal identificatienummer (art. 87 AVG, art. 46 UAVG)");
    const annexIV = rendered.annexes[3];
    const table = annexIV.blocks.find((block) => block.kind === "table");
    expect(table).toMatchObject({ header: ["Subverwerker", "Werkzaamheden", "Locaties van verwerking", "Waarborg bij doorgifte"] });

    const leadcube = render("leadcube", "en");
    const rows = leadcube.annexes[3].blocks.flatMap((block) => (block.kind === "table" ? block.rows : []));
    expect(rows).toContainEqual(["Amazon Web Services EMEA SARL (AWS)", "Cloud hosting of the platform and database (Frankfurt region)", "Germany", "Not needed: processing within the EEA"]);
  });
});

const deviation = (field: string, value: unknown): StoredDeviation => ({ field, value, reason: "test", clause: "test" });

/** Negotiated variants that take every branch of the templates at least once, with text each language must contain. */
const BRANCHES: { name: string; deviations: StoredDeviation[]; nl: string[]; en: string[] }[] = [
  {
    name: "specific prior authorisation of sub-processors",
    deviations: [deviation("subprocessorRegime", "specific_prior_authorisation"), deviation("objectionWindow", null)],
    nl: ["voorafgaande en specifieke schriftelijke toestemming"],
    en: ["prior and specific written authorisation"],
  },
  {
    name: "general authorisation with a 3-week objection window under the Termijnenwet",
    deviations: [
      deviation("subprocessorRegime", "general_with_objection"),
      deviation("objectionWindow", { amount: 3, unit: "weeks", from: "notice_sent" }),
      deviation("objectionWindowTermijnenwet", true),
    ],
    nl: ["binnen 3 weken na verzending van die kennisgeving", "Algemene termijnenwet"],
    en: ["within 3 weeks after that notice was sent", "Algemene termijnenwet"],
  },
  {
    name: "general authorisation without a stated objection right",
    deviations: [deviation("subprocessorRegime", "general_no_objection"), deviation("objectionWindow", null)],
    nl: ["zodat zij daartegen bezwaar kan maken (artikel 28 lid 2 AVG)"],
    en: ["giving the Controller the opportunity to object to it (Article 28(2) GDPR)"],
  },
  {
    name: "sub-processors not regulated",
    deviations: [deviation("subprocessorRegime", "not_regulated"), deviation("objectionWindow", null)],
    nl: ["zodat zij daartegen bezwaar kan maken (artikel 28 lid 2 AVG)"],
    en: ["giving the Controller the opportunity to object to it (Article 28(2) GDPR)"],
  },
  {
    name: "return or deletion at the customer's choice within 10 days",
    deviations: [
      deviation("endOfContract.choice", "customer_choice_return_or_delete"),
      deviation("endOfContract.deletionDeadline", { amount: 10, unit: "days" }),
    ],
    nl: ["ten hoogste 10 dagen na het einde"],
    en: ["at most 10 days after the end"],
  },
  {
    name: "deletion right after the end, a copy only on request before the end",
    deviations: [
      deviation("endOfContract.choice", "delete_immediately_copy_on_request"),
      deviation("endOfContract.exitRequestDeadline", "before_end"),
      deviation("endOfContract.deletionDeadline", { amount: 5, unit: "days" }),
    ],
    nl: ["vóór het einde van de Hoofdovereenkomst schriftelijk om een kopie", "uiterlijk 5 dagen na het einde"],
    en: ["in writing before the Main Agreement ends", "no later than 5 days after the end"],
  },
  {
    name: "return or deletion on request",
    deviations: [
      deviation("endOfContract.choice", "return_or_delete_on_request"),
      deviation("endOfContract.deletionDeadline", null),
      deviation("endOfContract.exitRequestDeadline", null),
    ],
    nl: ["Zonder verzoek tot teruggave wist de Verwerker de persoonsgegevens."],
    en: ["Without a request for return, the Processor deletes the personal data."],
  },
  {
    name: "not kept longer than necessary, deletion within 2 months, backups kept 3 months",
    deviations: [
      deviation("endOfContract.choice", "not_longer_than_necessary"),
      deviation("endOfContract.deletionDeadline", { amount: 2, unit: "months" }),
      deviation("endOfContract.backupRetention", { amount: 3, unit: "months" }),
    ],
    nl: ["niet langer dan noodzakelijk", "binnen 2 maanden na het einde", "ten hoogste 3 maanden na de verwijdering"],
    en: ["longer than necessary", "within 2 months after the end", "at most 3 months after the deletion"],
  },
  {
    name: "breach clocks: 6 h from when the processor should have known, 2 h for third parties, 36 h to the authority",
    deviations: [
      deviation("breachNoticeHours", 6),
      deviation("breachClockStart", "should_have_known"),
      deviation("thirdPartyBreachNoticeHours", 2),
      deviation("authorityDeadlineHours", 36),
    ],
    nl: ["binnen 6 uur nadat de Verwerker daarvan redelijkerwijs op de hoogte had kunnen zijn", "binnen 2 uur na de ontdekking daarvan", "binnen 36 uur na de melding door de Verwerker"],
    en: ["within 6 hours after the Processor could reasonably have become aware of it", "within 2 hours of its discovery", "within 36 hours after the Processor's notice"],
  },
  ...(["all_breaches", "may_cause_harm", "actual_breaches_only", "actual_high_impact_only"] as const).map((scope) => ({
    name: `breach scope ${scope}, 1 hour from discovery`,
    deviations: [deviation("breachScope", scope), deviation("breachNoticeHours", 1), deviation("breachClockStart", "discovery")],
    nl: ["binnen 1 uur nadat de Verwerker de inbreuk heeft ontdekt"],
    en: ["within 1 hour after the Processor discovered the breach"],
  })),
  {
    name: "negotiated texts for transfers, audits, liability and changes",
    deviations: [
      deviation("transfersOutsideEea", { nl: "Uitsluitend binnen de EER.", en: "Only within the EEA." }),
      deviation("auditRights", { nl: "Audit op elk moment na vijf werkdagen aankondiging.", en: "Audit at any time after five working days' notice." }),
      deviation("liabilityCap", { text: { nl: "Tot € 25.000 per jaar.", en: "Up to €25,000 per year." }, amountEur: 25000 }),
      deviation("dpaChangeNotice", {
        noticePeriod: null,
        responseWindow: null,
        text: { nl: "Alleen schriftelijk en met instemming van beide partijen.", en: "Only in writing and with both parties' consent." },
      }),
    ],
    nl: ["Uitsluitend binnen de EER.", "Audit op elk moment na vijf werkdagen aankondiging.", "Tot € 25.000 per jaar.", "Alleen schriftelijk en met instemming van beide partijen."],
    en: ["Only within the EEA.", "Audit at any time after five working days' notice.", "Up to €25,000 per year.", "Only in writing and with both parties' consent."],
  },
  {
    name: "no transfer rule, no audit rule and no liability cap",
    deviations: [deviation("transfersOutsideEea", null), deviation("auditRights", null), deviation("liabilityCap", null)],
    nl: ["op grond van een gedocumenteerde instructie van de Verwerkingsverantwoordelijke", "onafhankelijke deskundige", "beperkt de aansprakelijkheid van de Verwerker niet"],
    en: ["on a documented instruction from the Controller", "independent expert", "does not limit the Processor's liability"],
  },
];

describe("every branch of every template", () => {
  it.each(SLUGS.flatMap((slug) => BRANCHES.map((branch) => [slug, branch.name, branch] as const)))(
    "%s: %s",
    (slug, _name, branch) => {
      const nl = render(slug, "nl", { deviations: branch.deviations });
      const en = render(slug, "en", { deviations: branch.deviations });
      const nlText = dpaText(nl);
      const enText = dpaText(en);
      for (const expected of branch.nl) expect(nlText).toContain(expected);
      for (const expected of branch.en) expect(enText).toContain(expected);
      expect(coverage(nl).gaps).toEqual([]);
      expect(coverage(en).gaps).toEqual([]);
      expect(numbering(en)).toEqual(numbering(nl));
    },
  );

  it("vendor prose for a free-text term gives way to the terms text once a new profile version changes it", () => {
    expect(clauseText(clauseWith(render("lai-media", "nl"), /^Informatie en audits$/))).toContain("ten hoogste eenmaal per jaar");
    const version2 = structuredClone(seedTermsProfiles["lai-media"]);
    version2.auditRights = {
      value: { nl: "Een audit is mogelijk op elk moment, na een aankondiging van tien werkdagen.", en: "An audit is possible at any time, after ten working days' notice." },
      article: "B1 9.1",
    };
    const data = buildDpaTemplateData({ ...sampleInput("lai-media"), terms: effectiveTerms(version2, 2) });
    const audits = clauseText(clauseWith(renderTemplate(template("lai-media", "nl"), data), /^Informatie en audits$/));
    expect(audits).toContain("Een audit is mogelijk op elk moment, na een aankondiging van tien werkdagen.");
    expect(audits).not.toContain("eenmaal per jaar");
    expect(lintTemplate(template("lai-media", "nl"), [data])).toContainEqual(
      expect.objectContaining({ path: "terms.fingerprint.auditRights", problem: "unknown_literal" }),
    );
  });
});

describe("rendering contract", () => {
  it("dpaText is deterministic: same input, same text and hash; other terms, other hash", () => {
    const first = dpaText(renderTemplate(parseTemplate(templateSource("leadcube", "nl"), "a"), sample("leadcube")));
    const second = dpaText(renderTemplate(parseTemplate(templateSource("leadcube", "nl"), "b"), sample("leadcube")));
    expect(second).toBe(first);
    expect(dpaTextHash(second)).toBe(dpaTextHash(first));
    expect(dpaTextHash(first)).toMatch(/^[0-9a-f]{64}$/);
    expect(first.endsWith("\n") && !first.endsWith("\n\n")).toBe(true);
    const negotiated = dpaText(render("leadcube", "nl", { deviations: deviationsFor("leadcube", 2) }));
    expect(dpaTextHash(negotiated)).not.toBe(dpaTextHash(first));
  });

  it("missing placeholder data throws an error that names the path", () => {
    const parsed = parseTemplate("# T\n\n## 1. A\n\n1.1 Fax {{processor.faxNumber}}.\n", "t");
    expect(() => renderTemplate(parsed, sample("leadcube"))).toThrowError(expect.objectContaining({ code: "missing_value", path: "processor.faxNumber" }));

    const noRegistration = sample("leadcube");
    noRegistration.processor.registration = null;
    expect(() => renderTemplate(template("leadcube", "nl"), noRegistration)).toThrowError(
      expect.objectContaining({ name: "DpaTemplateError", path: "processor.registration" }),
    );

    const emptySignatory = sample("klantgenerator");
    emptySignatory.controller.signatory.name = "  ";
    expect(() => renderTemplate(template("klantgenerator", "en"), emptySignatory)).toThrowError(/controller\.signatory\.name/);

    const unknownCondition = parseTemplate("# T\n\n## 1. A\n\n{{#if terms.breachNoticeHourz}}x{{/if}}1.1 y\n", "t");
    expect(() => renderTemplate(unknownCondition, sample("leadcube"))).toThrowError(expect.objectContaining({ path: "terms.breachNoticeHourz" }));

    const inList = parseTemplate("# T\n\n## 1. A\n\n{{#each annex.subprocessors}}\n- {{this.country}}\n{{/each}}\n", "t");
    expect(() => renderTemplate(inList, sample("leadcube"))).toThrowError(expect.objectContaining({ path: "annex.subprocessors[0].country" }));
  });

  it("data builder refuses what a DPA cannot do without", () => {
    const noPurposes = sampleInput("elementon");
    noPurposes.processing.purposes = [];
    expect(() => buildDpaTemplateData(noPurposes)).toThrowError(expect.objectContaining({ path: "processing.purposes" }));
    const unsafeguarded = sampleInput("leadcube");
    unsafeguarded.subprocessors.push({ name: "Example Inc.", service: "Analytics", locations: ["US"], safeguard: null });
    expect(() => buildDpaTemplateData(unsafeguarded)).toThrowError(expect.objectContaining({ path: `subprocessors[${unsafeguarded.subprocessors.length - 1}].safeguard` }));
  });
});

describe("template engine", () => {
  const data = { document: { versionLabel: "v1" }, flag: true, off: false, none: null, regime: "b", list: [{ name: "a | b" }, { name: "# c" }], empty: [] } as unknown as DpaTemplateData;

  it("drops lines that hold only block tags, supports inline if/else, unless, equality and each/else", () => {
    const rendered = renderTemplate(
      parseTemplate(
        [
          "# Title {{document.versionLabel}}",
          "",
          "## 1. First",
          "",
          "{{#if flag}}",
          "1.1 Yes{{#if off}} never{{else}} and{{/if}} {{#unless none}}unless{{/unless}} {{#if regime == \"b\"}}b{{/if}}{{#if regime == \"a\"}}a{{/if}}.",
          "{{/if}}",
          "",
          "{{#each list}}",
          "- {{this.name}}",
          "{{/each}}",
          "{{#each empty}}",
          "- never",
          "{{else}}",
          "Nothing.",
          "{{/each}}",
        ].join("\n"),
        "t",
      ),
      data,
    );
    expect(rendered.title).toBe("Title v1");
    expect(rendered.clauses[0].blocks).toEqual([
      { kind: "paragraph", number: "1.1", text: "Yes and unless b.", covers: [] },
      { kind: "bullets", items: ["a | b", "# c"], covers: [] },
      { kind: "paragraph", number: null, text: "Nothing.", covers: [] },
    ]);
  });

  it("inserted values stay text: they cannot add table cells, headings or list items", () => {
    const rendered = renderTemplate(
      parseTemplate("# T\n\n## 1. A\n\n1.1 x\n\n# Annex I – List\n\n| Name |\n|---|\n{{#each list}}\n| {{this.name}} |\n{{/each}}\n", "t"),
      data,
    );
    expect(rendered.annexes[0].blocks).toEqual([{ kind: "table", header: ["Name"], rows: [["a | b"], ["# c"]], covers: [] }]);
    expect(dpaText(rendered)).toBe("T\n\n1. A\n\n1.1 x\n\nAnnex I – List\n\nName\na | b\n# c\n");
  });

  it("attaches covers markers to the next heading or block and reports clause numbers per item", () => {
    const rendered = renderTemplate(
      parseTemplate(
        "# T\n\n<!-- covers: 28.3.b -->\n## 1. A\n\n1.1 x\n\n<!-- covers: 28.3.c, 28.3.h -->\n1.2 y\n\n- bullet\n\n<!-- a note, not a marker -->\n\n<!-- covers: 28.3 -->\n# Annex I – B\n\nz\n",
        "t",
      ),
      data,
    );
    expect(rendered.clauses[0].covers).toEqual(["28.3.b", "28.3.c", "28.3.h"]);
    const result = coverage(rendered);
    expect(result.items.find((item) => item.key === "28.3.b")!.locations).toEqual(["1"]);
    expect(result.items.find((item) => item.key === "28.3.c")!.locations).toEqual(["1.2"]);
    expect(result.items.find((item) => item.key === "28.3")!.locations).toEqual(["Annex I"]);
    expect(result.gaps).toEqual(["28.3.a", "28.3.d", "28.3.e", "28.3.f", "28.3.g", "28.3.last", "28.2-4"]);
  });

  it("refuses broken templates with a clear message", () => {
    const cases: [string, RegExp][] = [
      ["# T\n\n{{#if flag}}\n## 1. A\n", /never closed/],
      ["# T\n\n{{/if}}\n", /without an opening tag/],
      ["# T\n\n{{#if flag}}x{{/each}}\n", /closes \{\{#if\}\}/],
      ["# T\n\n{{this.name}}\n", /only available inside/],
      ["# T\n\n{{ not a path }}\n", /not a data path/],
      ["# T\n\n{{#with x}}y{{/with}}\n", /unknown block tag/],
      ["# T\n\n{{x\n", /unbalanced/],
    ];
    for (const [source, message] of cases) expect(() => parseTemplate(source, "t")).toThrowError(message);

    const structure: [string, RegExp][] = [
      ["# T\n\n## 1. A\n\n1.1 a\n\n1.3 c\n", /clause 1\.2 was expected but 1\.3 was found/],
      ["# T\n\n## 2. A\n\n2.1 a\n", /should be number 1/],
      ["# T\n\n## 1. A\n\n1.1 a\n1.2 b\n", /must start a new paragraph/],
      ["# T\n\n<!-- covers: 28.3.z -->\n## 1. A\n", /unknown coverage key "28\.3\.z"/],
      ["# T\n\n## 1. A\n\n1.1 a\n\n# Annex II – B\n\nx\n", /should be numbered I/],
      ["# T\n\n## 1. A\n\n| a | b |\n|---|---|\n| 1 |\n", /table row has 1 cells/],
      ["# T\n\n## A\n", /article heading reads/],
      ["Intro\n\n# T\n", /must start with its title/],
    ];
    for (const [source, message] of structure) {
      expect(() => renderTemplate(parseTemplate(source, "t"), data)).toThrowError(message);
    }
  });

  it("lint reports unknown paths in untaken branches and unknown enum literals", () => {
    const parsed = parseTemplate(
      '# T\n\n## 1. A\n\n{{#if terms.subprocessorRegime == "specific_prior_authorization"}}x{{/if}}{{#if terms.breachNoticeHours == 24}}y{{/if}}{{#unless processor.legalName}}{{processor.faxNumber}}{{/unless}}\n',
      "t",
    );
    expect(lintTemplate(parsed, [sample("leadcube")])).toEqual([
      { line: 5, path: "terms.subprocessorRegime", problem: "unknown_literal" },
      { line: 5, path: "terms.breachNoticeHours", problem: "comparison_on_free_value" },
      { line: 5, path: "processor.faxNumber", problem: "unknown_path" },
    ]);
  });
});

describe("loadDpaTemplate", () => {
  it("loads a workspace's template by slug and language", async () => {
    const parsed = await loadDpaTemplate("elementon", "en", { templatesDir: TEMPLATES_DIR });
    expect(parsed.name).toBe("elementon.en.md");
    expect(renderTemplate(parsed, sample("elementon", { language: "en" })).title).toBe("Data Processing Agreement");
  });

  it("refuses a slug that is not one and reports a missing template", async () => {
    await expect(loadDpaTemplate("../secrets", "nl", { templatesDir: TEMPLATES_DIR })).rejects.toThrowError(DpaTemplateError);
    await expect(loadDpaTemplate("no-such-profile", "nl", { templatesDir: TEMPLATES_DIR })).rejects.toThrowError(
      expect.objectContaining({ code: "not_found" }),
    );
  });
});
