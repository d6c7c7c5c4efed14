import { createCookie } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { getDb } from "~/db.server";
import { isLocale, type Locale } from "~/i18n/i18n";
import { appendAudit } from "./audit.server";
import { accountActor, getCurrentSession } from "./auth.server";

const languageCookie = createCookie("dpadesk_lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });

/** Dutch unless the person chose English: their account setting, else the language cookie. */
export async function resolveLocale(request: Request): Promise<Locale> {
  const session = await getCurrentSession(request);
  if (session?.user.locale && isLocale(session.user.locale)) return session.user.locale;
  const fromCookie = await languageCookie.parse(request.headers.get("Cookie"));
  return isLocale(fromCookie) ? fromCookie : "nl";
}

/** Remembers the choice in a cookie and, for a signed-in person, on the account. */
export async function chooseLocale(request: Request, locale: Locale): Promise<string> {
  const session = await getCurrentSession(request);
  if (session && session.user.locale !== locale) {
    const now = new Date().toISOString();
    getDb().transaction(
      (tx) => {
        tx.update(users).set({ locale }).where(eq(users.id, session.user.id)).run();
        appendAudit(tx, accountActor(session), now, {
          action: "user.language_changed",
          entityType: "user",
          entityId: session.user.id,
          data: { locale },
        });
      },
      { behavior: "immediate" },
    );
  }
  return languageCookie.serialize(locale);
}
