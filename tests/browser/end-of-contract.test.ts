/**
 * Proof of issue 6, end to end in the browser: a privacy officer of Leadcube records the end of a
 * customer's contract (after a refused attempt: an override end date before the contract start), sees the
 * computed end date with its basis (live with JavaScript, and with the "calculate" button without it), and
 * ends it at once; the customer's portal user (invited for this test) chooses deletion (after a refused
 * attempt without the confirmation); staff are refused a certificate while tasks remain and a task
 * without its evidence, then complete every task with evidence (one with an uploaded file); the case
 * closes; the portal user downloads the deletion certificate and poppler's `pdfsig` reports it valid.
 * Last, the pages render in English and at 390 px without sideways scrolling (screenshots in SHOTS_DIR
 * or /tmp/eoc-shots).
 *
 * The customer is one of Leadcube's demo customers that no other test and no demo end-of-contract case
 * uses; the steps build on each other and run in order; each actor has its own browser context.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { descriptionOf, launchBrowser, newContext, signedInPage, signIn, waitForHydration, waitForLang } from "./browser";

const run = promisify(execFile);

const customerName = "Hoveniersbedrijf Groenrijk B.V.";
const suffix = Date.now().toString(36);
const portalEmail = `eoc-${suffix}@hoveniersbedrijf-groenrijk.example`;
const portalName = "Hugo van Wijk";
const portalPassword = "einde-contract-2026";
const shotsDir = process.env.SHOTS_DIR ?? "/tmp/eoc-shots";

let browser: Browser;
let staff: { context: BrowserContext; page: Page };
let portal: { context: BrowserContext; page: Page } | undefined;
let workDir: string;
const state: { customerId?: string; caseId?: string; pdf?: Buffer } = {};

function need<K extends keyof typeof state>(key: K): NonNullable<(typeof state)[K]> {
  const value = state[key];
  if (value === undefined) throw new Error(`an earlier step did not provide ${key}`);
  return value as NonNullable<(typeof state)[K]>;
}

function needPortal(): { context: BrowserContext; page: Page } {
  if (!portal) throw new Error("an earlier step did not sign the portal user in");
  return portal;
}

/** expect.poll with room for a busy machine (its default gives up after 1 s). */
function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 15_000 });
}

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

beforeAll(async () => {
  browser = await launchBrowser();
  staff = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
  workDir = mkdtempSync(path.join(tmpdir(), "dpadesk-eoc-test-"));
  mkdirSync(shotsDir, { recursive: true });
});

afterAll(async () => {
  await portal?.context.close();
  await staff?.context.close();
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The text of the newest mail to `address` written by the test server's file transport (polls up to 20 s). */
async function waitForMailTo(address: string, timeoutMs = 20_000): Promise<string> {
  const dir = path.join(inject("dataDir"), "mail");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".eml") && !n.startsWith("."));
    } catch {
      // the folder appears with the first delivered mail
    }
    for (const name of names.sort().reverse()) {
      const raw = readFileSync(path.join(dir, name), "latin1");
      const head = raw.slice(0, Math.max(0, raw.search(/\r?\n\r?\n/))).replace(/\r?\n[ \t]+/g, " ");
      const to = /^to:(.*)$/im.exec(head)?.[1] ?? "";
      if (!to.toLowerCase().includes(address.toLowerCase())) continue;
      // quoted-printable soft breaks and =3D escapes are enough to find a link
      return raw.replace(/=\r?\n/g, "").replace(/=3D/gi, "=");
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${address} in ${dir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** pdfsig exits 0 even for an invalid signature, but non-zero when it cannot read the file at all. */
async function tool(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { encoding: "utf8" });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof e.code === "string") throw error;
    return `${e.stdout ?? ""}\n${e.stderr ?? ""}`;
  }
}

/** The widest the page scrolls sideways, and a screenshot for a person to look at. */
async function checkNarrow(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(1);
}

describe("end of contract: termination, the customer's choice, tasks with evidence, signed certificate", () => {
  it("finds the customer, and its page shows the contract dates with their basis and the way to record the end", async () => {
    const { page } = staff;
    await page.goto(`/customers?q=${encodeURIComponent("Groenrijk")}`);
    await Promise.all([page.waitForURL((url) => /^\/customers\/[0-9a-f-]{36}$/.test(url.pathname)), page.getByRole("link", { name: customerName }).first().click()]);
    state.customerId = pathOf(page).split("/")[2];
    const contract = page.locator("section", { has: page.getByRole("heading", { name: "Contract", exact: true }) });
    const text = await contract.innerText();
    expect(text).toContain("Looptijd en einde");
    expect(text).toContain("Einde lopende periode");
    expect(text).toContain("Stilzwijgende verlenging");
    expect(text).toContain("Laatste dag om op te zeggen");
    // the basis: Leadcube's terms (art. 14.1 notice before the end of the term)
    expect(text).toMatch(/art\.|artikel|VO|14\.1/i);
    expect(await contract.getByRole("link", { name: "Einde contract vastleggen" }).count()).toBe(1);
  });

  it("invites a portal user for the customer, who accepts from the mail and signs in", async () => {
    const { page } = staff;
    const customerId = need("customerId");
    await page.goto(`/customers/${customerId}`);
    await waitForHydration(page);
    const inviteForm = page.locator("form", { has: page.getByRole("button", { name: "Uitnodiging versturen" }) });
    await inviteForm.getByLabel("E-mailadres", { exact: true }).fill(portalEmail);
    await inviteForm.getByRole("button", { name: "Uitnodiging versturen" }).click();
    await page.getByText(portalEmail).first().waitFor();
    const mail = await waitForMailTo(portalEmail);
    const link = /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/.exec(mail)?.[0];
    expect(link, "invitation link in the mail").toBeTruthy();
    const context = await newContext(browser);
    const accept = await context.newPage();
    await accept.goto(new URL(link!).pathname);
    await waitForHydration(accept);
    await accept.getByLabel("Je naam", { exact: true }).fill(portalName);
    await accept.getByLabel("Nieuw wachtwoord", { exact: true }).fill(portalPassword);
    await accept.getByLabel("Herhaal het wachtwoord", { exact: true }).fill(portalPassword);
    await Promise.all([accept.waitForURL((url) => url.pathname === "/login"), accept.getByRole("button", { name: "Account activeren" }).click()]);
    await signIn(accept, portalEmail, portalPassword);
    expect(pathOf(accept)).toBe("/portal");
    portal = { context, page: accept };

    // while the contract runs, the portal shows its dates and that no notice was recorded
    await accept.goto("/portal/contract");
    const body = await accept.locator("main").innerText();
    expect(body).toContain("Einde contract");
    expect(body).toContain("Er is geen opzegging vastgelegd.");
  });

  it("without JavaScript, “calculate” shows the computed end date of a termination with its basis", async () => {
    const customerId = need("customerId");
    const { context, page } = await signedInPage(browser, "privacy@leadcube.example", { via: "post", javaScriptEnabled: false, at: `/customers/${customerId}/terminate` });
    try {
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(`Einde contract vastleggen: ${customerName}`);
      await page.getByLabel("Opzegging", { exact: true }).check();
      await page.getByRole("button", { name: "Einddatum berekenen" }).click();
      await page.waitForURL((url) => url.searchParams.get("intent") === "preview");
      const preview = await page.locator("section", { has: page.getByRole("heading", { name: "Berekende einddatum" }) }).innerText();
      expect(preview).toContain("Einddatum volgens de voorwaarden");
      // a termination ends at the end of a term: a date and the sentence that explains it
      expect(preview).toMatch(/\d{2}-\d{2}-\d{4}/);
      expect(preview).toContain("De taken worden geopend na het einde op");
      // the typed values stay in the form
      expect(await page.getByLabel("Opzegging", { exact: true }).isChecked()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("refuses an override end date before the contract start, then records an immediate end that opens the case at once", async () => {
    const { page } = staff;
    const customerId = need("customerId");
    await page.goto(`/customers/${customerId}`);
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith("/terminate")), page.getByRole("link", { name: "Einde contract vastleggen" }).click()]);
    await waitForHydration(page);
    await page.getByLabel("Direct einde", { exact: true }).check();
    await page.getByLabel("De klant", { exact: true }).check();
    const override = page.getByLabel("Afwijkende einddatum (optioneel)");
    await override.fill("2001-01-01");
    await page.getByLabel("Reden voor de afwijkende einddatum").fill("Afgesproken in de mail van de klant");
    await page.getByRole("button", { name: "Beëindiging vastleggen" }).click();
    await poll(() => descriptionOf(override)).toContain("De einddatum ligt vóór de ingangsdatum van het contract.");
    expect(await override.getAttribute("aria-invalid")).toBe("true");
    expect(pathOf(page)).toBe(`/customers/${customerId}/terminate`);

    // without the override: the live preview shows today's end, from the immediate end, opening at once
    await override.fill("");
    await page.getByLabel("Reden voor de afwijkende einddatum").fill("");
    await page.getByLabel("Notitie").fill("Klant beëindigt per direct na bezwaar; bevestigd per mail.");
    const preview = page.locator("section", { has: page.getByRole("heading", { name: "Berekende einddatum" }) });
    await poll(() => preview.innerText()).toContain("de zaak en de taken worden direct geopend");
    expect(await preview.innerText()).toContain("Einddatum volgens de voorwaarden");
    await screenshot(page, "terminate-nl-1280");

    await Promise.all([page.waitForURL((url) => /^\/contracts\/[^/]+$/.test(url.pathname)), page.getByRole("button", { name: "Beëindiging vastleggen" }).click()]);
    state.caseId = pathOf(page).split("/")[2];
    expect(await page.getByRole("status").first().innerText()).toContain("Het contract is geëindigd op");
    const header = await page.locator(".page-header").first().innerText();
    expect(header).toContain(customerName);
    expect(header).toContain("Beëindigd, taken lopen");
    const facts = await page.getByRole("region", { name: "Gegevens" }).innerText();
    expect(facts).toContain("Direct einde");
    expect(facts).toContain("De klant");
    // the choice card says what happens without an answer
    const choice = await page.getByRole("region", { name: "Keuze van de klant" }).innerText();
    expect(choice).toContain("Nog geen keuze");
    expect(choice).toContain("Zonder antwoord");
    // tasks were generated, each with a due date or its rule
    expect(await page.locator("article.eoc-task").count()).toBeGreaterThanOrEqual(4);
  });

  it("the portal user sees the ended contract and chooses deletion (not without confirming)", async () => {
    const { page } = needPortal();
    await page.goto("/portal/contract");
    await waitForHydration(page);
    const status = await page.locator("main").innerText();
    expect(status).toContain("Het contract is geëindigd op");
    expect(status).toContain("Als u niet kiest");
    await page.getByLabel("Verwijderen", { exact: true }).check();
    await page.getByRole("button", { name: "Keuze bevestigen" }).click();
    await poll(() => page.locator("main").innerText()).toContain("Vink aan dat u dit bevestigt.");
    await page.getByLabel(/Ik bevestig deze keuze/).check();
    await Promise.all([page.waitForURL((url) => url.searchParams.get("chosen") === "1"), page.getByRole("button", { name: "Keuze bevestigen" }).click()]);
    const after = await page.locator("main").innerText();
    expect(after).toContain("Dank u, uw keuze is vastgelegd.");
    expect(after).toContain("Verwijderen");
    expect(after).toContain("Door u gekozen op");
    expect(await page.getByRole("button", { name: "Keuze bevestigen" }).count()).toBe(0);
  });

  it("refuses a certificate while tasks remain and a task without its evidence", async () => {
    const { page } = staff;
    const caseId = need("caseId");
    await page.goto(`/contracts/${caseId}`);
    await waitForHydration(page);
    expect(await page.getByRole("region", { name: "Keuze van de klant" }).innerText()).toContain("Gekozen door de klant in het portaal");

    await page.getByRole("button", { name: "Certificaat uitgeven" }).click();
    await poll(() => page.getByRole("region", { name: "Verwijderingscertificaat" }).innerText()).toContain(
      "Het certificaat kan pas worden uitgegeven als alle taken zijn afgerond.",
    );

    // in the browser (react-hook-form + the same schema)
    const task = page.locator("article.eoc-task", { has: page.getByText("Afronden met bewijs") }).first();
    await task.getByText("Afronden met bewijs").click();
    await task.getByRole("button", { name: "Taak afronden" }).click();
    const note = task.getByLabel("Wat is er gedaan, waar, en het bewijs");
    await poll(() => descriptionOf(note)).toContain("de voorwaarden vragen bewijs voor deze taak");

    // and on the server, for a post without JavaScript
    const taskId = (await task.getAttribute("id"))!.slice(2);
    const response = await staff.context.request.post(`/contracts/${caseId}`, {
      multipart: { intent: "complete", taskId, evidenceRequired: "0", note: "", doneOn: new Date().toISOString().slice(0, 10), backupsExpireOn: "" },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain("contracts.error.evidence_required");

    // a file of a type that is not allowed is refused next to the file field
    const wrongType = await staff.context.request.post(`/contracts/${caseId}`, {
      multipart: {
        intent: "complete",
        taskId,
        evidenceRequired: "1",
        note: "Verwijderd; zie bijlage.",
        doneOn: new Date().toISOString().slice(0, 10),
        backupsExpireOn: "",
        file: { name: "tool.exe", mimeType: "application/octet-stream", buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]) },
      },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(wrongType.status()).toBe(400);
    expect(await wrongType.text()).toContain("contracts.error.file_type");

    // without JavaScript the same form posts (multipart) and the server answers next to the field
    const noJs = await signedInPage(browser, "privacy@leadcube.example", { via: "post", javaScriptEnabled: false, at: `/contracts/${caseId}` });
    try {
      const card = noJs.page.locator(`[id="t-${taskId}"]`);
      await card.locator("summary", { hasText: "Afronden met bewijs" }).click();
      await Promise.all([noJs.page.waitForLoadState("load"), card.getByRole("button", { name: "Taak afronden" }).click()]);
      const noteField = noJs.page.locator(`[id="t-${taskId}"]`).getByLabel("Wat is er gedaan, waar, en het bewijs");
      await poll(() => descriptionOf(noteField)).toContain("de voorwaarden vragen bewijs voor deze taak");
    } finally {
      await noJs.context.close();
    }
  });

  it("staff complete every task with evidence, one with an uploaded file; the last one closes the case and issues the certificate", async () => {
    const { page } = staff;
    const caseId = need("caseId");
    await page.goto(`/contracts/${caseId}`);
    await waitForHydration(page);

    // assign the deletion in production
    const production = page.locator("article.eoc-task", { has: page.getByRole("heading", { name: /Verwijderen uit productiesystemen/ }) });
    await production.getByLabel("Toegewezen aan").selectOption({ label: "Privacy officer Leadcube" });
    await production.getByRole("button", { name: "Toewijzen" }).click();
    await poll(async () => (await page.getByRole("status").allInnerTexts()).join(" ")).toContain("Toewijzing opgeslagen.");
    await poll(() => production.locator("dl.facts").innerText()).toMatch(/Toegewezen aan\s+Privacy officer Leadcube/);

    // one sub-processor never held this customer's data: not applicable, with a reason
    const subprocessorTask = page.locator("article.eoc-task", { has: page.getByText("Verwijderopdracht aan subverwerker") }).filter({ has: page.getByText("Niet van toepassing", { exact: true }) }).first();
    const naId = await subprocessorTask.getAttribute("id");
    const naCard = page.locator(`[id="${naId}"]`);
    await naCard.locator("summary", { hasText: "Niet van toepassing" }).click();
    await naCard.getByRole("button", { name: "Markeren als niet van toepassing" }).click();
    await poll(() => naCard.innerText()).toContain("Geef een reden.");
    await naCard.getByLabel("Reden").fill("Deze subverwerker heeft voor deze klant nooit gegevens verwerkt (alleen e-mail voor andere diensten).");
    await naCard.getByRole("button", { name: "Markeren als niet van toepassing" }).click();
    await poll(() => naCard.locator(".badge").first().innerText()).toBe("Niet van toepassing");

    let uploaded = false;
    for (let round = 0; round < 20; round++) {
      const task = page.locator("article.eoc-task", { has: page.getByText("Afronden met bewijs") }).first();
      if ((await task.count()) === 0) break;
      const title = await task.locator("h3").innerText();
      await task.getByText("Afronden met bewijs").click();
      await task.getByLabel("Wat is er gedaan, waar, en het bewijs").fill(`${title}: uitgevoerd en gecontroleerd, ticket OPS-${round + 100}, controle-query gaf 0 rijen.`);
      const backups = task.getByLabel("Back-ups verlopen uiterlijk op");
      if ((await backups.count()) > 0) await backups.fill(new Date().toISOString().slice(0, 10));
      if (!uploaded) {
        await task.getByLabel("Bestand als bewijs (optioneel)").setInputFiles({
          name: "verwijderlog.txt",
          mimeType: "text/plain",
          buffer: Buffer.from(`Verwijderlog ${customerName}\n2026: 1.204 records gewist uit productie.\n`, "utf8"),
        });
        uploaded = true;
      }
      const card = page.locator(`[id="${await task.getAttribute("id")}"]`);
      await card.getByRole("button", { name: "Taak afronden" }).click();
      // done: the card loses its form; refused: an error shows in the card
      await poll(async () => (await card.locator("summary", { hasText: "Afronden met bewijs" }).count()) === 0 || (await card.locator(".error, .form-error").count()) > 0).toBe(true);
      expect(await card.locator(".error, .form-error").allInnerTexts(), `completing “${title}”`).toEqual([]);
      expect(await card.innerText()).toContain("Afgerond");
    }
    const remaining = await page.locator("article.eoc-task").allInnerTexts();
    await expect.poll(() => page.locator(".page-header").first().innerText(), { timeout: 15_000, message: remaining.join("\n----\n") }).toContain("Afgesloten");
    expect(await page.getByRole("status").first().innerText()).toContain("de zaak is gesloten");
    const taskTexts = await page.locator("article.eoc-task").allInnerTexts();
    for (const text of taskTexts) expect(text).toMatch(/Afgerond|Niet van toepassing/);
    // the uploaded evidence is listed and downloadable
    const fileLink = page.getByRole("link", { name: "verwijderlog.txt" });
    const download = await staff.context.request.get((await fileLink.getAttribute("href"))!);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-disposition"]).toContain("attachment");
    expect(await download.text()).toContain("records gewist");
    expect(await page.getByRole("link", { name: "Certificaat downloaden (PDF)" }).getAttribute("href")).toBe(`/contracts/${caseId}/certificate.pdf`);
  });

  it("the portal user downloads the certificate; pdfsig reports it valid and it names the customer; staff get the same file", async () => {
    const { page, context } = needPortal();
    await page.goto("/portal/contract");
    const certificate = page.getByRole("region", { name: "Verwijderingscertificaat" });
    expect(await certificate.innerText()).toContain("is uitgegeven op");
    const href = await certificate.getByRole("link", { name: "Certificaat downloaden (PDF)" }).getAttribute("href");
    expect(href).toBe("/portal/contract/certificate.pdf");
    const response = await context.request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/pdf");
    const pdf = await response.body();
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const file = path.join(workDir, "certificate.pdf");
    writeFileSync(file, pdf);
    const sig = await tool("pdfsig", [file]);
    expect(sig).toContain("Signature is Valid");
    expect(sig).toContain("Total document signed");
    const text = (await tool("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"])).replace(/\s+/g, " ");
    expect(text).toContain(customerName);

    const staffResponse = await staff.context.request.get(`/contracts/${need("caseId")}/certificate.pdf`);
    expect(staffResponse.status()).toBe(200);
    expect(Buffer.compare(await staffResponse.body(), pdf)).toBe(0);
    // the portal shows every task done
    const rows = await page.getByRole("region", { name: "Voortgang" }).locator("tbody tr").allInnerTexts();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row).toMatch(/Afgerond|Niet van toepassing/);
  });

  it("the dashboard and the task board list the case; filters and empty states work", async () => {
    const { page } = staff;
    await page.goto("/contracts?status=closed");
    const cases = await page.getByRole("region", { name: "Beëindigingen" }).innerText();
    expect(cases).toContain(customerName);
    expect(await page.locator("section", { has: page.getByRole("heading", { name: /Komende 90 dagen/ }) }).count()).toBe(1);

    await page.goto(`/contracts/tasks?status=done&customerId=${need("customerId")}`);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator("tbody").innerText()).toContain(customerName);
    await page.goto(`/contracts/tasks?status=open&customerId=${need("customerId")}`);
    expect(await page.locator("main").innerText()).toContain("Geen taken met deze filters.");
  });

  it("a termination that takes effect later is scheduled with its planned tasks, and can be withdrawn after confirmation", async () => {
    const { page } = staff;
    await page.goto(`/customers?q=${encodeURIComponent("Evenementenhal")}`);
    await Promise.all([page.waitForURL((url) => /^\/customers\/[0-9a-f-]{36}$/.test(url.pathname)), page.getByRole("link", { name: "Evenementenhal Noord B.V." }).first().click()]);
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith("/terminate")), page.getByRole("link", { name: "Einde contract vastleggen" }).click()]);
    await waitForHydration(page);
    await page.getByLabel("Opzegging", { exact: true }).check();
    await page.getByLabel("Wij (de verwerker)", { exact: true }).check();
    const preview = page.getByRole("region", { name: "Berekende einddatum" });
    await poll(() => preview.innerText()).toContain("De taken worden geopend na het einde op");
    await Promise.all([page.waitForURL((url) => /^\/contracts\/[^/]+$/.test(url.pathname)), page.getByRole("button", { name: "Beëindiging vastleggen" }).click()]);
    expect(await page.getByRole("status").first().innerText()).toContain("Het contract eindigt op");
    expect(await page.locator(".page-header").first().innerText()).toContain("Gepland");
    expect(await page.getByRole("region", { name: "Taken na het einde" }).locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator("article.eoc-task").count()).toBe(0);

    await waitForHydration(page);
    // the choice recorded on the customer's behalf (e.g. it answered by mail)
    const choice = page.getByRole("region", { name: "Keuze van de klant" });
    await choice.getByLabel("Teruggeven", { exact: true }).check();
    await choice.getByRole("button", { name: "Keuze vastleggen" }).click();
    await poll(() => choice.innerText()).toContain("Vink aan dat u dit bevestigt.");
    await choice.getByLabel(/De klant heeft deze keuze aantoonbaar gemaakt/).check();
    await choice.getByRole("button", { name: "Keuze vastleggen" }).click();
    await poll(() => choice.innerText()).toContain("Namens de klant vastgelegd op");
    expect(await page.getByRole("status").first().innerText()).toContain("Keuze vastgelegd.");

    const withdraw = page.getByRole("region", { name: "Beëindiging intrekken" });
    await withdraw.getByRole("button", { name: "Beëindiging intrekken" }).click();
    await poll(() => withdraw.innerText()).toContain("Geef een reden.");
    await withdraw.getByLabel("Reden").fill("Klant heeft de opzegging per mail teruggenomen.");
    await withdraw.getByRole("button", { name: "Beëindiging intrekken" }).click();
    await poll(() => withdraw.innerText()).toContain("Vink aan dat u dit bevestigt.");
    await withdraw.getByLabel(/Ik bevestig dat de beëindiging van Evenementenhal Noord B.V. wordt ingetrokken/).check();
    await withdraw.getByRole("button", { name: "Beëindiging intrekken" }).click();
    await poll(() => page.locator(".page-header").first().innerText()).toContain("Ingetrokken");
    expect(await page.getByRole("status").first().innerText()).toContain("Beëindiging ingetrokken.");
    expect(await page.locator("main").innerText()).toContain("Deze beëindiging is ingetrokken op");
  });

  it("renders in English and at 390 px without sideways scrolling", async () => {
    const caseId = need("caseId");
    const customerId = need("customerId");
    // English for staff: chosen on the login page (a cookie), so the shared demo account keeps its language
    const context = await newContext(browser, { width: 390, height: 844 });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      await waitForHydration(page);
      await page.locator("form.language-switch button").click();
      await waitForLang(page, "en");
      await signIn(page, "privacy@leadcube.example");
      await page.goto(`/contracts/${caseId}`);
      expect(await page.locator(".page-header").first().innerText()).toContain("Closed");
      expect(await page.locator("main").innerText()).toContain("Customer's choice");
      await checkNarrow(page, "case-en-390");
      await page.goto("/contracts");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("End of contract");
      await checkNarrow(page, "dashboard-en-390");
      await page.goto("/contracts/tasks?status=all");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("End-of-contract task board");
      await checkNarrow(page, "tasks-en-390");
      await page.goto(`/customers/${customerId}`);
      await checkNarrow(page, "customer-en-390");
    } finally {
      await context.close();
    }
    // Dutch at 390 px: the portal page and the terminate page of another customer (read only: nothing is posted)
    const narrow = await newContext(browser, { width: 390, height: 844 });
    try {
      const page = await narrow.newPage();
      await signIn(page, portalEmail, portalPassword);
      await page.goto("/portal/contract");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Einde contract");
      await checkNarrow(page, "portal-nl-390");
      // and in English (the portal user's own account)
      await page.locator("form.language-switch button").click();
      await waitForLang(page, "en");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("End of contract");
      expect(await page.locator("main").innerText()).toContain("Download certificate (PDF)");
      await checkNarrow(page, "portal-en-390");
    } finally {
      await narrow.close();
    }
    const staffNarrow = await newContext(browser, { width: 390, height: 844 });
    try {
      const page = await staffNarrow.newPage();
      await signIn(page, "privacy@leadcube.example");
      await page.goto(`/contracts/${caseId}`);
      await checkNarrow(page, "case-nl-390");
      await page.goto("/contracts/tasks?status=all");
      await checkNarrow(page, "tasks-nl-390");
    } finally {
      await staffNarrow.close();
    }
  });
});

/** A desktop screenshot of a page in the middle of a step (no width check: 1280 px). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
}
