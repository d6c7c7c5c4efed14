/** Small helpers the row sources share. */
import type { Locale, LocalizedText } from "~/domain/locale";
import type { ColumnDef, ColumnType } from "./types";

export function column(key: string, nl: string, en: string, descNl: string, descEn: string, type?: ColumnType): ColumnDef {
  return { key, header: { nl, en }, description: { nl: descNl, en: descEn }, ...(type ? { type } : {}) };
}

export function label(labels: Record<string, LocalizedText>, key: string | null | undefined, locale: Locale): string {
  if (!key) return "";
  return labels[key]?.[locale] ?? key;
}

export function jsonList(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))) : [];
  } catch {
    return [];
  }
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
