/**
 * Who may see and change what, tried from the outside: portal users and staff of another workspace
 * tampering with URLs, an auditor posting forms it is not shown, and a consultant switching workspaces.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCustomers } from "../../db/seed/demo-data";
import { launchBrowser, signedInPage } from "./browser";

let browser: Browser;
/** name → id of the customers of a workspace, read from /customers as its privacy officer */
const customerIds: Record<"leadcube" | "klantgenerator", Map<string, string>> = { leadcube: new Map(), klantgenerator: new Map() };

async function readCustomerLinks(page: Page): Promise<Map<string, string>> {
  await page.goto("/customers");
  const rows = await page
    .locator("table tbody")
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => [a.textContent?.trim() ?? "", a.getAttribute("href") ?? ""] as const));
  return new Map(rows.map(([name, href]) => [name, href.replace(/^\/customers\//, "")]));
}

beforeAll(async () => {
  browser = await launchBrowser();
  for (const slug of ["leadcube", "klantgenerator"] as const) {
    const { context, page } = await signedInPage(browser, `privacy@${slug}.example`, { via: "post", at: null });
    try {
      customerIds[slug] = await readCustomerLinks(page);
    } finally {
      await context.close();
    }
  }
});

afterAll(async () => {
  await browser?.close();
});

function idOf(slug: "leadcube" | "klantgenerator", name: string): string {
  const id = customerIds[slug].get(name);
  if (!id) throw new Error(`${name} not found in the /customers list of ${slug}: ${[...customerIds[slug].keys()].join(", ")}`);
  return id;
}

async function expectNotFoundPage(page: Page, path: string, mustNotShow: string[]): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(404);
  expect(await page.getByRole("heading", { level: 1 }).innerText(), path).toBe("404 · Er ging iets mis");
  const body = await page.locator("body").innerText();
  expect(body, path).toContain("Deze pagina bestaat niet, of je hebt er geen toegang toe.");
  for (const text of mustNotShow) expect(body, path).not.toContain(text);
  // nothing of the customer reaches the browser in the page's data either
  const html = await response!.text();
  for (const text of mustNotShow) expect(html, path).not.toContain(text);
}

describe("the list of demo customers", () => {
  it("is read from /customers with ids that are not guessable", () => {
    expect(customerIds.leadcube.size).toBe(demoCustomers.leadcube.length);
    expect(customerIds.klantgenerator.size).toBe(demoCustomers.klantgenerator.length);
    for (const id of [...customerIds.leadcube.values(), ...customerIds.klantgenerator.values()]) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("portal isolation by URL tampering", () => {
  const own = demoCustomers.leadcube[0];
  const other = demoCustomers.leadcube[1];

  it("the leadcube portal user gets a 404 page, never data, on staff URLs", async () => {
    const { context, page } = await signedInPage(browser, "portal@leadcube.example", { via: "post", at: null });
    try {
      const otherNames = demoCustomers.leadcube.slice(1).map((c) => c.name);
      await expectNotFoundPage(page, "/customers", otherNames);
      await expectNotFoundPage(page, `/customers/${idOf("leadcube", own.name)}`, [own.signatory.email, ...otherNames]);
      await expectNotFoundPage(page, `/customers/${idOf("leadcube", other.name)}`, [other.name, other.signatory.email, other.privacyContact.email]);
      await expectNotFoundPage(page, "/dashboard", otherNames);
      await expectNotFoundPage(page, "/settings/users", ["admin@leadcube.example"]);
    } finally {
      await context.close();
    }
  });

  it("the portal shows its own customer and no other", async () => {
    const { context, page } = await signedInPage(browser, "portal@leadcube.example", { via: "post" });
    try {
      expect(new URL(page.url()).pathname).toBe("/portal");
      const main = await page.locator("main").innerText();
      expect(main).toContain(own.name);
      expect(main).toContain(own.privacyContact.email);
      expect(main).toContain("Lightcube B.V.");
      for (const c of demoCustomers.leadcube.slice(1)) expect(main).not.toContain(c.name);
      expect(await page.locator('a[href^="/customers"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("a leadcube staff user gets a 404 for a klantgenerator customer", async () => {
    const foreign = demoCustomers.klantgenerator[0];
    const { context, page } = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
    try {
      await expectNotFoundPage(page, `/customers/${idOf("klantgenerator", foreign.name)}`, [foreign.name, foreign.signatory.email]);
      // control: a customer of its own workspace opens
      const response = await page.goto(`/customers/${idOf("leadcube", other.name)}`);
      expect(response?.status()).toBe(200);
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(other.name);
    } finally {
      await context.close();
    }
  });

  it("staff visiting the portal get a 404", async () => {
    const { context, page } = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
    try {
      await expectNotFoundPage(page, "/portal", [own.privacyContact.email]);
    } finally {
      await context.close();
    }
  });
});

describe("the auditor cannot change anything", () => {
  const target = demoCustomers.leadcube[2];
  const auditorPortalEmail = "auditor-attempt@portal-test.example";
  const auditorStaffEmail = "auditor-attempt@staff-test.example";

  async function portalUsersSection(page: Page): Promise<string> {
    return page.locator("section", { has: page.getByRole("heading", { name: "Portaalgebruikers" }) }).innerText();
  }

  it("sees no invite form, and posts with its cookie are refused with 403 and change nothing", async () => {
    const id = idOf("leadcube", target.name);
    let auditor: BrowserContext | undefined;
    let officer: BrowserContext | undefined;
    let admin: BrowserContext | undefined;
    try {
      const a = await signedInPage(browser, "auditor@leadcube.example", { via: "post", at: `/customers/${id}` });
      auditor = a.context;
      expect(await a.page.getByRole("heading", { level: 1 }).innerText()).toBe(target.name);
      expect(await a.page.getByRole("heading", { name: "Portaalgebruikers" }).count()).toBe(1);
      expect(await a.page.getByRole("heading", { name: "Nodig een portaalgebruiker uit" }).count()).toBe(0);
      expect(await a.page.getByRole("button", { name: "Uitnodiging versturen" }).count()).toBe(0);
      expect(await a.page.locator('form[method="post"] input[name="email"]').count()).toBe(0);

      const invitePortal = await auditor.request.post(`/customers/${id}`, { form: { email: auditorPortalEmail }, maxRedirects: 0 });
      expect(invitePortal.status()).toBe(403);
      expect(await invitePortal.text()).not.toContain(auditorPortalEmail);
      const inviteStaff = await auditor.request.post("/settings/users", { form: { email: auditorStaffEmail, role: "admin" }, maxRedirects: 0 });
      expect(inviteStaff.status()).toBe(403);

      // the privacy officer sees the form; the same kind of post works for them (so the 403 above is the permission)
      const o = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: `/customers/${id}` });
      officer = o.context;
      expect(await o.page.getByRole("heading", { name: "Nodig een portaalgebruiker uit" }).count()).toBe(1);
      const before = await portalUsersSection(o.page);
      expect(before).not.toContain(auditorPortalEmail);
      const officerEmail = "officer-invite@portal-test.example";
      const allowed = await officer.request.post(`/customers/${id}`, { form: { email: officerEmail }, maxRedirects: 0 });
      expect(allowed.status()).toBe(200);
      await o.page.reload();
      const after = await portalUsersSection(o.page);
      expect(after).toContain(officerEmail);
      expect(after).not.toContain(auditorPortalEmail);

      const ad = await signedInPage(browser, "admin@leadcube.example", { via: "post", at: "/settings/users" });
      admin = ad.context;
      const staffTable = await ad.page.getByRole("table").innerText();
      expect(staffTable).toContain("auditor@leadcube.example");
      expect(staffTable).not.toContain(auditorStaffEmail);
    } finally {
      await auditor?.close();
      await officer?.close();
      await admin?.close();
    }
  });

  it("the privacy officer cannot open or post to the admin's user settings", async () => {
    const { context, page } = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
    try {
      const response = await page.goto("/settings/users");
      expect(response?.status()).toBe(403);
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("403 · Er ging iets mis");
      expect(await page.locator("body").innerText()).not.toContain("admin@leadcube.example");
      const post = await context.request.post("/settings/users", { form: { email: "officer-attempt@staff-test.example", role: "admin" }, maxRedirects: 0 });
      expect(post.status()).toBe(403);
    } finally {
      await context.close();
    }
  });
});

describe("workspace switch", () => {
  it("the consultant switches workspace and the customer list shows the other vendor's customers", async () => {
    const { context, page } = await signedInPage(browser, "consultant@dpadesk.example", { via: "post", at: "/customers" });
    try {
      const switcher = page.getByLabel("Werkruimte");
      const options = await switcher.locator("option").allInnerTexts();
      expect(options).toHaveLength(5);
      const current = await switcher.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? "");
      const slugOf = (tradeName: string) => (tradeName === "KlantGenerator" ? "klantgenerator" : tradeName === "Leadcube" ? "leadcube" : null);
      const from = await readCustomerNames(page);
      const targetName = current === "Leadcube" ? "KlantGenerator" : "Leadcube";
      const targetSlug = slugOf(targetName)!;
      const expected = demoCustomers[targetSlug].map((c) => c.name);
      expect(from.some((n) => expected.includes(n))).toBe(false);

      await switcher.selectOption({ label: targetName });
      await page.getByRole("button", { name: "Wissel werkruimte" }).click();
      await page.getByRole("link", { name: expected.slice().sort((x, y) => x.localeCompare(y, "nl"))[0] }).first().waitFor();
      expect(new URL(page.url()).pathname).toBe("/customers");
      const to = await readCustomerNames(page);
      expect(to.sort()).toEqual(expected.slice().sort());
      for (const name of from) expect(to).not.toContain(name);
      expect(await switcher.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe(targetName);

      // the switch holds for the next page too
      await page.goto("/dashboard");
      expect(await page.locator("main").innerText()).toContain(targetSlug === "leadcube" ? "Lightcube B.V." : "KlantGenerator B.V.");
    } finally {
      await context.close();
    }
  });

  it("a staff user cannot switch into a workspace it is not a member of", async () => {
    const { context, page } = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
    try {
      // the id of a foreign workspace is not shown anywhere to this user: use one from the consultant's switcher
      const consultant = await signedInPage(browser, "consultant@dpadesk.example", { via: "post" });
      const foreignId = await consultant.page
        .getByLabel("Werkruimte")
        .locator("option", { hasText: "KlantGenerator" })
        .getAttribute("value");
      await consultant.context.close();
      expect(foreignId).toBeTruthy();
      const response = await context.request.post("/workspace", { form: { workspaceId: foreignId!, redirectTo: "/customers" }, maxRedirects: 0 });
      expect(response.status()).toBe(404);
      await page.goto("/customers");
      const names = await readCustomerNames(page);
      expect(names.sort()).toEqual(demoCustomers.leadcube.map((c) => c.name).sort());
    } finally {
      await context.close();
    }
  });
});

async function readCustomerNames(page: Page): Promise<string[]> {
  return (await page.locator("table tbody").getByRole("link").allInnerTexts()).map((s) => s.trim());
}
