/** Sign-in per role, wrong password, sign-in without JavaScript, sign-out, and a keyboard-only login. */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCustomers } from "../../db/seed/demo-data";
import { DEMO_PASSWORD, descriptionOf, htmlLang, launchBrowser, navLabels, newContext, SESSION_COOKIE, sessionCookie, signedInPage, signIn, waitForHydration } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

async function topbarText(page: Page): Promise<string> {
  return page.locator("header.topbar").innerText();
}

describe("sign in through the form", () => {
  const staff = [
    { email: "admin@leadcube.example", name: "Beheerder Leadcube", role: "Beheerder", adminNav: true },
    { email: "privacy@leadcube.example", name: "Privacy officer Leadcube", role: "Privacy officer", adminNav: false },
    { email: "auditor@leadcube.example", name: "Auditor Leadcube", role: "Auditor", adminNav: false },
  ];

  for (const account of staff) {
    it(`${account.email} lands on /dashboard and sees name, role and the nav of the role`, async () => {
      const { context, page } = await signedInPage(browser, account.email);
      try {
        expect(pathOf(page)).toBe("/dashboard");
        expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Overzicht");
        expect(await topbarText(page)).toContain(`Ingelogd als ${account.name} · ${account.role}`);
        const nav = await navLabels(page);
        expect(nav).toEqual(expect.arrayContaining(["Overzicht", "Klanten"]));
        if (account.adminNav) {
          expect(nav).toEqual(expect.arrayContaining(["Gebruikers", "Uitgaande e-mail"]));
        } else {
          expect(nav).not.toContain("Gebruikers");
          expect(nav).not.toContain("Uitgaande e-mail");
        }
      } finally {
        await context.close();
      }
    });
  }

  it("the portal user lands on /portal and sees its own name and customer", async () => {
    const own = demoCustomers.leadcube[0];
    const { context, page } = await signedInPage(browser, "portal@leadcube.example");
    try {
      expect(pathOf(page)).toBe("/portal");
      const topbar = await topbarText(page);
      expect(topbar).toContain(`Ingelogd als ${own.privacyContact.name}`);
      expect(topbar).toContain("Klantportaal");
      expect(topbar).toContain(`${own.name} · Leadcube`);
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(`Welkom, ${own.privacyContact.name}`);
      expect(await navLabels(page)).toEqual(["Overzicht", "Verwerkersovereenkomst", "Subverwerkers", "Meldingen", "Einde contract", "Agenda"]);
    } finally {
      await context.close();
    }
  });

  it("every nav item of the admin opens a page (no 404)", async () => {
    const { context, page } = await signedInPage(browser, "admin@leadcube.example", { via: "post" });
    try {
      const hrefs = await page.locator("nav.mainnav").getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      expect(hrefs.length).toBeGreaterThanOrEqual(4);
      const broken: string[] = [];
      for (const href of hrefs) {
        const response = await page.goto(href);
        if (!response || response.status() >= 400) broken.push(`${href} → ${response?.status()}`);
      }
      expect(broken).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a wrong password shows the Dutch error next to the form and stays on /login", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("E-mailadres").fill("privacy@leadcube.example");
      await page.getByLabel("Wachtwoord").fill("not-the-password");
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login"),
        page.getByRole("button", { name: "Inloggen" }).click(),
      ]);
      expect(response.status()).toBe(401);
      const alert = page.locator(".card").getByRole("alert");
      await alert.waitFor();
      expect(await alert.innerText()).toBe("E-mailadres of wachtwoord klopt niet.");
      // the error sits in the same card as the form it belongs to
      expect(await page.locator(".card").filter({ has: page.locator("form") }).getByRole("alert").count()).toBe(1);
      expect(pathOf(page)).toBe("/login");
      expect(await page.getByLabel("E-mailadres").inputValue()).toBe("privacy@leadcube.example");
      expect((await context.cookies()).some((c) => c.name === SESSION_COOKIE)).toBe(false);
    } finally {
      await context.close();
    }
  });

  it("an empty email shows the field error without a request when JavaScript runs", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const posts: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST") posts.push(r.url());
      });
      await page.goto("/login");
      await waitForHydration(page);
      await page.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Inloggen" }).click();
      const email = page.getByLabel("E-mailadres");
      await page.locator('input[name="email"][aria-invalid="true"]').waitFor();
      expect(await descriptionOf(email)).toBe("Vul je e-mailadres in.");
      expect(posts).toEqual([]);
      expect(pathOf(page)).toBe("/login");
    } finally {
      await context.close();
    }
  });
});

describe("without JavaScript", () => {
  it("signs in with a plain form post", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      expect(await page.locator("script[src], script[type=module]").count()).toBeGreaterThan(0); // the scripts are there, just not run
      await signIn(page, "privacy@leadcube.example");
      expect(pathOf(page)).toBe("/dashboard");
      expect(await topbarText(page)).toContain("Ingelogd als Privacy officer Leadcube · Privacy officer");
    } finally {
      await context.close();
    }
  });

  it("shows the validation error of an empty email next to the field, from the server", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login"),
        page.getByRole("button", { name: "Inloggen" }).click(),
      ]);
      expect(response.status()).toBe(400);
      // the answer is a new document: wait for it rather than read the old one
      await page.locator('input[name="email"][aria-invalid="true"]').waitFor();
      const email = page.getByLabel("E-mailadres");
      expect(await descriptionOf(email)).toBe("Vul je e-mailadres in.");
      expect(pathOf(page)).toBe("/login");
    } finally {
      await context.close();
    }
  });

  it("shows the wrong-password error from the server", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("E-mailadres").fill("auditor@leadcube.example");
      await page.getByLabel("Wachtwoord").fill("wrong-password");
      await page.getByRole("button", { name: "Inloggen" }).click();
      expect(await page.getByRole("alert").innerText()).toBe("E-mailadres of wachtwoord klopt niet.");
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(await page.getByLabel("E-mailadres").inputValue()).toBe("auditor@leadcube.example");
    } finally {
      await context.close();
    }
  });
});

describe("sign out", () => {
  it("ends the session: /dashboard goes to /login, and a copy of the old cookie no longer works", async () => {
    const { context, page } = await signedInPage(browser, "privacy@puredigital.example", { via: "post" });
    const copy = await newContext(browser);
    try {
      const cookie = await sessionCookie(context);
      await copy.addCookies([cookie]);
      const copyPage = await copy.newPage();
      // control: the copied cookie is a working session before sign-out
      await copyPage.goto("/dashboard");
      expect(pathOf(copyPage)).toBe("/dashboard");

      await Promise.all([page.waitForURL("**/login"), page.getByRole("button", { name: "Uitloggen" }).click()]);
      expect(pathOf(page)).toBe("/login");
      expect((await context.cookies()).some((c) => c.name === SESSION_COOKIE && c.value !== "")).toBe(false);

      await page.goto("/dashboard");
      expect(pathOf(page)).toBe("/login");
      expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/dashboard");

      const response = await copyPage.goto("/dashboard");
      expect(pathOf(copyPage)).toBe("/login");
      expect(response?.status()).toBe(200);
      expect(await copyPage.getByRole("heading", { level: 1 }).innerText()).toBe("Inloggen");
    } finally {
      await copy.close();
      await context.close();
    }
  });

  it("after sign-in, the redirectTo of the login page is honoured", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto("/customers?q=Amersfoort");
      expect(pathOf(page)).toBe("/login");
      await signIn(page, "auditor@leadcube.example");
      expect(pathOf(page)).toBe("/customers");
      expect(new URL(page.url()).searchParams.get("q")).toBe("Amersfoort");
    } finally {
      await context.close();
    }
  });
});

describe("keyboard", () => {
  it("the login form can be filled and submitted with Tab and Enter; focus is visible", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto("/login");
      expect(await htmlLang(page)).toBe("nl");

      await page.keyboard.press("Tab");
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute("name") ?? document.activeElement?.tagName ?? "");
      expect(await focused()).toBe("email");
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), focusVisible: (document.activeElement as Element).matches(":focus-visible") };
      });
      expect(outline.focusVisible).toBe(true);
      expect(outline.style).not.toBe("none");
      expect(outline.width).toBeGreaterThanOrEqual(2);

      await page.keyboard.type("auditor@leadcube.example");
      await page.keyboard.press("Tab");
      expect(await focused()).toBe("password");
      await page.keyboard.type(DEMO_PASSWORD);
      await Promise.all([page.waitForURL("**/dashboard"), page.keyboard.press("Enter")]);
      expect(await topbarText(page)).toContain("Ingelogd als Auditor Leadcube · Auditor");
    } finally {
      await context.close();
    }
  });

  it("the submit button and the language switch show a visible focus ring too", async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto("/login");
      const seen: { name: string; outline: string }[] = [];
      // Tab through every focusable element of the page (the walk ends at the language switch, the last one)
      for (let i = 0; i < 8 && !seen.some((s) => s.name.startsWith("button:") && s.name.endsWith("English")); i++) {
        await page.keyboard.press("Tab");
        seen.push(
          await page.evaluate(() => {
            const el = document.activeElement as HTMLElement;
            const style = getComputedStyle(el);
            return { name: `${el.tagName.toLowerCase()}:${(el.textContent || el.getAttribute("name") || "").trim()}`, outline: `${style.outlineStyle} ${style.outlineWidth}` };
          }),
        );
      }
      const button = seen.find((s) => s.name === "button:Inloggen");
      const language = seen.find((s) => s.name.startsWith("button:") && s.name.endsWith("English"));
      expect(button, JSON.stringify(seen)).toBeDefined();
      expect(language, JSON.stringify(seen)).toBeDefined();
      for (const s of seen) expect(s.outline, s.name).not.toMatch(/^none|\s0px$/);
    } finally {
      await context.close();
    }
  });
});
