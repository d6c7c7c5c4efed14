import type { MetaArgs } from "@remix-run/node";
import { translator, isLocale, type MessageKey } from "./i18n";

/** A page title in the visitor's language: "Klanten · DPA Desk". */
export function titleMeta(key: MessageKey) {
  return ({ matches }: Pick<MetaArgs, "matches">) => {
    const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
    const t = translator(isLocale(root?.locale) ? root.locale : "nl");
    return [{ title: `${t(key)} · ${t("app.name")}` }];
  };
}
