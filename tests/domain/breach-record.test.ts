import { describe, expect, it } from "vitest";
import { BreachFormSchema, breachFormInput, formErrors, type BreachFormInput } from "~/domain/breach-form";
import {
  amsterdamLocalToInstant,
  authorityFormFields,
  authorityFormText,
  breachTimeIssues,
  dataFlags,
  formatRange,
  instantToAmsterdamLocal,
  isLocalDateTime,
  riskIndicators,
  type BreachFacts,
} from "~/domain/breach-record";

describe("Amsterdam wall-clock time ⇄ instants", () => {
  it.each([
    ["2026-03-28T14:00", "2026-03-28T13:00:00.000Z"],
    ["2026-03-29T03:30", "2026-03-29T01:30:00.000Z"],
    // 02:30 does not exist on 29 March 2026: it moves forward an hour
    ["2026-03-29T02:30", "2026-03-29T01:30:00.000Z"],
    // 02:30 happens twice on 25 October 2026: the earlier one (CEST) is taken, the stricter clock
    ["2026-10-25T02:30", "2026-10-25T00:30:00.000Z"],
    ["2026-12-31T23:59", "2026-12-31T22:59:00.000Z"],
  ])("%s → %s", (local, instant) => {
    expect(amsterdamLocalToInstant(local)).toBe(instant);
  });

  it("goes back to the wall clock for the edit form", () => {
    expect(instantToAmsterdamLocal("2026-03-29T13:00:00.000Z")).toBe("2026-03-29T15:00");
    expect(instantToAmsterdamLocal("2026-10-25T01:30:00.000Z")).toBe("2026-10-25T02:30");
  });

  it.each([
    ["2026-03-28T14:00", true],
    ["2026-03-28T14:00:30", true],
    ["2026-02-30T10:00", false],
    ["2026-03-28T24:00", false],
    ["28-03-2026 14:00", false],
    ["", false],
  ])("isLocalDateTime(%j) = %s", (value, expected) => {
    expect(isLocalDateTime(value)).toBe(expected);
  });
});

describe("breachTimeIssues", () => {
  const now = "2026-03-30T10:00:00.000Z";
  const base = {
    occurredFrom: null,
    occurredTo: null,
    ongoing: false,
    discoveredAt: "2026-03-28T13:00:00.000Z",
    shouldHaveKnownAt: null,
    subprocessorReportedAt: null,
  };

  it("accepts a plain timeline", () => {
    expect(
      breachTimeIssues(
        { ...base, occurredFrom: "2026-03-28T08:00:00.000Z", occurredTo: "2026-03-28T12:00:00.000Z", shouldHaveKnownAt: "2026-03-28T10:00:00.000Z" },
        now
      )
    ).toEqual([]);
  });

  it.each([
    [{ occurredFrom: "2026-03-28T14:00:00.000Z" }, "discoveredAt", "breaches.error.discoveredBeforeOccurred"],
    [{ occurredFrom: "2026-03-28T08:00:00.000Z", occurredTo: "2026-03-28T07:00:00.000Z" }, "occurredTo", "breaches.error.endBeforeStart"],
    [{ ongoing: true, occurredTo: "2026-03-28T12:00:00.000Z" }, "occurredTo", "breaches.error.ongoingWithEnd"],
    [{ shouldHaveKnownAt: "2026-03-28T13:00:00.001Z" }, "shouldHaveKnownAt", "breaches.error.knownAfterDiscovery"],
    [{ discoveredAt: "2026-03-30T10:06:00.000Z" }, "discoveredAt", "breaches.error.inFuture"],
    [{ subprocessorReportedAt: "2026-04-01T00:00:00.000Z" }, "subprocessorReportedAt", "breaches.error.inFuture"],
  ])("refuses %j on %s", (change, field, message) => {
    expect(breachTimeIssues({ ...base, ...change }, now)).toContainEqual({ field, message });
  });
});

function form(overrides: Partial<BreachFormInput> = {}): BreachFormInput {
  return {
    title: "Mailbox accessed",
    classification: "breach",
    classificationReasoning: "",
    nature: "",
    breachTypes: ["confidentiality"],
    sourceKind: "own_systems",
    subprocessorId: "",
    subprocessorReportedAt: "",
    serviceIds: ["service-1"],
    occurredFrom: "",
    occurredTo: "",
    ongoing: false,
    discoveredAt: "2026-03-28T14:00",
    shouldHaveKnownAt: "",
    dataCategories: [],
    dataCategoriesNote: "",
    dataSubjects: [],
    subjectsMin: "",
    subjectsMax: "",
    recordsMin: "",
    recordsMax: "",
    protection: "",
    consequences: "",
    measuresTaken: "",
    measuresProposed: "",
    contactName: "",
    contactEmail: "",
    contactPhone: "",
    followUpContact: "",
    riskLevel: "",
    riskReasoning: "",
    subjectsNotice: "undecided",
    subjectsNoticeReasoning: "",
    crossBorder: false,
    changeNote: "",
    ...overrides,
  };
}

function errorsOf(input: BreachFormInput): Record<string, string> {
  const parsed = BreachFormSchema.safeParse(input);
  return parsed.success ? {} : formErrors(parsed.error);
}

describe("BreachFormSchema", () => {
  it("accepts a minimal breach and turns counts into numbers", () => {
    const parsed = BreachFormSchema.parse(form({ subjectsMin: "120", subjectsMax: "450" }));
    expect(parsed.subjectsMin).toBe(120);
    expect(parsed.subjectsMax).toBe(450);
    expect(parsed.recordsMin).toBeNull();
  });

  it.each([
    [{ occurredFrom: "2026-03-28T15:00" }, "discoveredAt", "breaches.error.discoveredBeforeOccurred"],
    [{ subjectsMin: "500", subjectsMax: "100" }, "subjectsMax", "breaches.error.minAboveMax"],
    [{ recordsMin: "9", recordsMax: "1" }, "recordsMax", "breaches.error.minAboveMax"],
    [{ subjectsMin: "-5" }, "subjectsMin", "breaches.error.negative"],
    [{ recordsMax: "1.5" }, "recordsMax", "breaches.error.notWhole"],
    [{ subjectsMax: "many" }, "subjectsMax", "breaches.error.notANumber"],
    [{ shouldHaveKnownAt: "2026-03-28T15:00" }, "shouldHaveKnownAt", "breaches.error.knownAfterDiscovery"],
    [{ ongoing: true, occurredTo: "2026-03-28T12:00" }, "occurredTo", "breaches.error.ongoingWithEnd"],
    [{ discoveredAt: "2026-02-30T10:00" }, "discoveredAt", "breaches.error.invalidTime"],
    [{ discoveredAt: "" }, "discoveredAt", "breaches.error.required"],
    [{ title: "  " }, "title", "breaches.error.required"],
    [{ classification: "not_breach" }, "classificationReasoning", "breaches.error.reasoningNotBreach"],
    [{ breachTypes: [] }, "breachTypes", "breaches.error.typeRequired"],
    [{ serviceIds: [] }, "serviceIds", "breaches.error.serviceRequired"],
    [{ sourceKind: "subprocessor", serviceIds: [] }, "subprocessorId", "breaches.error.subprocessorRequired"],
    [{ riskLevel: "risk" }, "riskReasoning", "breaches.error.riskReasoningRequired"],
    [{ riskLevel: "high", riskReasoning: "BSN", subjectsNotice: "not_required" }, "subjectsNotice", "breaches.error.highRiskNeedsNotice"],
    [{ subjectsNotice: "exempt_unintelligible" }, "subjectsNoticeReasoning", "breaches.error.exemptionReasoningRequired"],
    [{ contactEmail: "not-an-email" }, "contactEmail", "breaches.error.email"],
  ] as const)("refuses %j on %s", (overrides, field, message) => {
    expect(errorsOf(form(overrides as Partial<BreachFormInput>))[field]).toBe(message);
  });

  it("accepts an incident judged not to be a breach with its reasoning, without types or services", () => {
    expect(
      errorsOf(
        form({ classification: "not_breach", classificationReasoning: "Laptop was encrypted and recovered within the hour.", breachTypes: [], serviceIds: [] })
      )
    ).toEqual({});
  });

  it("reads repeated checkbox fields and checkboxes from FormData, as a form without JavaScript posts them", () => {
    const data = new FormData();
    data.set("title", "Lost laptop");
    data.append("breachTypes", "confidentiality");
    data.append("breachTypes", "availability");
    data.append("dataCategories", "name");
    data.set("ongoing", "on");
    const input = breachFormInput(data);
    expect(input.breachTypes).toEqual(["confidentiality", "availability"]);
    expect(input.dataCategories).toEqual(["name"]);
    expect(input.ongoing).toBe(true);
    expect(input.crossBorder).toBe(false);
    expect(input.discoveredAt).toBe("");
  });
});

const facts: BreachFacts = {
  reference: "INC-2026-0003",
  title: "Backup bucket public",
  classification: "breach",
  classificationReasoning: "",
  nature: "A backup bucket was publicly readable for a day.",
  breachTypes: ["confidentiality"],
  sourceKind: "subprocessor",
  subprocessorName: "Cloud Storage B.V.",
  subprocessorReportedAt: "2026-03-28T12:00:00.000Z",
  occurredFrom: "2026-03-27T09:00:00.000Z",
  occurredTo: null,
  ongoing: true,
  discoveredAt: "2026-03-28T13:00:00.000Z",
  shouldHaveKnownAt: null,
  dataCategories: ["health", "bsn", "name"],
  dataCategoriesNote: "",
  dataSubjects: ["patients", "minors"],
  subjectsMin: 1000,
  subjectsMax: 2500,
  recordsMin: null,
  recordsMax: null,
  protection: "",
  consequences: "Disclosure of health data.",
  measuresTaken: "Bucket closed.",
  measuresProposed: "",
  contactName: "Anna de Vries",
  contactEmail: "privacy@vendor.example",
  contactPhone: "",
  followUpContact: "",
  riskLevel: "high",
  riskReasoning: "Health data of children.",
  subjectsNotice: "exempt_disproportionate",
  subjectsNoticeReasoning: "No contact details; public notice instead.",
  crossBorder: false,
};

describe("risk indicators and flags", () => {
  it("lists the EDPB factors the record shows", () => {
    expect(riskIndicators(facts)).toEqual([
      "special_categories",
      "national_id",
      "vulnerable_people",
      "large_number",
      "confidentiality",
      "no_protection_recorded",
    ]);
    expect(
      riskIndicators({
        ...facts,
        dataCategories: ["name"],
        dataSubjects: ["customers"],
        subjectsMax: 10,
        subjectsMin: 1,
        breachTypes: ["availability"],
        protection: "encrypted",
      })
    ).toEqual([]);
    expect(dataFlags(facts.dataCategories)).toEqual({ special: true, nationalId: true, criminal: false });
  });

  it.each([
    [1, 5, "nl", "1 – 5"],
    [1200, 1200, "en", "1,200"],
    [null, 1200, "nl", "ten hoogste 1.200"],
    [3, null, "en", "at least 3"],
    [null, null, "en", null],
  ] as const)("formatRange(%s, %s, %s) = %s", (min, max, locale, expected) => {
    expect(formatRange(min, max, locale)).toBe(expected);
  });
});

describe("authority form fields", () => {
  it("follows the AP form: contact, timeline (still ongoing), nature, data with BSN and special flags, numbers, protection, follow-up", () => {
    const fields = authorityFormFields(facts, "Lai Media B.V.", "nl");
    const byLabel = Object.fromEntries(fields.map((f) => [f.label, f.value]));
    expect(byLabel["Referentie bij de verwerker"]).toBe("INC-2026-0003 (Lai Media B.V.)");
    expect(byLabel["Is de inbreuk nog gaande?"]).toBe("ja");
    expect(byLabel["Datum en tijd van de inbreuk"]).toBe("sinds 27-03-2026 10:00 CET, nog gaande");
    expect(byLabel["Burgerservicenummer (BSN)"]).toBe("ja");
    expect(byLabel["Bijzondere persoonsgegevens"]).toBe("ja");
    expect(byLabel["Aantal betrokkenen (minimum – maximum)"]).toBe("1.000 – 2.500");
    expect(byLabel["Beveiliging vóór de inbreuk"]).toBe("niet ingevuld");
    expect(byLabel["Plaatsgevonden bij subverwerker"]).toBe("Cloud Storage B.V., gemeld aan ons op 28-03-2026 13:00 CET");
    expect(authorityFormText(fields).split("\n")[0]).toBe("Referentie bij de verwerker: INC-2026-0003 (Lai Media B.V.)");
  });
});
