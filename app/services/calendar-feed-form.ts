/**
 * The calendar feed card's form (create, regenerate, revoke): what the card posts and what the
 * page's action answers. Shared by the browser (the type) and the server (the parsing).
 */
import { z } from "zod";

/** create: first feed; regenerate and revoke end the current URL and need the confirmation box. */
const FeedActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.literal("regenerate"), confirm: z.literal("yes", { errorMap: () => ({ message: "notifications.calendar.error.confirm" }) }) }),
  z.object({ intent: z.literal("revoke"), confirm: z.literal("yes", { errorMap: () => ({ message: "notifications.calendar.error.confirm" }) }) }),
]);

export type FeedIntent = z.infer<typeof FeedActionSchema>["intent"];

export type FeedActionData = { intent: string; url?: string; revoked?: boolean; error?: string };

/**
 * Reads a post of the feed card. Without the confirmation (or with an unknown intent) it gives the answer
 * for the form that was posted, to be sent with status 400; the error is always a catalog key.
 */
export function parseFeedAction(form: FormData): { ok: true; intent: FeedIntent } | { ok: false; answer: FeedActionData } {
  const parsed = FeedActionSchema.safeParse({ intent: form.get("intent"), confirm: form.get("confirm") ?? undefined });
  if (parsed.success) return { ok: true, intent: parsed.data.intent };
  const message = parsed.error.issues[0]?.message ?? "notifications.calendar.error.confirm";
  return {
    ok: false,
    answer: { intent: String(form.get("intent") ?? ""), error: message.startsWith("notifications.") ? message : "notifications.calendar.error.confirm" },
  };
}

