import { useRouteLoaderData } from "@remix-run/react";
import { enCatalog, nlCatalog, type MessageKey } from "./catalog";

export type Locale = "nl" | "en";
export const locales: readonly Locale[] = ["nl", "en"];
export type { MessageKey };

const catalogs: Record<Locale, Record<MessageKey, string>> = { nl: nlCatalog, en: enCatalog };

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(nlCatalog, value);
}

export function isLocale(value: unknown): value is Locale {
  return value === "nl" || value === "en";
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, vars) => {
    const text = catalog[key] ?? nlCatalog[key] ?? key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}

/** The locale chosen in the root loader; every component reads it from there. */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  return data?.locale ?? "nl";
}

export function useT(): Translate {
  return translator(useLocale());
}

/** The label of an audit trail action, or its code when it has none. */
export function auditActionLabel(t: Translate, action: string): string {
  const key = `audit.${action}`;
  return isMessageKey(key) ? t(key) : action;
}
