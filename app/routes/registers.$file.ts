import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { notFound, nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";
import { requireRegisterAccess } from "~/services/register-access.server";
import { RegisterExportRefused, parseRegisterFile, streamRegisterExport } from "~/services/registers/index.server";

/**
 * /registers/<register>.<format>: every register as CSV, XLSX, JSON or PDF (registers: dpas,
 * processing, subprocessors, objections, breaches, end-of-contract, audit-log), streamed. Query
 * parameters: from/to (YYYY-MM-DD) and the register's own filters (breaches: classification,
 * status, risk, q; audit-log: actor, customer, action, entity). X-Row-Estimate carries the row count
 * for the download progress bar.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = parseRegisterFile(params.file ?? "");
  if (!file) throw notFound();
  const { actor } = await requireRegisterAccess(request);
  const locale = await resolveLocale(request);
  try {
    const result = await streamRegisterExport(actor, file.register, file.format, new URL(request.url).searchParams, locale, nowIso());
    return new Response(createReadableStreamFromReadable(result.stream), {
      headers: {
        "Content-Type": result.contentType,
        "Content-Disposition": `attachment; filename="${result.filename.replace(/[^\w.-]/g, "_")}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Row-Estimate": String(result.rowCountEstimate),
      },
    });
  } catch (error) {
    if (error instanceof RegisterExportRefused) {
      return new Response(error.message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
    }
    throw error;
  }
}
