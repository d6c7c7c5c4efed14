/** Debian's Chromium driven by playwright-core (a browser download cannot work on these machines). */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

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

export async function newContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), javaScriptEnabled: options.javaScriptEnabled ?? true, locale: "nl-NL" });
}

export async function signIn(page: Page, email: string, password = "dpadesk-demo"): Promise<void> {
  await page.goto("/login");
  await page.getByLabel(/E-mailadres|Email address/).fill(email);
  await page.getByLabel(/Wachtwoord|Password/).fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: /Inloggen|Sign in/ }).click()]);
}
