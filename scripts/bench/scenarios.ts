/**
 * The named measurements `npm run bench` makes, in this order. HTTP scenarios run first (one
 * server, one after another), timing scenarios after them in the benchmark process.
 * Add yours here; `--only name,name` runs a subset (the baseline always runs when a page does).
 */
import { CustomerListQuery, listCustomers } from "~/services/customers.server";
import { dashboardOverview } from "~/services/dashboard.server";
import { auditExportScenarios } from "./audit-export";
import { breachScenarios } from "./breaches";
import { dpaPdfScenarios } from "./dpa-pdf";
import { httpScenario, timingScenario, type Scenario } from "./scenario";

/** How React writes text into HTML, so a check can look for a name as it appears in the page. */
export function htmlText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

export const scenarios: Scenario[] = [
  httpScenario({
    name: "healthz",
    description: "GET /healthz: bare route, no session, one trivial query (the baseline)",
    path: () => "/healthz",
    signedIn: false,
    baseline: true,
    check: (body) => (body.includes('"ok"') ? null : `unexpected body ${body.slice(0, 80)}`),
  }),
  httpScenario({
    name: "login",
    description: "GET /login signed out: the simplest server-rendered page, what Remix and React cost before any data (no goal)",
    path: () => "/login",
    signedIn: false,
    check: (body) => (body.includes('type="password"') ? null : "no password field in the page"),
    goals: {},
  }),
  httpScenario({
    name: "dashboard",
    description: "GET /dashboard: customer counts, mail counts, recent activity",
    path: () => "/dashboard",
  }),
  httpScenario({
    name: "customers-first",
    description: "GET /customers: first page of the customer list, sorted by name",
    path: () => "/customers",
    check: (body) => (body.includes("/customers/") ? null : "no customer links in the page"),
  }),
  httpScenario({
    name: "customers-deep",
    description: "GET /customers?after=...: the page about 100 customers before the end",
    path: (ctx) => `/customers?after=${encodeURIComponent(ctx.fixtures.deepCustomerCursor)}`,
    check: (body, ctx) =>
      body.includes(htmlText(ctx.fixtures.deepPageFirstName)) ? null : `the page does not show ${ctx.fixtures.deepPageFirstName}`,
  }),
  timingScenario({
    name: "svc-customers-deep",
    description: "listCustomers() for the deep page, in-process (query cost without HTTP or rendering)",
    setup: (ctx) => {
      const query = CustomerListQuery.parse({ after: ctx.fixtures.deepCustomerCursor });
      return () => listCustomers(ctx.actor, query);
    },
  }),
  timingScenario({
    name: "svc-dashboard",
    description: "dashboardOverview(), in-process (query cost without HTTP or rendering)",
    setup: (ctx) => () => dashboardOverview(ctx.actor),
  }),
  ...breachScenarios,
  ...dpaPdfScenarios,
  ...auditExportScenarios,
];
