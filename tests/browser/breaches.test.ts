/**
 * A breach from start to end, in the built app with the demo data: the Leadcube privacy officer logs
 * a breach at a sub-processor used by customers on standard terms (24 h from should-have-known,
 * VO 7.5) and on negotiated terms (12 h, customer 2); each countdown and its basis shows, ticks in the
 * browser and is right without JavaScript; the first notice goes out; the portal user acknowledges it
 * and sees its own 48 h clock to the authority; the register export contains the breach.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCustomers } from "../../db/seed/demo-data";
import { launchBrowser, newContext, signedInPage, waitForHydration } from "./browser";

let browser: Browser;
let staff: { context: BrowserContext; page: Page };
let breachPath = "";
let reference = "";

const standardCustomer = demoCustomers.leadcube[0].name;
const negotiatedCustomer = demoCustomers.leadcube[2].name;
const TITLE = `Verzendaccount bij Brevo ingezien ${Date.now()}`;

/** "2026-11-22T14:05" for an hour ago, in Europe/Amsterdam, as a datetime-local input wants it. */
function amsterdamLocal(msAgo: number): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Amsterdam",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(Date.now() - msAgo));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

function rowOf(page: Page, customer: string) {
  return page.locator("table tbody tr").filter({ has: page.getByRole("link", { name: customer, exact: true }) });
}

beforeAll(async () => {
  browser = await launchBrowser();
  staff = await signedInPage(browser, "privacy@leadcube.example");
});

afterAll(async () => {
  await staff?.context.close();
  await browser?.close();
});

describe("a breach at a sub-processor, end to end", () => {
  it("is logged through the form and shows each customer's countdown with its basis", async () => {
    const { page } = staff;
    await page.goto("/breaches/new");
    await waitForHydration(page);
    await page.getByLabel("Korte titel").fill(TITLE);
    await page.getByLabel("Aard: wat er gebeurd is").fill("Een aanvaller had twee uur toegang tot het verzendaccount en kon contactlijsten inzien.");
    await page.getByRole("checkbox", { name: "Vertrouwelijkheid: onbevoegde toegang of verstrekking", exact: true }).check();
    await page.getByLabel("Waar het gebeurde").selectOption("subprocessor");
    await page.getByLabel("Subverwerker", { exact: true }).selectOption({ label: "Sendinblue SAS (Brevo)" });
    await page.getByLabel("Ontdekt op").fill(amsterdamLocal(60 * 60_000));
    await page.getByRole("checkbox", { name: "Naam", exact: true }).check();
    await page.getByRole("checkbox", { name: "Contactgegevens (e-mailadres, telefoonnummer)", exact: true }).check();
    await page.getByRole("checkbox", { name: "Prospects en leads", exact: true }).check();
    await page.getByLabel("Aantal betrokkenen, minimum").fill("120");
    await page.getByLabel("Aantal betrokkenen, maximum").fill("450");
    await page.getByLabel("Beveiliging vóór de inbreuk").fill("Account met wachtwoord, zonder MFA.");
    await page.getByLabel("Waarschijnlijke gevolgen").fill("Kans op gerichte phishing.");
    await page.getByLabel("Genomen maatregelen").fill("API-sleutels ingetrokken en MFA aangezet.");
    await Promise.all([
      page.waitForURL(/\/breaches\/[0-9a-f-]{36}\?logged=1/),
      page.getByRole("button", { name: "Datalek vastleggen en klokken starten" }).click(),
    ]);
    breachPath = new URL(page.url()).pathname;
    reference = (await page.locator("h1 .mono").innerText()).trim();
    expect(reference).toMatch(/^INC-\d{4}-\d{4}$/);
    await expect.poll(() => page.getByRole("status").first().innerText()).toContain("Het datalek is vastgelegd");

    const negotiated = rowOf(page, negotiatedCustomer);
    expect(await negotiated.innerText()).toContain("12 uur na");
    expect(await negotiated.innerText()).toContain("onderhandeld: Side letter informatiebeveiliging, art. 3.2");
    expect(await negotiated.innerText()).toMatch(/Op tijd\s+nog 1[01] u \d+ min \d+ s/);
    const standard = rowOf(page, standardCustomer);
    expect(await standard.innerText()).toContain("24 uur na");
    expect(await standard.innerText()).toContain("art. 7.5 verwerkersovereenkomst");
    expect(await standard.innerText()).toMatch(/\d{2}-\d{2}-\d{4} \d{2}:\d{2} CES?T/);
    // the negotiated customer comes first: the nearest deadline
    expect(await page.locator("table tbody tr").first().innerText()).toContain(negotiatedCustomer);
  });

  it("ticks every second in the browser", async () => {
    const { page } = staff;
    const clock = rowOf(page, standardCustomer).locator(".countdown strong");
    const first = await clock.innerText();
    await expect.poll(() => clock.innerText(), { timeout: 5_000 }).not.toBe(first);
  });

  it("shows the same countdown and absolute time without JavaScript", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    try {
      await context.addCookies(await staff.context.cookies());
      const page = await context.newPage();
      await page.goto(breachPath);
      const text = await rowOf(page, negotiatedCustomer).innerText();
      expect(text).toMatch(/Op tijd\s+nog 1[01] u \d+ min/);
      expect(text).not.toMatch(/min \d+ s/);
      expect(text).toMatch(/\d{2}-\d{2}-\d{4} \d{2}:\d{2} CES?T/);
    } finally {
      await context.close();
    }
  });

  it("sends the first notice to every affected customer", async () => {
    const { page } = staff;
    await page.goto(breachPath);
    await waitForHydration(page);
    await Promise.all([page.waitForURL(/\/notices\//), page.getByRole("button", { name: "Eerste melding opstellen" }).click()]);
    await waitForHydration(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Eerste melding");
    const send = page.getByRole("button", { name: /^Verstuur aan \d+ klanten$/ });
    const count = Number(/(\d+)/.exec(await send.innerText())![1]);
    expect(count).toBeGreaterThanOrEqual(2);
    await send.click();
    await expect
      .poll(
        () =>
          page
            .locator("section", { has: page.locator("#send") })
            .getByRole("status")
            .innerText(),
        { timeout: 30_000 }
      )
      .toContain("klaar");
    expect(
      await page
        .locator("section", { has: page.locator("#send") })
        .getByRole("status")
        .innerText()
    ).toContain(`${count} van ${count} verwerkt: ${count} verzonden, 0 mislukt`);
    await page.goto(breachPath);
    expect(await rowOf(page, negotiatedCustomer).count()).toBe(0); // the default filter shows who is still to be notified
    await page.goto(`${breachPath}?state=notified_on_time`);
    expect(await rowOf(page, negotiatedCustomer).innerText()).toContain("Op tijd gemeld");
  });

  it("lets the portal user acknowledge the notice and see its own 48 h clock to the authority", async () => {
    const portal = await signedInPage(browser, "portal@leadcube.example");
    try {
      const { page } = portal;
      await page.goto("/portal/breaches");
      await Promise.all([page.waitForURL(/\/portal\/breaches\/[0-9a-f-]{36}$/), page.getByRole("link", { name: new RegExp(TITLE) }).click()]);
      const clock = await page.locator("section", { has: page.getByRole("heading", { name: "Uw termijn voor melding aan de AP" }) }).innerText();
      expect(clock).toContain("Op tijd");
      expect(clock).toContain("48 uur na");
      expect(clock).toContain("art. 7.5 verwerkersovereenkomst");
      expect(clock).toMatch(/nog 1 d 2\d u \d+ min/);
      await waitForHydration(page);
      await page.getByRole("button", { name: "Ontvangst bevestigen" }).click();
      await expect.poll(() => page.getByText(/Ontvangst bevestigd door .+ op \d{2}-\d{2}-\d{4}/).count()).toBe(1);
      const fields = await page.getByLabel("Alle velden als tekst").inputValue();
      expect(fields).toContain(`Referentie bij de verwerker: ${reference}`);
      expect(fields).toContain("Aantal betrokkenen (minimum – maximum): 120 – 450");
    } finally {
      await portal.context.close();
    }
    await staff.page.goto(`${breachPath}?state=notified`);
    expect(await rowOf(staff.page, standardCustomer).innerText()).toContain("1 van 1 meldingen bevestigd");
  });

  it("puts the breach in the register export", async () => {
    const response = await staff.context.request.get("/registers/breaches.csv");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const body = await response.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = body.toString("utf8");
    expect(csv).toContain(`${reference},${TITLE},datalek`);
    expect(csv).toContain("Sendinblue SAS (Brevo)");
  });
});
