/**
 * The breach register (Art. 33(5) GDPR) as text, for callers that want the whole CSV at once. The
 * register itself (columns, rows, formats, the PDF) lives in app/services/registers/ and is served
 * at /registers/breaches.<csv|xlsx|json|pdf>; this wraps its CSV stream with the register page's query.
 */
import type { Locale } from "~/domain/locale";
import type { RegisterQuery } from "./breaches.server";
import { requireStaffActor } from "./breach-core.server";
import { streamRegisterExport } from "./registers/index.server";

type AnyActor = Parameters<typeof requireStaffActor>[0];

/** The register page's query as export filters (the page's cursor is not a filter). */
export function breachRegisterFilters(query: RegisterQuery): Record<string, string | undefined> {
  return { classification: query.classification, status: query.status, risk: query.risk, q: query.q, from: query.from, to: query.to };
}

/** The register as CSV text (UTF-8 with BOM, RFC 4180, formula-safe); the export is recorded in the audit trail. */
export async function breachRegisterCsv(actor: AnyActor, query: RegisterQuery, locale: Locale, now: string): Promise<{ csv: string; count: number }> {
  requireStaffActor(actor, "registers:export");
  const result = await streamRegisterExport(actor, "breaches", "csv", breachRegisterFilters(query), locale, now);
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return { csv: Buffer.concat(chunks).toString("utf8"), count: result.rowCountEstimate };
}
