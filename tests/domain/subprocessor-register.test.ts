import { describe, expect, it } from "vitest";
import { ChangeFormSchema, ResponseFormSchema, SubprocessorFormSchema, fieldErrors, subprocessorFormInput } from "~/domain/subprocessor-forms";
import {
  EEA_COUNTRIES,
  countryName,
  inUseOn,
  isEeaCountry,
  lifecycleIssues,
  nonEeaLocations,
  normalisedSafeguard,
  parseLocationList,
  transferIssues,
} from "~/domain/subprocessor-register";
import { demoVendors } from "../../db/seed/demo-data";

describe("EEA and transfers", () => {
  it("knows the 30 EEA countries: the EU 27 plus Iceland, Liechtenstein and Norway", () => {
    expect(EEA_COUNTRIES.size).toBe(30);
    for (const code of ["NL", "DE", "GR", "IE", "IS", "LI", "NO"]) expect(isEeaCountry(code)).toBe(true);
    for (const code of ["GB", "CH", "US", "EL"]) expect(isEeaCountry(code)).toBe(false);
  });

  it("parses a typed list of locations", () => {
    expect(parseLocationList(" nl, DE;us  nl ")).toEqual(["NL", "DE", "US"]);
    expect(parseLocationList("   ")).toEqual([]);
  });

  it.each([
    [[], null, [{ code: "locations_required" }]],
    [["NL", "XX"], null, [{ code: "unknown_country", countries: ["XX"] }]],
    [["NL", "DE"], null, []],
    [["NL", "US"], null, [{ code: "safeguard_required", countries: ["US"] }]],
    [["NL", "US"], "scc", []],
    [["IN"], "adequacy", [{ code: "no_adequacy_decision", countries: ["IN"] }]],
    [["GB"], "adequacy", []],
    [["IN"], "bcr", []],
  ] as const)("locations %j with safeguard %s", (locations, safeguard, issues) => {
    expect(transferIssues([...locations], safeguard)).toEqual(issues);
  });

  it("stores no safeguard for EEA-only locations", () => {
    expect(normalisedSafeguard(["NL", "DE"], "scc")).toBeNull();
    expect(normalisedSafeguard(["NL", "US"], "scc")).toBe("scc");
    expect(nonEeaLocations(["IE", "US", "GB"])).toEqual(["US", "GB"]);
  });

  it("names countries in the UI language", () => {
    expect(countryName("US", "nl")).toBe("Verenigde Staten");
    expect(countryName("US", "en")).toBe("United States");
    expect(countryName("XX", "nl")).toBe("XX");
  });
});

describe("lifecycle", () => {
  it("asks for the dates a status needs", () => {
    expect(lifecycleIssues({ status: "active", startDate: null, endDate: null })).toEqual([{ code: "start_required", field: "startDate" }]);
    expect(lifecycleIssues({ status: "retired", startDate: "2020-01-01", endDate: null })).toEqual([{ code: "end_required", field: "endDate" }]);
    expect(lifecycleIssues({ status: "retired", startDate: "2020-01-01", endDate: "2019-12-31" })).toEqual([{ code: "end_before_start", field: "endDate" }]);
    expect(lifecycleIssues({ status: "active", startDate: "2020-01-01", endDate: "2021-01-01" })).toEqual([{ code: "end_not_allowed", field: "endDate" }]);
    expect(lifecycleIssues({ status: "proposed", startDate: null, endDate: null })).toEqual([]);
  });

  it.each([
    [{ status: "active", startDate: "2026-12-01", endDate: null }, "2026-11-30", false],
    [{ status: "active", startDate: "2026-12-01", endDate: null }, "2026-12-01", true],
    [{ status: "retired", startDate: "2020-01-01", endDate: "2026-11-30" }, "2026-11-30", false],
    [{ status: "proposed", startDate: null, endDate: null }, "2026-11-30", false],
  ] as const)("%j in use on %s: %s", (entry, date, expected) => {
    expect(inUseOn(entry, date)).toBe(expected);
  });
});

describe("the demo register is valid under these rules", () => {
  it.each(demoVendors.map((v) => [v.slug, v] as const))("%s", (_slug, vendor) => {
    for (const sp of vendor.subprocessors) {
      expect(transferIssues(sp.locations, sp.transferSafeguard), sp.key).toEqual([]);
      expect(lifecycleIssues(sp), sp.key).toEqual([]);
    }
  });
});

describe("form schemas", () => {
  const serviceId = "6f0c8a3e-6d7b-4c1e-9a53-2b0d1f5c9e11";
  function registerForm(over: Record<string, string | string[]> = {}): FormData {
    const values: Record<string, string | string[]> = {
      legalName: "Leaseweb Netherlands B.V.",
      tradeName: "Leaseweb",
      serviceNl: "Datacenter",
      serviceEn: "Data centre",
      purposeNl: "Tweede locatie",
      purposeEn: "Second location",
      locations: "nl",
      transferSafeguard: "",
      dataCategories: ["name", "contact"],
      serviceIds: [serviceId],
      dpaDate: "",
      breachNoticeHours: "24",
      status: "proposed",
      startDate: "",
      endDate: "",
      internalNote: "",
      ...over,
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item);
    return form;
  }

  it("parses a complete register form, the same with repeated checkbox fields", () => {
    const parsed = SubprocessorFormSchema.parse(subprocessorFormInput(registerForm()));
    expect(parsed).toMatchObject({ locations: ["NL"], transferSafeguard: null, breachNoticeHours: 24, dataCategories: ["name", "contact"], serviceIds: [serviceId] });
  });

  it("names the field of each problem", () => {
    const result = SubprocessorFormSchema.safeParse(
      subprocessorFormInput(registerForm({ legalName: " ", locations: "NL, US", dataCategories: [], breachNoticeHours: "0", status: "active" })),
    );
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrors(result.error)).toEqual({
      legalName: "subprocessors.error.required",
      dataCategories: "subprocessors.error.dataCategoriesRequired",
      breachNoticeHours: "subprocessors.error.hoursInvalid",
      transferSafeguard: "subprocessors.error.safeguardRequired",
      startDate: "subprocessors.error.startRequired",
    });
  });

  it("a location change without locations is refused on the locations field", () => {
    const result = ChangeFormSchema.safeParse({
      kind: "location",
      subprocessorId: serviceId,
      replacesSubprocessorId: "",
      plannedStart: "2027-01-15",
      newLocations: "  ",
      newTransferSafeguard: "",
      newPurposeNl: "",
      newPurposeEn: "",
      descriptionNl: "Nieuwe locatie",
      descriptionEn: "New location",
      internalNote: "",
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error)).toEqual({ newLocations: "subprocessors.error.locationsRequired" });
  });

  it("an objection needs written reasons; an approval does not", () => {
    const noticeId = serviceId;
    expect(ResponseFormSchema.safeParse({ noticeId, intent: "object", reasons: "nee" }).success).toBe(false);
    expect(ResponseFormSchema.safeParse({ noticeId, intent: "object", reasons: "Wij willen geen doorgifte naar de VS." }).success).toBe(true);
    expect(ResponseFormSchema.safeParse({ noticeId, intent: "approve", reasons: "" }).success).toBe(true);
  });
});
