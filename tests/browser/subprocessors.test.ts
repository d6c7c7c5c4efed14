/**
 * Sub-processors end to end, through the screens, on the demo data: staff register and announce a new
 * sub-processor (a start inside the Lai Media window is refused with the customer and the date), the
 * Lai Media portal customer objects with reasons, staff resolve the objection and the customer sees
 * the outcome; a Leadcube customer must approve before the start date is accepted; the public page
 * and its Atom feed (parsed as XML) show the change without customer names. Every run uses its own
 * sub-processor names, so it does not depend on (or disturb) other data.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, newContext, signInByPost, signedInPage, waitForHydration } from "./browser";

let browser: Browser;
const run = Math.random().toString(36).slice(2, 7);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** "YYYY-MM-DD" in Europe/Amsterdam, `days` from today. */
function amsterdamDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Amsterdam" });
}

function ddmmyyyy(date: string): string {
  const [y, m, d] = date.split("-");
  return `${d}-${m}-${y}`;
}

/** Registers a proposed sub-processor through the form and returns the path of its detail page. */
async function registerSubprocessor(page: Page, name: string, service: string): Promise<string> {
  await page.goto("/subprocessors/new");
  await waitForHydration(page);
  await page.getByLabel("Juridische naam").fill(name);
  await page.getByLabel("Wat het voor ons doet (Nederlands)").fill("Tweede opslaglocatie voor back-ups");
  await page.getByLabel("Wat het voor ons doet (Engels)").fill("Second storage location for backups");
  await page.getByLabel("Doel (Nederlands)").fill("Uitwijk bij storing");
  await page.getByLabel("Doel (Engels)").fill("Fallback during outages");
  await page.getByLabel("Verwerkingslocaties").fill("nl, de");
  await page.locator('input[name="dataCategories"][value="name"]').check();
  await page.locator('input[name="dataCategories"][value="contact"]').check();
  await page.locator("fieldset", { hasText: "Diensten waarvoor het wordt ingezet" }).getByLabel(service, { exact: true }).check();
  await page.getByLabel("Interne notitie").fill(`Interne prijsafspraak ${run}`);
  await Promise.all([page.waitForURL(/\/subprocessors\/[0-9a-f-]{36}\?created=1$/, { waitUntil: "commit" }), page.getByRole("button", { name: "Toevoegen" }).click()]);
  await page.getByText("Subverwerker toegevoegd.").waitFor();
  expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(name);
  return new URL(page.url()).pathname;
}

/** From the detail page: announce the new sub-processor (step 1) and land on the draft. */
async function announce(page: Page, plannedStart: string): Promise<string> {
  await page.getByRole("link", { name: "Wijziging aankondigen" }).click();
  await page.waitForURL(/\/subprocessors\/changes\/new\?/);
  await waitForHydration(page);
  expect(await page.locator('select[name="kind"]').inputValue()).toBe("new");
  await page.getByLabel("Beoogde ingangsdatum").fill(plannedStart);
  await page.getByLabel("Toelichting voor klanten (Nederlands)").fill("Wij nemen een tweede opslaglocatie in gebruik.");
  await page.getByLabel("Toelichting voor klanten (Engels)").fill("We are taking a second storage location into use.");
  await Promise.all([
    page.waitForURL(/\/subprocessors\/changes\/[0-9a-f-]{36}$/, { waitUntil: "commit" }),
    page.getByRole("button", { name: "Verder: klanten kiezen" }).click(),
  ]);
  await page.getByText("Concept, nog niet verzonden.").waitFor();
  await waitForHydration(page);
  return new URL(page.url()).pathname;
}

async function send(page: Page, plannedStart: string): Promise<void> {
  const section = page.locator('section[aria-labelledby="send"]');
  await section.getByLabel("Beoogde ingangsdatum").fill(plannedStart);
  await section.locator('input[name="confirm"]').check();
  await section.getByRole("button", { name: "Kennisgevingen versturen" }).click();
}

describe("Lai Media: announce, object in the portal, resolve, publish", () => {
  const name = `Opslagpartner ${run} B.V.`;
  let changePath = "";

  it("staff register the sub-processor and announce it; a start inside the window is refused, naming the customer and the date", async () => {
    const { context, page } = await signedInPage(browser, "privacy@lai-media.example", { via: "post", at: null });
    try {
      await registerSubprocessor(page, name, "Webhosting");
      changePath = await announce(page, amsterdamDate(30));
      // the portal customer uses web hosting, so it is selected by default
      await page.getByText("Webbureau Maasland B.V.").first().waitFor();

      const windowEnd = ddmmyyyy(amsterdamDate(14));
      await send(page, amsterdamDate(7));
      const refusal = page.locator('section[aria-labelledby="send"] .form-error');
      await refusal.getByText("Niet verstuurd.").waitFor();
      expect(await refusal.innerText()).toContain(`Webbureau Maasland B.V.: bezwaartermijn loopt tot en met ${windowEnd}`);
      expect(await refusal.innerText()).toContain(`Vroegst mogelijke ingangsdatum: ${ddmmyyyy(amsterdamDate(15))}`);
      expect(await page.getByText("Concept, nog niet verzonden.").count()).toBe(1);

      await send(page, amsterdamDate(30));
      await page.waitForURL(/\?sent=\d+$/, { waitUntil: "commit" });
      await page.getByText(/^Kennisgevingen verstuurd: \d+\.$/).waitFor();
      const row = page.locator("tr", { hasText: "Webbureau Maasland B.V." });
      expect(await row.innerText()).toContain("Bezwaartermijn loopt");
      expect(await row.innerText()).toContain(windowEnd);
    } finally {
      await context.close();
    }
  });

  it("the portal customer objects: reasons are required, then the objection is recorded", async () => {
    const { context, page } = await signedInPage(browser, "portal@lai-media.example", { via: "post", at: "/portal/subprocessors" });
    try {
      await waitForHydration(page);
      const card = page.locator("section.card", { hasText: `Nieuwe subverwerker: ${name}` });
      expect(await card.innerText()).toMatch(/Nog 1[34] dagen om te reageren, tot en met/);
      await card.getByRole("button", { name: "Bezwaar maken" }).click();
      await card.getByText("Schrijf uw redenen op (minstens 10 tekens).").waitFor();
      await card.getByLabel("Uw redenen (verplicht, minstens 10 tekens)").fill("Onze klantdata moet op één locatie blijven; graag eerst overleg.");
      await card.getByRole("button", { name: "Bezwaar maken" }).click();
      await card.getByText("Uw bezwaar is vastgelegd. Lai Media neemt contact met u op.").waitFor();
      // the action's answer shows first; the page's data follows once the loader has run again
      await card.getByText("Bezwaar, wacht op afhandeling").waitFor();
      expect(await card.getByRole("button", { name: "Bezwaar maken" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("staff resolve the objection with an alternative; the customer sees the outcome", async () => {
    const staff = await signedInPage(browser, "privacy@lai-media.example", { via: "post", at: "/subprocessors/objections" });
    try {
      await waitForHydration(staff.page);
      const card = staff.page.locator("section.card", { hasText: `Webbureau Maasland B.V. · ${name}` });
      expect(await card.innerText()).toContain("Onze klantdata moet op één locatie blijven");
      await card.getByLabel("Alternatief afgesproken: de subverwerker wordt niet voor deze klant ingezet").check();
      await card.getByLabel("Toelichting (wordt vastgelegd en aan de klant gemeld)").fill("Uw gegevens blijven alleen in Amsterdam.");
      await card.getByRole("button", { name: "Uitkomst vastleggen" }).click();
      await staff.page.getByText("Uitkomst vastgelegd.").waitFor();
      await card.waitFor({ state: "detached" });
    } finally {
      await staff.context.close();
    }
    const portal = await signedInPage(browser, "portal@lai-media.example", { via: "post", at: "/portal/subprocessors" });
    try {
      const card = portal.page.locator("section.card", { hasText: `Nieuwe subverwerker: ${name}` });
      const text = await card.innerText();
      expect(text).toContain("Alternatief afgesproken: de subverwerker wordt niet voor deze klant ingezet");
      expect(text).toContain("Uw gegevens blijven alleen in Amsterdam.");
    } finally {
      await portal.context.close();
    }
  });

  it("the public page and a valid Atom feed show the change, without customer names or internal notes", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const response = await page.goto("/trust/lai-media/subprocessors");
      expect(response?.status()).toBe(200);
      const log = page.locator('section[aria-labelledby="public-log"]');
      await log.getByText(`Nieuwe subverwerker: ${name}`).waitFor();
      const html = await response!.text();
      for (const hidden of ["Webbureau Maasland", `Interne prijsafspraak ${run}`, "Onze klantdata"]) expect(html).not.toContain(hidden);

      const feed = await context.request.get("/trust/lai-media/subprocessors.atom");
      expect(feed.status()).toBe(200);
      expect(feed.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
      const xml = await feed.text();
      expect(xml).not.toContain("Webbureau Maasland");
      const parsed = await page.evaluate((source) => {
        const doc = new DOMParser().parseFromString(source, "application/xml");
        const atom = "http://www.w3.org/2005/Atom";
        const text = (el: Element, tag: string) => el.getElementsByTagNameNS(atom, tag)[0]?.textContent ?? null;
        const root = doc.documentElement;
        return {
          parseError: doc.getElementsByTagName("parsererror").length > 0,
          root: root.localName,
          ns: root.namespaceURI,
          id: text(root, "id"),
          title: text(root, "title"),
          updated: text(root, "updated"),
          entries: Array.from(doc.getElementsByTagNameNS(atom, "entry")).map((entry) => ({
            id: text(entry, "id"),
            title: text(entry, "title"),
            updated: text(entry, "updated"),
            summary: text(entry, "summary"),
            link: entry.getElementsByTagNameNS(atom, "link")[0]?.getAttribute("href") ?? null,
          })),
        };
      }, xml);
      expect(parsed).toMatchObject({ parseError: false, root: "feed", ns: "http://www.w3.org/2005/Atom", title: "Subverwerkers van Lai Media" });
      expect(parsed.id).toBe(`${baseUrl()}/trust/lai-media/subprocessors`);
      expect(Number.isNaN(Date.parse(parsed.updated ?? ""))).toBe(false);
      const entry = parsed.entries.find((e) => e.title === `Nieuwe subverwerker: ${name}`);
      expect(entry).toBeDefined();
      expect(entry!.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(changePath).toContain(entry!.id!.slice("urn:uuid:".length));
      expect(Number.isNaN(Date.parse(entry!.updated ?? ""))).toBe(false);
      expect(entry!.summary).toContain("Wij nemen een tweede opslaglocatie in gebruik.");
      expect(entry!.link).toBe(`${baseUrl()}/trust/lai-media/subprocessors#change-${entry!.id!.slice("urn:uuid:".length)}`);
      for (const e of parsed.entries) expect(e.id && e.title && e.updated && e.summary && e.link).toBeTruthy();
    } finally {
      await context.close();
    }
  });

  it("a workspace without a public page answers 404", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      expect((await page.goto("/trust/leadcube/subprocessors"))?.status()).toBe(404);
      expect((await context.request.get("/trust/leadcube/subprocessors.atom")).status()).toBe(404);
    } finally {
      await context.close();
    }
  });
});

describe("Leadcube: the start date is accepted only after the customer approved", () => {
  const name = `Formulieropslag ${run} B.V.`;

  it("announces to one customer, refuses the start until it approves in the portal, then accepts it", async () => {
    const staff = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
    let changePath = "";
    try {
      await registerSubprocessor(staff.page, name, "Formulierwidgets");
      changePath = await announce(staff.page, amsterdamDate(10));
      const page = staff.page;
      // only the first customer: exclude everyone, then include ZonneWarmte
      await page.getByRole("button", { name: "Alle klanten uitsluiten" }).click();
      await page.getByText("Selectie bijgewerkt.").waitFor();
      await page.goto(`${changePath}?filter=not_selected&q=ZonneWarmte`);
      await waitForHydration(page);
      await page.getByLabel("Kies ZonneWarmte Installaties B.V.").check();
      await page.getByRole("button", { name: "Aangevinkte opnemen" }).click();
      // the number of active customers depends on what other tests and the demo seed ended
      await page.getByText(/^1 van \d+ klanten geselecteerd/).waitFor();
      await page.goto(changePath);
      await waitForHydration(page);
      expect(await page.locator("tbody tr").count()).toBe(1);
      expect(await page.locator("tr", { hasText: "ZonneWarmte Installaties B.V." }).innerText()).toContain("Toestemming vooraf vereist");

      await send(page, amsterdamDate(10));
      await page.waitForURL(/\?sent=1$/, { waitUntil: "commit" });
      await page.getByText("Kennisgevingen verstuurd: 1.").waitFor();
      expect(await page.locator(".page-header .badge").innerText()).toBe("Wacht op toestemming");

      await waitForHydration(page);
      const accept = page.locator('section[aria-labelledby="accept"]');
      expect(await accept.innerText()).toContain("ZonneWarmte Installaties B.V.: toestemming ontbreekt nog");
      await accept.getByRole("button", { name: "Ingangsdatum accepteren" }).click();
      await accept.getByText("Niet geaccepteerd.").waitFor();
      expect(await page.locator(".page-header .badge").innerText()).toBe("Wacht op toestemming");
    } finally {
      await staff.context.close();
    }

    const portal = await signedInPage(browser, "portal@leadcube.example", { via: "post", at: "/portal/subprocessors" });
    try {
      await waitForHydration(portal.page);
      const card = portal.page.locator("section.card", { hasText: `Nieuwe subverwerker: ${name}` });
      expect(await card.innerText()).toContain("Uw voorwaarden vragen uw toestemming vooraf.");
      await card.getByRole("button", { name: "Toestemming geven" }).click();
      await card.getByText("Uw reactie is vastgelegd: akkoord.").waitFor();
      await card.getByText("Uw reactie van").waitFor();
      expect(await card.getByRole("button", { name: "Toestemming geven" }).count()).toBe(0);
    } finally {
      await portal.context.close();
    }

    const again = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: changePath });
    try {
      const page = again.page;
      await waitForHydration(page);
      const accept = page.locator('section[aria-labelledby="accept"]');
      expect(await accept.innerText()).toContain("Niets houdt de ingangsdatum tegen.");
      await accept.getByRole("button", { name: "Ingangsdatum accepteren" }).click();
      await page.waitForURL(/\?accepted=scheduled$/, { waitUntil: "commit" });
      await page.getByText("Ingangsdatum geaccepteerd.").waitFor();
      expect(await page.locator(".page-header .badge").innerText()).toBe("Gepland");
      expect(await page.locator("tr", { hasText: "ZonneWarmte Installaties B.V." }).innerText()).toContain("Akkoord");
    } finally {
      await again.context.close();
    }
  });

  it("an auditor can read the change list but not post (403)", async () => {
    const { context, page } = await signedInPage(browser, "auditor@leadcube.example", { via: "post", at: "/subprocessors/changes" });
    try {
      await page.getByRole("heading", { name: "Wijzigingen in subverwerkers" }).waitFor();
      expect(await page.getByRole("link", { name: "Wijziging aankondigen" }).count()).toBe(0);
      const response = await context.request.post("/subprocessors/new", { form: { legalName: "X" }, maxRedirects: 0 });
      expect(response.status()).toBe(403);
    } finally {
      await context.close();
    }
  });

  it("a portal user gets 404 on the staff pages", async () => {
    const { context, page } = await signedInPage(browser, "portal@leadcube.example", { via: "post", at: null });
    try {
      expect((await page.goto("/subprocessors"))?.status()).toBe(404);
      expect((await page.goto("/subprocessors/objections"))?.status()).toBe(404);
    } finally {
      await context.close();
    }
  });
});

describe("without JavaScript (Elementon)", () => {
  const name = `Back-uppartner ${run} GmbH`;

  it("registers, announces and sends with plain form posts; the portal refuses an objection without reasons, then records it", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    try {
      await signInByPost(context, "privacy@elementon.example");
      const page = await context.newPage();
      await page.goto("/subprocessors/new");
      await page.getByRole("button", { name: "Toevoegen" }).click();
      await page.waitForLoadState("load");
      expect(await page.locator(".field", { hasText: "Juridische naam" }).innerText()).toContain("Vul dit veld in.");
      expect(await page.locator(".field", { hasText: "Verwerkingslocaties" }).innerText()).toContain("Vul minstens één verwerkingslocatie in.");

      await page.getByLabel("Juridische naam").fill(name);
      await page.getByLabel("Wat het voor ons doet (Nederlands)").fill("Off-site back-ups");
      await page.getByLabel("Wat het voor ons doet (Engels)").fill("Off-site backups");
      await page.getByLabel("Doel (Nederlands)").fill("Herstel na verlies");
      await page.getByLabel("Doel (Engels)").fill("Recovery after loss");
      await page.getByLabel("Verwerkingslocaties").fill("DE");
      await page.locator('input[name="dataCategories"][value="name"]').check();
      await page.locator("fieldset", { hasText: "Diensten waarvoor het wordt ingezet" }).getByLabel("Kerk-, zaak- en clubsites").check();
      await page.getByRole("button", { name: "Toevoegen" }).click();
      await page.waitForURL(/\?created=1$/);

      await page.getByRole("link", { name: "Wijziging aankondigen" }).click();
      await page.waitForURL(/\/subprocessors\/changes\/new\?/);
      // without JavaScript every field of every kind is there, with its hint
      expect(await page.getByLabel("Vervangt").isVisible()).toBe(true);
      await page.getByLabel("Beoogde ingangsdatum").fill(amsterdamDate(45));
      await page.getByLabel("Toelichting voor klanten (Nederlands)").fill("Extra back-uplocatie in Duitsland.");
      await page.getByLabel("Toelichting voor klanten (Engels)").fill("Extra backup location in Germany.");
      await page.getByRole("button", { name: "Verder: klanten kiezen" }).click();
      await page.waitForURL(/\/subprocessors\/changes\/[0-9a-f-]{36}$/);
      const section = page.locator('section[aria-labelledby="send"]');
      await section.getByRole("button", { name: "Kennisgevingen versturen" }).click();
      await page.waitForLoadState("load");
      expect(await page.locator('section[aria-labelledby="send"]').innerText()).toContain("Bevestig dat je de kennisgevingen verstuurt.");
      await page.locator('section[aria-labelledby="send"] input[name="confirm"]').check();
      await page.locator('section[aria-labelledby="send"]').getByRole("button", { name: "Kennisgevingen versturen" }).click();
      await page.waitForURL(/\?sent=\d+$/);
      expect(await page.locator("tr", { hasText: "Tweewielers Wielstra B.V." }).innerText()).toContain("Bezwaar mogelijk tot de ingangsdatum");
    } finally {
      await context.close();
    }

    const portal = await newContext(browser, { javaScriptEnabled: false });
    try {
      await signInByPost(portal, "portal@elementon.example");
      const page = await portal.newPage();
      await page.goto("/portal/subprocessors");
      const card = () => page.locator("section.card", { hasText: `Nieuwe subverwerker: ${name}` });
      await card().getByRole("button", { name: "Bezwaar maken" }).click();
      await page.waitForLoadState("load");
      expect(await card().innerText()).toContain("Schrijf uw redenen op (minstens 10 tekens).");
      await card().getByLabel("Uw redenen (verplicht, minstens 10 tekens)").fill("Ons ledenbestand moet in Nederland blijven.");
      await card().getByRole("button", { name: "Bezwaar maken" }).click();
      await page.waitForLoadState("load");
      expect(await card().innerText()).toContain("Bezwaar, wacht op afhandeling");
    } finally {
      await portal.close();
    }
  });
});
