import { json } from "@remix-run/node";
import { getDb } from "~/db.server";

/** 200 {"status":"ok"} when the database answers, 503 otherwise. No authentication, no details. */
export async function loader() {
  try {
    const row = getDb().$client.prepare("select 1 as ok").get() as { ok: number } | undefined;
    if (row?.ok !== 1) throw new Error("unexpected answer");
    return json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return json({ status: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
