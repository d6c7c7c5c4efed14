import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * The keyset condition for "rows after (value, id)" in the given order, as one row-value
 * comparison: a single index range on (column, id), in SQLite and PostgreSQL alike. The common
 * `a > v OR (a = v AND id > i)` form makes SQLite walk the index from its start.
 */
export function keysetAfter(column: SQLiteColumn | SQL, id: SQLiteColumn, cursor: { value: string | number; id: string }, direction: "asc" | "desc"): SQL {
  return direction === "asc" ? sql`(${column}, ${id}) > (${cursor.value}, ${cursor.id})` : sql`(${column}, ${id}) < (${cursor.value}, ${cursor.id})`;
}
