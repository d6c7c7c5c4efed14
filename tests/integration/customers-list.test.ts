import { describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { CustomerListQuery, CustomerSortColumns, encodeCursor, listCustomers, type CustomerSort } from "~/services/customers.server";
import { seedCustomer, seedStaff, seedWorkspace, type CustomerRow, type StaffActor } from "../helpers/db";
import { thrownResponse, setupTestApp } from "../helpers/app";

const app = setupTestApp();

const PAGE_SIZE = 25;

/** Names that repeat (also in other letter case), cities and start dates that repeat: ties everywhere. */
const NAMES = ["Bakkerij Jansen", "bakkerij jansen", "Slagerij de Vries", "Autobedrijf Mulder", "AUTOBEDRIJF MULDER", "Café 't Hoekje", "Zorggroep Oost", "Advocatenkantoor Bos"];
const CITIES = ["Utrecht", "Amsterdam", "Zwolle", "'s-Hertogenbosch", "Den Haag"];
const STARTS = ["2024-01-01", "2025-06-15", "2023-03-31", "2025-06-15", "2026-01-01", "2022-12-31"];

function seedSixty(db: Db, workspaceId: string): CustomerRow[] {
  return Array.from({ length: 60 }, (_, i) =>
    seedCustomer(db, workspaceId, {
      name: NAMES[i % NAMES.length],
      city: CITIES[(i * 7) % CITIES.length],
      contractStart: STARTS[(i * 5) % STARTS.length],
      registrationNumber: i % 3 === 0 ? `KvK ${String(10_000_000 + i)}` : null,
    }),
  );
}

function sortValue(c: CustomerRow, sort: CustomerSort): string {
  return sort === "name" ? c.nameKey : sort === "city" ? c.city : c.contractStart;
}

/** The order the list must have: by the sort column, ties broken by id, all in the same direction. */
function expectedOrder(rows: CustomerRow[], sort: CustomerSort, dir: "asc" | "desc"): string[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ascending = [...rows].sort((a, b) => cmp(sortValue(a, sort), sortValue(b, sort)) || cmp(a.id, b.id));
  const ids = ascending.map((c) => c.id);
  return dir === "asc" ? ids : ids.reverse();
}

type Page = Awaited<ReturnType<typeof listCustomers>>;

function query(input: Record<string, string | undefined>) {
  return CustomerListQuery.parse(input);
}

/** Follows `next` from the first page to the last, then `previous` from the last page back to the first. */
async function walk(actor: StaffActor, base: Record<string, string>) {
  const forward: Page[] = [await listCustomers(actor, query(base))];
  while (forward[forward.length - 1].next) {
    expect(forward.length, "forward walk does not end").toBeLessThan(20);
    forward.push(await listCustomers(actor, query({ ...base, after: forward[forward.length - 1].next! })));
  }
  const backward: Page[] = [forward[forward.length - 1]];
  while (backward[0].previous) {
    expect(backward.length, "backward walk does not end").toBeLessThan(20);
    backward.unshift(await listCustomers(actor, query({ ...base, before: backward[0].previous! })));
  }
  return { forward, backward };
}

const ids = (pages: Page[]) => pages.flatMap((p) => p.customers.map((c) => c.id));

describe("listCustomers keyset pagination", () => {
  const combinations = CustomerSortColumns.flatMap((sort) => (["asc", "desc"] as const).map((dir) => [sort, dir] as const));

  it.each(combinations)("sort %s %s: forward and backward give every customer exactly once, in order", async (sort, dir) => {
    const workspace = seedWorkspace(app.db);
    const rows = seedSixty(app.db, workspace.id);
    seedSixty(app.db, seedWorkspace(app.db).id); // another workspace's customers never appear
    const actor = seedStaff(app.db, workspace.id, "auditor");
    const expected = expectedOrder(rows, sort, dir);

    const { forward, backward } = await walk(actor, { sort, dir });

    expect(forward.map((p) => p.customers.length)).toEqual([PAGE_SIZE, PAGE_SIZE, 10]);
    expect(ids(forward)).toEqual(expected);
    expect(ids(backward)).toEqual(expected);
    expect(backward.map((p) => p.customers.map((c) => c.id))).toEqual(forward.map((p) => p.customers.map((c) => c.id)));
    expect(forward.every((p) => p.total === 60)).toBe(true);
    expect(forward[0].previous).toBeNull();
    expect(forward[forward.length - 1].next).toBeNull();

    // from a page reached backwards, `next` goes forward again to the same page
    const again = await listCustomers(actor, query({ sort, dir, after: backward[0].next! }));
    expect(again.customers.map((c) => c.id)).toEqual(forward[1].customers.map((c) => c.id));
  });

  it("a page boundary inside a run of equal sort values loses and repeats nothing", async () => {
    const workspace = seedWorkspace(app.db);
    const rows = Array.from({ length: 2 * PAGE_SIZE + 3 }, () => seedCustomer(app.db, workspace.id, { name: "Zelfde Naam B.V.", city: "Utrecht" }));
    const actor = seedStaff(app.db, workspace.id, "admin");

    for (const dir of ["asc", "desc"] as const) {
      const { forward, backward } = await walk(actor, { sort: "name", dir });
      expect(ids(forward)).toEqual(expectedOrder(rows, "name", dir));
      expect(ids(backward)).toEqual(ids(forward));
    }
  });

  it("a cursor that is not one of ours starts at the first page instead of failing", async () => {
    const workspace = seedWorkspace(app.db);
    const rows = seedSixty(app.db, workspace.id);
    const actor = seedStaff(app.db, workspace.id, "admin");

    for (const junk of ["not-base64!", encodeCursor({ v: "x", id: "y" }).slice(0, 5), Buffer.from("[1,2]").toString("base64url")]) {
      const page = await listCustomers(actor, query({ after: junk }));
      expect(page.customers.map((c) => c.id)).toEqual(expectedOrder(rows, "name", "asc").slice(0, PAGE_SIZE));
    }
    // unknown sort and direction fall back to name ascending
    const fallback = await listCustomers(actor, query({ sort: "password_hash", dir: "sideways" }));
    expect(fallback.customers.map((c) => c.id)).toEqual(expectedOrder(rows, "name", "asc").slice(0, PAGE_SIZE));
  });

  it("an empty workspace has one empty page without cursors", async () => {
    const workspace = seedWorkspace(app.db);
    const actor = seedStaff(app.db, workspace.id, "admin");
    expect(await listCustomers(actor, query({}))).toEqual({ total: 0, customers: [], next: null, previous: null });
  });
});

describe("listCustomers search", () => {
  async function searchNames(actor: StaffActor, q: string): Promise<string[]> {
    const page = await listCustomers(actor, query({ q }));
    expect(page.total).toBe(page.customers.length);
    return page.customers.map((c) => c.name).sort();
  }

  it("is case-insensitive on name, city and registration number", async () => {
    const workspace = seedWorkspace(app.db);
    seedCustomer(app.db, workspace.id, { name: "Bakkerij Jansen", city: "Utrecht", registrationNumber: "12345678" });
    seedCustomer(app.db, workspace.id, { name: "Slagerij de Vries", city: "Amsterdam", registrationNumber: "KBO 0412.345.678" });
    seedCustomer(app.db, workspace.id, { name: "Garage Utrechtseweg", city: "Zeist", registrationNumber: null });
    const actor = seedStaff(app.db, workspace.id, "auditor");

    expect(await searchNames(actor, "BAKKER")).toEqual(["Bakkerij Jansen"]);
    expect(await searchNames(actor, "de vries")).toEqual(["Slagerij de Vries"]);
    expect(await searchNames(actor, "utrecht")).toEqual(["Bakkerij Jansen", "Garage Utrechtseweg"]);
    expect(await searchNames(actor, "AMSTERDAM")).toEqual(["Slagerij de Vries"]);
    expect(await searchNames(actor, "kbo 0412")).toEqual(["Slagerij de Vries"]);
    expect(await searchNames(actor, "2345678")).toEqual(["Bakkerij Jansen"]);
    expect(await searchNames(actor, "  zeist  ")).toEqual(["Garage Utrechtseweg"]);
    expect(await searchNames(actor, "rotterdam")).toEqual([]);
  });

  it("is case-insensitive for accented capitals too (names, and cities such as Évry or Überlingen)", async () => {
    const workspace = seedWorkspace(app.db);
    seedCustomer(app.db, workspace.id, { name: "Élan Vital SARL", city: "Évry", country: "FR" });
    seedCustomer(app.db, workspace.id, { name: "Bodensee Boote GmbH", city: "Überlingen", country: "DE" });
    const actor = seedStaff(app.db, workspace.id, "auditor");

    expect(await searchNames(actor, "élan")).toEqual(["Élan Vital SARL"]);
    expect(await searchNames(actor, "ÉLAN")).toEqual(["Élan Vital SARL"]);
    // typed exactly as stored, and in lower case
    expect(await searchNames(actor, "Évry")).toEqual(["Élan Vital SARL"]);
    expect(await searchNames(actor, "évry")).toEqual(["Élan Vital SARL"]);
    expect(await searchNames(actor, "überlingen")).toEqual(["Bodensee Boote GmbH"]);
  });

  it("treats % and _ (and the escape character) as literal characters, not wildcards", async () => {
    const workspace = seedWorkspace(app.db);
    for (const name of ["100% Groen B.V.", "100 Groen B.V.", "1000 Groen B.V.", "Data_Lab", "DataXLab", "Back\\slash", "Backslash"]) {
      seedCustomer(app.db, workspace.id, { name, city: "Delft" });
    }
    const actor = seedStaff(app.db, workspace.id, "admin");

    expect(await searchNames(actor, "100%")).toEqual(["100% Groen B.V."]);
    expect(await searchNames(actor, "%")).toEqual(["100% Groen B.V."]);
    expect(await searchNames(actor, "a_l")).toEqual(["Data_Lab"]);
    expect(await searchNames(actor, "_")).toEqual(["Data_Lab"]);
    expect(await searchNames(actor, "k\\s")).toEqual(["Back\\slash"]);
    expect(await searchNames(actor, "delft")).toHaveLength(7);
  });

  it("pages through the matches only", async () => {
    const workspace = seedWorkspace(app.db);
    const rows = seedSixty(app.db, workspace.id);
    const actor = seedStaff(app.db, workspace.id, "admin");
    const matches = (c: CustomerRow) => [c.nameKey, c.city, c.registrationNumber ?? ""].some((v) => v.toLowerCase().includes("ij"));
    const matching = rows.filter(matches);
    expect(matching.length).toBeGreaterThan(PAGE_SIZE);

    const { forward, backward } = await walk(actor, { q: "IJ", sort: "city", dir: "desc" });

    expect(ids(forward)).toEqual(expectedOrder(matching, "city", "desc"));
    expect(ids(backward)).toEqual(ids(forward));
    expect(forward[0].total).toBe(matching.length);
  });
});

describe("listCustomers archive filter and access", () => {
  it("leaves archived customers out by default and lists only them on request", async () => {
    const workspace = seedWorkspace(app.db);
    seedCustomer(app.db, workspace.id, { name: "Actief B.V." });
    seedCustomer(app.db, workspace.id, { name: "Ook Actief B.V.", status: "ended" });
    seedCustomer(app.db, workspace.id, { name: "Gearchiveerd B.V.", archivedAt: "2026-02-01T10:00:00.000Z" });
    const actor = seedStaff(app.db, workspace.id, "auditor");

    const current = await listCustomers(actor, query({}));
    expect(current.customers.map((c) => c.name)).toEqual(["Actief B.V.", "Ook Actief B.V."]);
    expect(current.total).toBe(2);
    const archived = await listCustomers(actor, query({ archived: "1" }));
    expect(archived.customers.map((c) => c.name)).toEqual(["Gearchiveerd B.V."]);
    expect(archived.total).toBe(1);
    expect(await listCustomers(actor, query({ archived: "1", q: "actief" }))).toMatchObject({ total: 0, customers: [] });
  });

  it("refuses portal actors with 404", async () => {
    const workspace = seedWorkspace(app.db);
    const customer = seedCustomer(app.db, workspace.id);
    const staff = seedStaff(app.db, workspace.id, "admin");
    const portal = { kind: "portal" as const, userId: staff.userId, name: "P", email: "p@example.test", workspaceId: workspace.id, customerId: customer.id };
    expect((await thrownResponse(listCustomers(portal, query({})))).status).toBe(404);
  });
});
