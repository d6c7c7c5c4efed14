/**
 * The main screens in both languages at desktop (1280 px) and phone (390 px) width: no sideways scrolling
 * of the page, no text running out of its card, no script errors (hydration included). With SHOTS_DIR set, full-page screenshots are written
 * there to look at (`SHOTS_DIR=/tmp/shots-browser npx vitest run --project browser tests/browser/layout.test.ts`).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext, signIn, waitForHydration, waitForLang } from "./browser";

const WIDTHS = [1280, 390] as const;
const shotsDir = process.env.SHOTS_DIR;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  if (shotsDir) mkdirSync(shotsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Collects what would show in the browser console as an error: failed hydration, exceptions, CSP reports. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  return errors;
}

/** Opens the login page in a new context and picks the language there (a cookie; the account is not changed). */
async function contextIn(locale: "nl" | "en"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto("/login");
  await waitForHydration(page);
  if (locale === "en") {
    await page.locator("form.language-switch button").click();
    await waitForLang(page, "en");
  }
  return { context, page };
}

type Check = { name: string; width: number; scrollWidth: number; widest: string[]; cardsOverflowing: string[]; errors: string[] };

/** Cards whose content is wider than the card (text running over the border), named by their heading. */
function cardsOverflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".card"))
      .filter((card) => card.scrollWidth > card.clientWidth + 1)
      .map((card) => `${card.querySelector("h1, h2, h3")?.textContent?.trim() ?? "card"} (${card.scrollWidth}px in ${card.clientWidth}px)`),
  );
}

/** The innermost elements that stick out to the right of the viewport, described for the failure message. */
function elementsPastTheEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const past = Array.from(document.body.querySelectorAll("*")).filter((el) => el.getBoundingClientRect().right > width + 1);
    const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
    return innermost.slice(0, 5).map((el) => {
      const cls = el.getAttribute("class");
      const text = (el.textContent ?? "").trim().slice(0, 60);
      return `${el.tagName.toLowerCase()}${cls ? "." + cls.split(/\s+/).join(".") : ""} (right ${Math.round(el.getBoundingClientRect().right)}px): ${text}`;
    });
  });
}

/** Visits `pathname` at each width; returns what went wrong (empty when all is well). */
async function checkAtWidths(page: Page, locale: string, name: string, errors: string[]): Promise<Check[]> {
  const problems: Check[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    const cards = await cardsOverflowing(page);
    if (scrollWidth > width || cards.length > 0 || errors.length > 0) {
      const widest = scrollWidth > width ? await elementsPastTheEdge(page) : [];
      problems.push({ name: `${name} ${locale} ${width}px`, width, scrollWidth, widest, cardsOverflowing: cards, errors: [...errors] });
    }
    if (shotsDir) await page.screenshot({ path: path.join(shotsDir, `${name}-${locale}-${width}.png`), fullPage: true });
  }
  return problems;
}

async function visit(page: Page, pathname: string, locale: "nl" | "en"): Promise<void> {
  await page.goto(pathname);
  await waitForHydration(page);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
}

describe.each(["nl", "en"] as const)("screens in %s", (locale) => {
  it("login, dashboard, customers and a customer fit both widths", async () => {
    const { context, page } = await contextIn(locale);
    try {
      const errors = watchErrors(page);
      const problems: Check[] = [];
      problems.push(...(await checkAtWidths(page, locale, "login", errors)));

      await signIn(page, "admin@leadcube.example");
      await visit(page, "/dashboard", locale);
      problems.push(...(await checkAtWidths(page, locale, "dashboard", errors)));
      await visit(page, "/customers", locale);
      problems.push(...(await checkAtWidths(page, locale, "customers", errors)));
      const first = await page.locator("table tbody").getByRole("link").first().getAttribute("href");
      await visit(page, first!, locale);
      problems.push(...(await checkAtWidths(page, locale, "customer", errors)));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the portal fits both widths without errors", async () => {
    const { context, page } = await contextIn(locale);
    try {
      const errors = watchErrors(page);
      await signIn(page, "portal@leadcube.example");
      await visit(page, "/portal", locale);
      expect(await checkAtWidths(page, locale, "portal", errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
