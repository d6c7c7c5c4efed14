/**
 * Proof of issue 7 in the browser: the auditor of Leadcube signs in, views the registers and the
 * audit log, and downloads the audit pack through the page; the test opens the ZIP, recomputes every
 * file's SHA-256 against the manifest and verifies the manifest's CMS signature with openssl. An admin
 * issues an auditor link limited to one register; a fresh browser (no account) opens it, downloads
 * the allowed register, is refused another, and loses access once the admin revokes the link.
 * Writes are refused: the auditor's POST (403) and a POST made with the link (403).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { launchBrowser, newContext, signedInPage, waitForHydration } from "./browser";

const run = promisify(execFile);

/** Unique per run, so a rerun against the same server never collides with earlier links. */
const suffix = Date.now().toString(36);
const linkLabel = `Autoriteit Persoonsgegevens ${suffix}`;
const DPA_REGISTER_NL = "Register van verwerkersovereenkomsten";

let browser: Browser;
let workDir: string;
/** the auditor link's URL, as shown once to the admin */
let linkUrl = "";

type Entry = { name: string; bytes: Buffer };

function unzip(file: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("not a zip"));
      const entries: Entry[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("error", reject);
          stream.on("end", () => {
            entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

async function verifySignature(dir: string): Promise<string> {
  const { stdout, stderr } = await run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.json.p7s", "-content", "manifest.json", "-noverify", "-out", "/dev/null"], { cwd: dir });
  return stdout + stderr;
}

beforeAll(async () => {
  browser = await launchBrowser();
  workDir = mkdtempSync(path.join(tmpdir(), "registers-browser-"));
});

afterAll(async () => {
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("the auditor and the audit pack", () => {
  let auditor: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    auditor = await signedInPage(browser, "auditor@leadcube.example", { via: "post", at: "/registers" });
  });

  afterAll(async () => {
    await auditor?.context.close();
  });

  it("views the registers and the audit log", async () => {
    const { page } = auditor;
    await page.goto("/registers");
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toMatch(/Registers/);
    expect(await page.getByText(DPA_REGISTER_NL).count()).toBeGreaterThan(0);
    await page.goto("/registers/audit-log");
    expect((await page.getByRole("heading", { level: 1 }).innerText()).length).toBeGreaterThan(0);
    expect(await page.locator("table tbody tr").count()).toBeGreaterThan(0);
  });

  it("downloads the audit pack through the page; every file matches the manifest and the manifest's signature verifies", async () => {
    const { page } = auditor;
    await page.goto("/registers");
    await waitForHydration(page);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.getByRole("link", { name: /^Auditpakket/ }).first().click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-pack-leadcube-\d{4}-\d{2}-\d{2}\.zip$/);
    const zipFile = path.join(workDir, "auditor-pack.zip");
    await download.saveAs(zipFile);

    const entries = await unzip(zipFile);
    expect(entries.slice(-2).map((e) => e.name)).toEqual(["manifest.json", "manifest.json.p7s"]);
    const manifest = JSON.parse(entries.find((e) => e.name === "manifest.json")!.bytes.toString("utf8")) as {
      workspace: { slug: string };
      actor: { kind: string; role?: string };
      files: { path: string; size: number; sha256: string; kind: string }[];
      signer: { fingerprintSha256: string };
    };
    expect(manifest.workspace.slug).toBe("leadcube");
    expect(manifest.actor).toMatchObject({ kind: "staff", role: "auditor" });
    expect(manifest.files.map((f) => f.path)).toEqual(entries.slice(0, -2).map((e) => e.name));
    for (const entry of entries.slice(0, -2)) {
      const listed = manifest.files.find((f) => f.path === entry.name)!;
      expect({ size: entry.bytes.length, sha256: createHash("sha256").update(entry.bytes).digest("hex") }).toEqual({ size: listed.size, sha256: listed.sha256 });
    }
    expect(manifest.files.filter((f) => f.kind === "register").length).toBe(7 * 3);
    expect(manifest.files.some((f) => f.kind === "dpa")).toBe(true);
    expect(manifest.files.some((f) => f.kind === "breach_letter")).toBe(true);

    const dir = path.join(workDir, "auditor-pack");
    for (const e of entries) {
      mkdirSync(path.dirname(path.join(dir, e.name)), { recursive: true });
      writeFileSync(path.join(dir, e.name), e.bytes);
    }
    expect(await verifySignature(dir)).toContain("Verification successful");
    const { stdout } = await run("sh", ["-c", "openssl pkcs7 -inform DER -in manifest.json.p7s -print_certs | openssl x509 -noout -fingerprint -sha256"], { cwd: dir });
    expect(stdout.toUpperCase()).toContain(manifest.signer.fingerprintSha256);
    // a changed manifest no longer verifies
    const manifestFile = path.join(dir, "manifest.json");
    writeFileSync(manifestFile, readFileSync(manifestFile, "utf8").replace(manifest.files[0].sha256, "0".repeat(64)));
    await expect(verifySignature(dir)).rejects.toThrow();
  });

  it("is refused when it tries to write: POST answers 403", async () => {
    const response = await auditor.context.request.post("/customers/new", { form: { name: `Schrijfpoging ${suffix} B.V.` }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
  });
});

describe("an auditor link", () => {
  let admin: { context: BrowserContext; page: Page };
  let outsider: { context: BrowserContext; page: Page } | undefined;

  beforeAll(async () => {
    admin = await signedInPage(browser, "admin@leadcube.example", { via: "post", at: "/settings/auditor-links" });
  });

  afterAll(async () => {
    await admin?.context.close();
    await outsider?.context.close();
  });

  it("is created by an admin, limited to one register, and shown once", async () => {
    const { page } = admin;
    await page.goto("/settings/auditor-links");
    await waitForHydration(page);
    const expiry = Temporal.Now.plainDateISO("Europe/Amsterdam").add({ days: 14 }).toString();
    // a refused post first: the field says what is wrong
    await page.getByRole("button", { name: "Link aanmaken" }).click();
    await expect(page.getByText("Vul in voor wie de link is.").innerText()).resolves.toBe("Vul in voor wie de link is.");
    await page.getByLabel("Voor wie").fill(linkLabel);
    await page.getByLabel("Geldig tot en met").fill(expiry);
    await page.getByLabel(DPA_REGISTER_NL).check();
    await page.getByRole("button", { name: "Link aanmaken" }).click();
    const field = page.getByLabel("Link", { exact: true });
    await field.waitFor();
    linkUrl = await field.inputValue();
    expect(linkUrl).toMatch(/\/audit\/[A-Za-z0-9_-]{43}$/);
    await expect(page.getByText("Kopieer de link nu").innerText()).resolves.toContain("maar één keer");
    const row = page.locator("table tbody tr", { hasText: linkLabel });
    await expect(row.innerText()).resolves.toContain("Actief");
    await expect(row.innerText()).resolves.toContain(DPA_REGISTER_NL);
    // once the page is loaded again the link is gone
    await page.goto("/settings/auditor-links");
    expect(await page.getByLabel("Link", { exact: true }).count()).toBe(0);
    expect(await page.content()).not.toContain(linkUrl.split("/audit/")[1]);
  });

  it("opened in a fresh browser (no account) shows its limits and downloads the allowed register only", async () => {
    expect(linkUrl).not.toBe("");
    const context = await newContext(browser);
    const page = await context.newPage();
    outsider = { context, page };
    await page.goto(new URL(linkUrl).pathname);
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe("Auditortoegang");
    const facts = await page.locator("dl.facts").innerText();
    expect(facts).toContain("Lightcube B.V.");
    expect(facts).toContain(linkLabel);
    expect(facts).toContain(DPA_REGISTER_NL);
    // the robots meta and the cookie
    expect(await page.locator('meta[name="robots"]').getAttribute("content")).toBe("noindex, nofollow");
    const cookie = (await context.cookies()).find((c) => c.name === "__dpadesk_auditor");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

    await waitForHydration(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV" }).first().click()]);
    const csvFile = path.join(workDir, "link-dpas.csv");
    await download.saveAs(csvFile);
    expect(download.suggestedFilename()).toMatch(/^dpas-leadcube-.*\.csv$/);
    expect(readFileSync(csvFile, "utf8").split("\n").length).toBeGreaterThan(2);

    const refused = await context.request.get("/registers/breaches.csv");
    expect(refused.status()).toBe(404);
    const pack = await context.request.get("/registers/audit-pack.zip");
    expect(pack.status()).toBe(200);
    expect(pack.headers()["content-type"]).toBe("application/zip");
    const post = await context.request.post("/registers/audit-pack.zip", { data: "x", maxRedirects: 0 });
    expect(post.status()).toBe(403);
    // no staff pages with a link
    const staffPage = await context.request.get("/customers", { maxRedirects: 0 });
    expect(staffPage.status()).toBe(302);
  });

  it("lists every use, and ends when the admin revokes it (after confirming)", async () => {
    expect(outsider).toBeDefined();
    const { page } = admin;
    await page.goto("/settings/auditor-links");
    const row = page.locator("table tbody tr", { hasText: linkLabel });
    const uses = Number(/(\d+)×/.exec(await row.innerText())?.[1]);
    expect(uses).toBeGreaterThanOrEqual(5);
    await row.getByRole("link", { name: "Intrekken" }).click();
    await page.getByRole("heading", { name: "Auditorlink intrekken?" }).waitFor();
    await page.getByRole("button", { name: "Ja, link intrekken" }).click();
    await page.getByText(`De auditorlink voor ${linkLabel} is ingetrokken.`).waitFor();
    await expect(page.locator("table tbody tr", { hasText: linkLabel }).innerText()).resolves.toContain("Ingetrokken");

    const after = await outsider!.context.request.get("/registers/dpas.csv");
    expect(after.status()).toBe(403);
    expect(await after.text()).toContain("ingetrokken");
    await outsider!.page.goto(new URL(linkUrl).pathname);
    await expect(outsider!.page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe("Deze auditorlink is ingetrokken");
  });
});
