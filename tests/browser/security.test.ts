/** HTTP-level protections as a browser sees them: CSP with nonces, headers, cookie flags, cross-site posts, health. */
import type { Browser, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD, launchBrowser, newContext, SESSION_COOKIE, sessionCookie, signedInPage, signInByPost, waitForHydration } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function cspDirectives(response: Response): Map<string, string> {
  const csp = response.headers()["content-security-policy"] ?? "";
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
  );
}

function nonceOf(response: Response): string {
  const match = /'nonce-([A-Za-z0-9+/=]+)'/.exec(cspDirectives(response).get("script-src") ?? "");
  if (!match) throw new Error(`no nonce in script-src: ${response.headers()["content-security-policy"]}`);
  return match[1];
}

/** Checks the headers of a page and that every script of the page carries this response's nonce. */
async function expectProtectedPage(page: Page, response: Response | null): Promise<string> {
  expect(response).not.toBeNull();
  const headers = response!.headers();
  const csp = cspDirectives(response!);
  const nonce = nonceOf(response!);
  expect(nonce.length).toBeGreaterThanOrEqual(16);
  expect(csp.get("frame-ancestors")).toBe("'none'");
  expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
  expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
  expect(csp.get("object-src")).toBe("'none'");
  expect(csp.get("base-uri")).toBe("'self'");
  expect(csp.get("form-action")).toBe("'self'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]).toContain(headers["referrer-policy"]);
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-powered-by"]).toBeUndefined();

  // the HTML as sent: every <script> has the nonce attribute of this response
  const html = await response!.text();
  const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThanOrEqual(2);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
  // and in the page (browsers hide the attribute's value from the DOM after parsing; the property keeps it;
  // after hydration React keeps only some of the server's script elements)
  const domNonces = await page.evaluate(() => Array.from(document.scripts).map((s) => s.nonce));
  expect(domNonces.length).toBeGreaterThanOrEqual(1);
  for (const n of domNonces) expect(n).toBe(nonce);
  return nonce;
}

describe("security headers", () => {
  it("the login page: CSP nonce matches its scripts, fresh per response; headers are set; nothing is blocked", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      const first = await expectProtectedPage(page, await page.goto("/login"));
      const second = await expectProtectedPage(page, await page.goto("/login"));
      expect(second).not.toBe(first);
      // the app hydrates (its scripts run under the policy): client-side validation answers
      await waitForHydration(page);
      await page.getByRole("button", { name: "Inloggen" }).click();
      await page.locator('input[name="email"][aria-invalid="true"]').waitFor();
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("signed-in pages and error pages carry the same protections and run without CSP violations", async () => {
    const { context, page } = await signedInPage(browser, "privacy@leadcube.example", { via: "post", at: null });
    try {
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await expectProtectedPage(page, await page.goto("/dashboard"));
      await expectProtectedPage(page, await page.goto("/customers"));
      await waitForHydration(page);
      // a client-side navigation to a customer (data request, no new document) keeps working under the CSP
      await page.locator("table tbody").getByRole("link").first().click();
      await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
      await page.getByRole("heading", { name: "Tijdlijn" }).waitFor();
      await expectProtectedPage(page, await page.goto("/customers/00000000-0000-0000-0000-000000000000"));
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the session cookie is HttpOnly and SameSite=Lax, and not readable by page scripts", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto("/login");
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login"),
        (async () => {
          await page.getByLabel("E-mailadres").fill("auditor@leadcube.example");
          await page.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
          await page.getByRole("button", { name: "Inloggen" }).click();
        })(),
      ]);
      const setCookie = (await response.headersArray()).filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value);
      const session = setCookie.find((v) => v.startsWith(`${SESSION_COOKIE}=`));
      expect(session, setCookie.join("\n")).toBeDefined();
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=Lax/i);
      expect(session).toMatch(/;\s*Path=\//i);

      await page.waitForURL("**/dashboard");
      const cookie = await sessionCookie(context);
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe("Lax");
      expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
    } finally {
      await context.close();
    }
  });
});

describe("cross-site requests", () => {
  it("a POST to /login from another origin is refused with 403 and signs nobody in", async () => {
    const context = await newContext(browser);
    try {
      const form = { email: "admin@leadcube.example", password: DEMO_PASSWORD, redirectTo: "" };
      const evil = await context.request.post("/login", { form, headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
      expect(evil.status()).toBe(403);
      expect(evil.headers()["set-cookie"]).toBeUndefined();
      expect((await context.cookies()).some((c) => c.name === SESSION_COOKIE)).toBe(false);

      // control: the same post from our own origin signs in
      const own = await context.request.post("/login", { form, headers: { Origin: new URL(baseUrl()).origin }, maxRedirects: 0 });
      expect(own.status()).toBe(302);
      expect(own.headers()["location"]).toBe("/dashboard");
    } finally {
      await context.close();
    }
  });

  it("a cross-site POST to /logout does not end the session", async () => {
    const context = await newContext(browser);
    try {
      await signInByPost(context, "privacy@leadcube.example");
      const evil = await context.request.post("/logout", { headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
      expect(evil.status()).toBe(403);
      const page = await context.newPage();
      await page.goto("/dashboard");
      expect(new URL(page.url()).pathname).toBe("/dashboard");
    } finally {
      await context.close();
    }
  });
});

describe("health", () => {
  it('GET /healthz answers 200 {"status":"ok"} without caching', async () => {
    const context = await newContext(browser);
    try {
      const response = await context.request.get("/healthz");
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toMatch(/^application\/json/);
      expect(response.headers()["cache-control"]).toBe("no-store");
      expect(await response.json()).toEqual({ status: "ok" });
    } finally {
      await context.close();
    }
  });
});
