/**
 * Dutch by default, English on request: the choice holds across pages, sign-out and sign-in (cookie and
 * account). Uses its own account (admin@elementon.example) because it changes that account's language.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { htmlLang, launchBrowser, navLabels, newContext, signedInPage, signIn, waitForLang } from "./browser";

const ACCOUNT = "admin@elementon.example";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The language switch shows the other language's name; its accessible name is tested separately below. */
function languageButton(page: Page, label: "English" | "Nederlands") {
  return page.locator("form.language-switch").getByRole("button").filter({ hasText: label });
}

async function h1(page: Page): Promise<string> {
  return page.getByRole("heading", { level: 1 }).innerText();
}

describe("language switch", () => {
  it("English holds across pages, sign-out and a new sign-in; Dutch comes back", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNT);
    try {
      expect(await htmlLang(page)).toBe("nl");
      expect(await navLabels(page)).toEqual(expect.arrayContaining(["Overzicht", "Klanten", "Gebruikers"]));

      await languageButton(page, "English").click();
      await waitForLang(page, "en");
      expect(new URL(page.url()).pathname).toBe("/dashboard");
      expect(await h1(page)).toBe("Dashboard");
      expect(await navLabels(page)).toEqual(expect.arrayContaining(["Dashboard", "Customers", "Users", "Outgoing mail"]));
      expect(await page.locator("header.topbar").innerText()).toContain("Signed in as Beheerder Elementon · Administrator");
      expect((await context.cookies()).find((c) => c.name === "dpadesk_lang")).toBeDefined();

      await page.locator("nav.mainnav").getByRole("link", { name: "Customers" }).click();
      await page.waitForURL("**/customers");
      await page.getByRole("heading", { level: 1, name: "Customers" }).waitFor();
      expect(await htmlLang(page)).toBe("en");
      await page.reload();
      expect(await htmlLang(page)).toBe("en");
      expect(await page.getByRole("columnheader").allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^Name/), "Status"]));

      await Promise.all([page.waitForURL("**/login"), page.getByRole("button", { name: "Sign out" }).click()]);
      await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
      expect(await htmlLang(page)).toBe("en"); // the cookie outlives the session
      expect(await page.getByLabel("Email address").count()).toBe(1);

      await signIn(page, ACCOUNT);
      expect(await htmlLang(page)).toBe("en");
      expect(await h1(page)).toBe("Dashboard");
    } finally {
      await context.close();
    }

    // a new browser without the cookie: the login page is Dutch, the account brings English back
    const fresh = await signedInPage(browser, ACCOUNT);
    try {
      expect(await htmlLang(fresh.page)).toBe("en");
      expect(await navLabels(fresh.page)).toEqual(expect.arrayContaining(["Dashboard", "Customers"]));

      await languageButton(fresh.page, "Nederlands").click();
      await waitForLang(fresh.page, "nl");
      expect(await h1(fresh.page)).toBe("Overzicht");
      expect(await navLabels(fresh.page)).toEqual(expect.arrayContaining(["Overzicht", "Klanten", "Gebruikers", "Uitgaande e-mail"]));
    } finally {
      await fresh.context.close();
    }

    // and Dutch is what the account keeps
    const again = await signedInPage(browser, ACCOUNT, { via: "post" });
    try {
      expect(await htmlLang(again.page)).toBe("nl");
      expect(await h1(again.page)).toBe("Overzicht");
    } finally {
      await again.context.close();
    }
  });

  it("a new visitor gets Dutch, and the switch on the login page works without JavaScript", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      expect(await htmlLang(page)).toBe("nl");
      expect(await h1(page)).toBe("Inloggen");
      await languageButton(page, "English").click();
      // a plain form post and redirect: wait for the new document
      await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(await htmlLang(page)).toBe("en");
      expect(await page.getByLabel("Password").count()).toBe(1);
      // the validation messages follow the language too
      await page.getByLabel("Password").fill("x");
      await page.getByRole("button", { name: "Sign in" }).click();
      expect(await page.locator(".field .error").innerText()).toBe("Enter your email address.");
    } finally {
      await context.close();
    }
  });

  it("the language button's accessible name contains its visible text (WCAG 2.5.3 label in name)", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto("/login");
      // a speech-input user says what they see: "click English"
      expect(await page.getByRole("button", { name: "English" }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
