/** Values the scenarios share, read once from the bench database before the runs start. */
import type { Db } from "../../db/client";
import { encodeCursor } from "~/services/customers.server";
import type { BenchFixtures } from "./scenario";

export function computeFixtures(db: Db, workspaceId: string): BenchFixtures {
  const c = db.$client;
  const visible = (
    c.prepare("select count(*) as n from customers where workspace_id = ? and archived_at is null").get(workspaceId) as { n: number }
  ).n;
  if (visible < 2) throw new Error("The bench workspace has fewer than two unarchived customers; use --customers 200 or more");
  // the list's own order (name_key, id), as listCustomers sorts it by default
  const rows = c
    .prepare(
      "select name_key as v, id, name from customers where workspace_id = ? and archived_at is null order by name_key, id limit 2 offset ?",
    )
    .all(workspaceId, Math.max(0, visible - 101)) as { v: string; id: string; name: string }[];
  return { deepCustomerCursor: encodeCursor({ v: rows[0].v, id: rows[0].id }), deepPageFirstName: rows[1].name };
}
