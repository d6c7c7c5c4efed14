/**
 * Proof of issue 9, end to end in the browser: a privacy officer creates a customer through the form and
 * invites a portal user; the portal user accepts the invitation from the mail; staff draft and send the DPA;
 * the portal user reads it and signs (after refused attempts: no "authorised" confirmation, a forged text
 * hash, and afterwards a second signature); staff countersign; both download the same digitally signed PDF,
 * which poppler's `pdfsig` reports valid (and invalid once a byte is changed) and whose text holds both
 * parties, Leadcube's 24-hour breach clause and the sub-processor annex.
 *
 * The steps build on each other and run in order; each actor has its own browser context (own cookies).
 * The customer uses Leadcube's "Formulierwidgets" service, so annex IV must list the active sub-processors
 * behind it (the last test compares the web page, the demo data and the PDF).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoVendors } from "../../db/seed/demo-data";
import { baseUrl, launchBrowser, newContext, signedInPage, signIn, waitForHydration } from "./browser";

const run = promisify(execFile);

/** Unique per run, so a rerun against the same server (or a retry) never collides with earlier data. */
const suffix = Date.now().toString(36);
const customerName = `Zuiderzee Webwinkel ${suffix} B.V.`;
const portalEmail = `dpa-${suffix}@zuiderzee-${suffix}.example`;
const portalPassword = "portaal-wachtwoord-2026";
const portalName = "Femke de Wit";
const processorLegalName = "Lightcube B.V.";
/** The heading of annex IV in templates/dpa/leadcube.nl.md ("# Bijlage IV – Subverwerkers"). */
const annexIvHeading = "Bijlage IV – Subverwerkers";

let browser: Browser;
let staff: { context: BrowserContext; page: Page };
let portal: { context: BrowserContext; page: Page } | undefined;
let workDir: string;

/** What the steps hand on to the next ones. */
const state: { customerId?: string; dpaId?: string; textHash?: string; subprocessors?: string[]; pdfPath?: string; pdfText?: string } = {};

function need<K extends keyof typeof state>(key: K): NonNullable<(typeof state)[K]> {
  const value = state[key];
  if (value === undefined) throw new Error(`an earlier step did not provide ${key}`);
  return value as NonNullable<(typeof state)[K]>;
}

function needPortal(): { context: BrowserContext; page: Page } {
  if (!portal) throw new Error("an earlier step did not sign the portal user in");
  return portal;
}

beforeAll(async () => {
  browser = await launchBrowser();
  staff = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
  workDir = mkdtempSync(path.join(tmpdir(), "dpadesk-dpa-test-"));
});

afterAll(async () => {
  // every browser test file shares one server: archive the new customer (the product never deletes one), so
  // the workspace's customer list is the demo list again for the files that count it (access.test.ts)
  if (state.customerId && staff) {
    const archived = await staff.context.request.post(`/customers/${state.customerId}`, {
      form: { intent: "archive", confirm: "yes" },
      headers: { Origin: new URL(baseUrl()).origin },
    });
    expect(archived.status(), "archiving the test's customer").toBe(200);
  }
  await portal?.context.close();
  await staff?.context.close();
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------
// mail written by the test server's file transport (<dataDir>/mail/*.eml, delivered by the outbox job)

/** Header block and body of an RFC 5322 message; folded header lines are unfolded. */
function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? "" : raw.slice(end).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** Quoted-printable (RFC 2045) → UTF-8 text: soft line breaks removed, =XX escapes turned back into bytes. */
function decodeQuotedPrintable(latin1: string): string {
  const text = latin1.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The text of the newest mail to `address`, polling the mail folder for up to `timeoutMs`. */
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
      const { headers, body } = splitMessage(readFileSync(path.join(dir, name), "latin1"));
      const to = (headers.get("to") ?? "").toLowerCase();
      if (!to.includes(address.toLowerCase())) continue;
      const encoding = (headers.get("content-transfer-encoding") ?? "").toLowerCase();
      if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
      if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
      return Buffer.from(body, "latin1").toString("utf8");
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${address} in ${dir} within ${timeoutMs} ms (files: ${names.join(", ") || "none"})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---------------------------------------------------------------------------------------------------
// PDF checks with poppler

async function tool(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { encoding: "utf8" });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    // pdfsig exits 0 even for an invalid signature, but non-zero when it cannot read the file at all
    const e = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof e.code === "string") throw error;
    return `${e.stdout ?? ""}\n${e.stderr ?? ""}`;
  }
}

/** The text of a PDF, with runs of whitespace collapsed (so line breaks inside a phrase do not matter). */
async function pdfText(file: string): Promise<string> {
  const text = await tool("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]);
  return text.replace(/\s+/g, " ");
}

// ---------------------------------------------------------------------------------------------------
// pages

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

async function staffDpaBadge(page: Page): Promise<string> {
  return (await page.locator(".page-header .badge").innerText()).trim();
}

/** The names in the DPA's annex IV table as the web page shows it. */
async function annexIvNames(page: Page): Promise<string[]> {
  const annex = page.locator("article.dpa-document section", { has: page.getByRole("heading", { name: annexIvHeading, exact: true }) });
  return (await annex.locator("table tbody tr td:first-child").allInnerTexts()).map((s) => s.trim());
}

/** The portal's signing form posted directly, as a form without JavaScript (or a forger) would. */
async function postSignature(context: BrowserContext, fields: Record<string, string>) {
  return context.request.post("/portal/dpa", {
    form: fields,
    headers: { Origin: new URL(baseUrl()).origin },
    maxRedirects: 0,
  });
}

describe("a customer's DPA from the customer form to a digitally signed PDF", () => {
  it("the privacy officer creates a customer through the form (with JavaScript) and lands on its page", async () => {
    const page = staff.page;
    await page.goto("/customers/new");
    await waitForHydration(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Nieuwe klant");

    const field = (label: string) => page.getByLabel(label, { exact: true });
    await field("Bedrijfsnaam").fill(customerName);
    await field("Inschrijvingsnummer (KvK)").fill("87654321");
    await field("Adres").fill("Havenstraat 12");
    await field("Postcode").fill("8011 AB");
    await field("Plaats").fill("Zwolle");
    await field("Land").fill("NL");
    await field("Taal").selectOption("nl");
    await field("Naam tekenbevoegde").fill("Joost Visser");
    await field("Functie tekenbevoegde").fill("Directeur");
    await field("E-mailadres tekenbevoegde").fill(`joost@zuiderzee-${suffix}.example`);
    await field("Naam privacycontact").fill(portalName);
    await field("E-mailadres privacycontact").fill(`privacy@zuiderzee-${suffix}.example`);
    await field("Adressen voor meldingen").fill(`privacy@zuiderzee-${suffix}.example`);
    await field("Start contract").fill("2026-01-01");
    await field("Looptijd (maanden)").fill("24");
    await field("Onderwerp").fill("Leadformulieren op de webwinkel van de klant");
    await field("Aard van de verwerking").fill("Verzamelen, opslaan en doorsturen van aanvragen van websitebezoekers");
    await field("Doeleinden").fill("Aanvragen van bezoekers afhandelen\nOffertes opvolgen");
    const categories = page.getByRole("group", { name: "Categorieën persoonsgegevens" });
    await categories.getByLabel("Naam", { exact: true }).check();
    await categories.getByLabel("Contactgegevens (e-mailadres, telefoonnummer)", { exact: true }).check();
    await page.getByRole("group", { name: "Categorieën betrokkenen" }).getByLabel("Websitebezoekers", { exact: true }).check();
    await page.getByRole("group", { name: "Gebruikte diensten" }).getByLabel("Formulierwidgets", { exact: true }).check();

    await Promise.all([
      page.waitForURL((url) => /^\/customers\/[0-9a-f-]{36}$/.test(url.pathname) && url.searchParams.get("created") === "1"),
      page.getByRole("button", { name: "Klant aanmaken" }).click(),
    ]);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe(customerName);
    expect(await page.getByRole("status").innerText()).toContain("De klant is aangemaakt.");
    const processing = await page.locator("section", { has: page.getByRole("heading", { name: "Verwerking", exact: true }) }).innerText();
    expect(processing).toContain("Formulierwidgets");
    expect(processing).toContain("Websitebezoekers");
    state.customerId = pathOf(page).split("/")[2];
  });

  it("invites a portal user, who accepts the invitation from the mail and signs in", async () => {
    const page = staff.page;
    const customerId = need("customerId");
    if (pathOf(page) !== `/customers/${customerId}`) await page.goto(`/customers/${customerId}`);
    await waitForHydration(page);
    const inviteForm = page.locator("form", { has: page.getByRole("button", { name: "Uitnodiging versturen" }) });
    await inviteForm.getByLabel("E-mailadres", { exact: true }).fill(portalEmail);
    await inviteForm.getByRole("button", { name: "Uitnodiging versturen" }).click();
    await page.getByText(`Uitnodiging verstuurd naar ${portalEmail}.`, { exact: true }).waitFor();

    const mail = await waitForMailTo(portalEmail);
    const link = /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/.exec(mail)?.[0];
    expect(link, mail).toBeDefined();
    expect(new URL(link!).origin).toBe(new URL(baseUrl()).origin);

    const context = await newContext(browser);
    try {
      const accept = await context.newPage();
      await accept.goto(new URL(link!).pathname);
      await waitForHydration(accept);
      expect(await accept.getByRole("heading", { level: 1 }).innerText()).toBe("Uitnodiging aannemen");
      await accept.getByLabel("Je naam", { exact: true }).fill(portalName);
      await accept.getByLabel("Nieuw wachtwoord", { exact: true }).fill(portalPassword);
      await accept.getByLabel("Herhaal het wachtwoord", { exact: true }).fill(portalPassword);
      await Promise.all([accept.waitForURL((url) => url.pathname === "/login"), accept.getByRole("button", { name: "Account activeren" }).click()]);
      await signIn(accept, portalEmail, portalPassword);
      expect(pathOf(accept)).toBe("/portal");
      expect(await accept.locator("header.topbar").innerText()).toContain(customerName);
      portal = { context, page: accept };
    } catch (error) {
      await context.close();
      throw error;
    }
  });

  it("staff draft the DPA from the customer's DPA page and send it", async () => {
    const page = staff.page;
    const customerId = need("customerId");
    await page.goto(`/customers/${customerId}`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/customers/${customerId}/dpa`),
      page.getByRole("link", { name: `Verwerkersovereenkomsten van ${customerName}` }).click(),
    ]);
    await waitForHydration(page);
    expect(await page.getByText("Deze klant heeft nog geen verwerkersovereenkomst.").count()).toBe(1);

    await Promise.all([
      page.waitForURL((url) => /^\/dpas\/[0-9a-f-]{36}$/.test(url.pathname) && url.searchParams.get("notice") === "drafted"),
      page.getByRole("button", { name: "Concept maken" }).click(),
    ]);
    state.dpaId = pathOf(page).split("/")[2];
    await expect.poll(() => staffDpaBadge(page)).toContain("Concept");
    // the draft holds the customer's own annexes: the sub-processors behind the form widgets
    // annex IV as the web page shows it; checked against the PDF in the last test
    state.subprocessors = await annexIvNames(page);

    await waitForHydration(page);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/dpas/${state.dpaId}` && url.searchParams.get("notice") === "sent"),
      page.getByRole("button", { name: "Versturen naar de klant" }).click(),
    ]);
    await expect.poll(() => staffDpaBadge(page)).toContain("Verstuurd, wacht op klant");
    expect(await page.getByRole("status").innerText()).toContain("De overeenkomst is verstuurd naar de klant.");
  });

  it("the portal user reads the DPA; signing without the authorised confirmation is refused next to the checkbox", async () => {
    const { page } = needPortal();
    await page.goto("/portal/dpa");
    await waitForHydration(page);
    const documentText = await page.locator("article.dpa-document").innerText();
    expect(documentText).toContain("24 uur");
    expect(documentText).toContain(processorLegalName);
    expect(documentText).toContain(customerName);
    expect(documentText).toContain(annexIvHeading);

    const form = page.locator("form", { has: page.getByRole("button", { name: "Ondertekenen" }) });
    state.textHash = await form.locator('input[name="textHash"]').inputValue();
    expect(state.textHash).toMatch(/^[0-9a-f]{64}$/);
    await form.getByLabel("Volledige naam", { exact: true }).fill(portalName);
    await form.getByLabel("Functie", { exact: true }).fill("Privacy officer");
    const checkbox = form.getByRole("checkbox");
    await expect.poll(() => checkbox.isChecked()).toBe(false);
    await form.getByRole("button", { name: "Ondertekenen" }).click();

    const error = form.getByRole("alert");
    await expect.poll(() => error.innerText()).toBe("Bevestig dat u bevoegd bent om te tekenen.");
    // right after the checkbox's label, and the checkbox is marked invalid
    expect(await checkbox.getAttribute("aria-invalid")).toBe("true");
    expect(await form.locator("label.checkbox + .error").innerText()).toBe("Bevestig dat u bevoegd bent om te tekenen.");
    // nothing was signed: still the offer with its form, on the same page
    expect(pathOf(page)).toBe("/portal/dpa");
    await page.reload();
    expect(await page.getByRole("button", { name: "Ondertekenen" }).count()).toBe(1);
    expect(await page.getByText("U heeft getekend op").count()).toBe(0);
  });

  it("a signature posted without JavaScript and without the confirmation, or with a forged text hash, is refused and changes nothing", async () => {
    const { context, page } = needPortal();
    const base = { dpaId: need("dpaId"), fullName: "Mallory Vervalser", roleTitle: "Directeur" };

    const unconfirmed = await postSignature(context, { ...base, textHash: need("textHash") });
    expect(unconfirmed.status()).toBe(400);
    expect(await unconfirmed.text()).toContain("Bevestig dat u bevoegd bent om te tekenen.");

    const forged = await postSignature(context, { ...base, authorised: "on", textHash: "0".repeat(64) });
    expect(forged.status()).toBe(409);
    expect(await forged.text()).toContain("De tekst die u tekende komt niet overeen met de overeenkomst.");

    const malformed = await postSignature(context, { ...base, authorised: "on", textHash: "not-a-hash" });
    expect(malformed.status()).toBe(400);
    expect(await malformed.text()).toContain("De tekst die u tekende komt niet overeen met de overeenkomst.");

    // the customer's page still offers the unsigned DPA, and staff still see it waiting for the customer
    await page.goto("/portal/dpa");
    expect(await page.getByRole("button", { name: "Ondertekenen" }).count()).toBe(1);
    await staff.page.goto(`/dpas/${need("dpaId")}`);
    expect(await staffDpaBadge(staff.page)).toContain("Verstuurd, wacht op klant");
    expect(await staff.page.getByRole("heading", { name: "Handtekeningen" }).count()).toBe(0);
    expect(await staff.page.locator("main").innerText()).not.toContain("Mallory");
  });

  it("the portal user signs with full name, position and the confirmation; a second signature is refused", async () => {
    const { context, page } = needPortal();
    await page.goto("/portal/dpa");
    await waitForHydration(page);
    const form = page.locator("form", { has: page.getByRole("button", { name: "Ondertekenen" }) });
    await form.getByLabel("Volledige naam", { exact: true }).fill(portalName);
    await form.getByLabel("Functie", { exact: true }).fill("Privacy officer");
    await form.getByRole("checkbox").check();
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/portal/dpa" && url.searchParams.get("notice") === "signed"),
      form.getByRole("button", { name: "Ondertekenen" }).click(),
    ]);
    await expect.poll(() => page.getByRole("status").innerText()).toContain("Dank u. Uw handtekening is vastgelegd.");
    expect(await page.getByText(/U heeft getekend op .* wacht op medeondertekening door Lightcube B\.V\./).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Ondertekenen" }).count()).toBe(0);

    const again = await postSignature(context, {
      dpaId: need("dpaId"),
      textHash: need("textHash"),
      fullName: "Tweede Poging",
      roleTitle: "Directeur",
      authorised: "on",
    });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain("Deze overeenkomst is al getekend; een tweede handtekening is niet mogelijk.");

    await staff.page.goto(`/dpas/${need("dpaId")}`);
    expect(await staffDpaBadge(staff.page)).toContain("Getekend door klant, wacht op medeondertekening");
    const signatures = staff.page.locator("section", { has: staff.page.getByRole("heading", { name: "Handtekeningen" }) }).getByRole("listitem");
    expect(await signatures.allInnerTexts()).toEqual([expect.stringContaining(`Verwerkingsverantwoordelijke (klant): ${portalName}, Privacy officer`)]);
  });

  it("staff countersign with full name and position; the DPA is in force", async () => {
    const page = staff.page;
    const dpaId = need("dpaId");
    if (pathOf(page) !== `/dpas/${dpaId}`) await page.goto(`/dpas/${dpaId}`);
    await waitForHydration(page);
    const form = page.locator("form", { has: page.getByRole("button", { name: "Medeondertekenen" }) });
    await form.getByLabel("Volledige naam", { exact: true }).fill("Privacy officer Leadcube");
    await form.getByLabel("Functie", { exact: true }).fill("Functionaris gegevensbescherming");
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/dpas/${dpaId}` && url.searchParams.get("notice") === "countersigned"),
      form.getByRole("button", { name: "Medeondertekenen" }).click(),
    ]);
    await expect.poll(() => staffDpaBadge(page)).toContain("Van kracht");
    const signatures = await page.locator("section", { has: page.getByRole("heading", { name: "Handtekeningen" }) }).getByRole("listitem").allInnerTexts();
    expect(signatures).toEqual([
      expect.stringContaining(`Verwerkingsverantwoordelijke (klant): ${portalName}, Privacy officer`),
      expect.stringContaining("Verwerker: Privacy officer Leadcube, Functionaris gegevensbescherming"),
    ]);

    // the customer's DPA list shows it in force with its PDF
    await page.goto(`/customers/${need("customerId")}/dpa`);
    const row = page.locator("table tbody tr");
    expect(await row.count()).toBe(1);
    expect(await row.locator(".badge").innerText()).toContain("Van kracht");
    expect(await row.getByRole("link", { name: "PDF downloaden" }).getAttribute("href")).toBe(`/dpas/${dpaId}.pdf`);

    // and so does the portal
    const { page: portalPage } = needPortal();
    await portalPage.goto("/portal/dpa");
    expect(await portalPage.locator("#in-force").innerText()).toContain("Van kracht");
    expect(await portalPage.getByRole("link", { name: "PDF downloaden" }).getAttribute("href")).toBe("/portal/dpa.pdf");
  });

  it("staff and the portal user download the same PDF; pdfsig reports it valid and its text holds parties, breach term and sub-processor annex", async () => {
    const dpaId = need("dpaId");
    const staffResponse = await staff.context.request.get(`/dpas/${dpaId}.pdf`);
    expect(staffResponse.status()).toBe(200);
    expect(staffResponse.headers()["content-type"]).toContain("application/pdf");
    const portalResponse = await needPortal().context.request.get("/portal/dpa.pdf");
    expect(portalResponse.status()).toBe(200);
    expect(portalResponse.headers()["content-type"]).toContain("application/pdf");
    const staffPdf = await staffResponse.body();
    const portalPdf = await portalResponse.body();
    expect(staffPdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(Buffer.compare(staffPdf, portalPdf)).toBe(0);
    expect(staffResponse.headers()["content-disposition"]).toContain(".pdf");

    const file = path.join(workDir, "dpa.pdf");
    writeFileSync(file, staffPdf);
    writeFileSync(path.join(workDir, "dpa-portal.pdf"), portalPdf);
    state.pdfPath = file;

    const sig = await tool("pdfsig", [file]);
    expect(sig).toContain("Signature is Valid");
    expect(sig).toContain("Total document signed");

    const text = await pdfText(file);
    expect(text).toContain(processorLegalName);
    expect(text).toContain(customerName);
    expect(text).toContain("24 uur");
    expect(text).toContain(annexIvHeading);
    // the signatories on the signature/evidence pages
    expect(text).toContain(portalName);
    expect(text).toContain("Privacy officer Leadcube");
    state.pdfText = text;
  });

  it("a copy with one byte changed inside the signed range is not reported valid", async () => {
    const original = readFileSync(need("pdfPath"));
    const contentsAt = original.indexOf("/Contents <", 0, "latin1");
    expect(contentsAt).toBeGreaterThan(0);
    // the signed ranges are [0, start of the /Contents hex string) and its end to EOF
    const flipAt = Math.floor(contentsAt / 2);
    const tampered = Buffer.from(original);
    tampered[flipAt] = tampered[flipAt] ^ 0x01;
    expect(Buffer.compare(tampered, original)).not.toBe(0);
    const file = path.join(workDir, "dpa-tampered.pdf");
    writeFileSync(file, tampered);

    const sig = await tool("pdfsig", [file]);
    expect(sig).not.toContain("Signature is Valid");
    // the signature is still found, and reported as not matching the bytes
    expect(sig).toMatch(/Signature #1/);
    expect(sig).toMatch(/Signature is Invalid|Digest Mismatch/);
  });

  it("annex IV lists the active sub-processors behind the customer's service, on the web page and in the PDF", () => {
    const leadcube = demoVendors.find((v) => v.slug === "leadcube")!;
    const behindFormWidgets = leadcube.subprocessors.filter((sp) => sp.serviceKeys.includes("lead-forms"));
    const active = behindFormWidgets.filter((sp) => sp.status === "active").map((sp) => sp.legalName);
    const retired = behindFormWidgets.filter((sp) => sp.status !== "active").map((sp) => sp.legalName);
    expect(active.length).toBeGreaterThan(0);
    const names = need("subprocessors");
    expect(names).toEqual(expect.arrayContaining(active));
    for (const name of retired) expect(names).not.toContain(name);
    // the shortest name, so that a narrow table cell in the PDF does not wrap it over two lines
    const shortest = [...names].sort((a, b) => a.length - b.length)[0];
    expect(need("pdfText")).toContain(shortest);
  });
});
