import { Form, useLocation } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/i18n";

/** Posts to /language; works without JavaScript. The choice is remembered (cookie and account). */
export function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const other = locale === "nl" ? "en" : "nl";
  return (
    <Form method="post" action="/language" className="language-switch">
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <input type="hidden" name="locale" value={other} />
      <button type="submit" className="secondary">
        <span className="visually-hidden">{t("lang.switch")}: </span>
        <span lang={other}>{other === "en" ? t("lang.en") : t("lang.nl")}</span>
      </button>
    </Form>
  );
}
