/**
 * Signs the benchmark in the way a browser would be after logging in: a session row in the
 * database holding the SHA-256 of a random token, and the token in the `__dpadesk_session`
 * cookie signed with SESSION_SECRET, exactly as app/services/auth.server.ts does it.
 */
import { createCookie } from "@remix-run/node";
import type { Db } from "../../db/client";
import { hashToken, newToken } from "~/services/ids.server";

const SESSION_COOKIE = "__dpadesk_session";

/** Replaces the user's sessions with a fresh one and returns the `Cookie` request header value for it. */
export async function createBenchSession(
  db: Db,
  input: { userId: string; workspaceId: string; secret: string; now: Date },
): Promise<string> {
  const token = newToken();
  const now = input.now.toISOString();
  const c = db.$client;
  c.transaction(() => {
    c.prepare("delete from sessions where user_id = ?").run(input.userId);
    c.prepare(
      `insert into sessions (id_hash, user_id, active_workspace_id, created_at, expires_at, last_seen_at, ip, user_agent)
       values (?, ?, ?, ?, ?, ?, '127.0.0.1', 'dpa-desk-bench')`,
    ).run(hashToken(token), input.userId, input.workspaceId, now, new Date(input.now.getTime() + 86_400_000).toISOString(), now);
  }).immediate();
  const cookie = createCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", path: "/", secrets: [input.secret] });
  // Set-Cookie form "name=value; Path=/; ..." -> the request header needs only "name=value"
  return (await cookie.serialize(token)).split(";")[0];
}
