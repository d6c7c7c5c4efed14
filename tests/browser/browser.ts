/** Debian's Chromium driven by playwright-core (a browser download cannot work on these machines). */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { inject } from "vitest";

export const DEMO_PASSWORD = "dpadesk-demo";
export const SESSION_COOKIE = "__dpadesk_session";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];

export function chromiumPath(): string {
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error("Chromium not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH");
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export function baseUrl(): string {
  return inject("baseUrl");
}

export type ContextOptions = { javaScriptEnabled?: boolean; width?: number; height?: number };

/** A fresh context (own cookies) per test. Waits give up after 20 s (roomy: the machines are shared and busy). */
export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: "nl-NL",
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Fills the real login form and waits until the app has navigated away from /login. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (new URL(page.url(), baseUrl()).pathname !== "/login") await page.goto("/login");
  await page.getByLabel(/^(E-mailadres|Email address)$/).fill(email);
  await page.getByLabel(/^(Wachtwoord|Password)$/).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login")),
    page.getByRole("button", { name: /^(Inloggen|Sign in)$/ }).click(),
  ]);
  // with JavaScript the URL changes just before React renders the new page: wait for the form to go
  await page.locator('input[name="password"]').waitFor({ state: "detached" });
}

/**
 * Signs in with a plain POST to /login (no page load), as a form without JavaScript would: the session
 * cookie lands in the context. For tests about what comes after sign-in; the form itself is tested in auth.test.ts.
 */
export async function signInByPost(context: BrowserContext, email: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await context.request.post("/login", { form: { email, password, redirectTo: "" }, maxRedirects: 0 });
  const location = response.headers()["location"];
  if (response.status() !== 302 || !location) throw new Error(`sign-in of ${email} failed: HTTP ${response.status()}`);
  return location;
}

/**
 * A new context with one page, signed in as `email` and on its landing page (/dashboard or /portal).
 * `via: "form"` (the default) fills the login form; `via: "post"` posts it without loading the page and
 * then opens `at` (default: the landing page; null: no page yet, for tests that go somewhere themselves).
 */
export async function signedInPage(
  browser: Browser,
  email: string,
  options: ContextOptions & { via?: "form" | "post"; at?: string | null } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  try {
    const page = await context.newPage();
    if (options.via === "post") {
      const landing = await signInByPost(context, email);
      if (options.at !== null) await page.goto(options.at ?? landing);
    } else await signIn(page, email);
    return { context, page };
  } catch (error) {
    await context.close();
    throw error;
  }
}

export async function sessionCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`no ${SESSION_COOKIE} cookie in this context`);
  return cookie;
}

/** The visible texts of the links in the main navigation. */
export async function navLabels(page: Page): Promise<string[]> {
  const nav = page.locator("nav.mainnav");
  await nav.waitFor();
  return (await nav.getByRole("link").allInnerTexts()).map((s) => s.trim());
}

/** The text of the element(s) an input points at with aria-describedby (its hint and error). */
export async function descriptionOf(input: Locator): Promise<string> {
  const ids = (await input.getAttribute("aria-describedby")) ?? "";
  const texts: string[] = [];
  for (const id of ids.split(/\s+/).filter(Boolean)) texts.push(await input.page().locator(`[id="${id}"]`).innerText());
  return texts.join(" ");
}

export async function htmlLang(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang);
}

/** Waits until the document's language is `lang` (after a client-side navigation re-renders <html>). */
export async function waitForLang(page: Page, lang: "nl" | "en"): Promise<void> {
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/**
 * Waits until React has hydrated the page (its internal keys appear on the DOM nodes it took over), so a
 * click runs the client code rather than a plain form post. Cheaper and surer than waiting for network idle.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.querySelector("main");
    return main !== null && Object.keys(main).some((key) => key.startsWith("__reactFiber$"));
  });
}
