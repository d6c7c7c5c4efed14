import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { requireStaff } from "~/services/auth.server";
import { staffLetterPdf } from "~/services/breach-notices.server";

/** The signed PDF letter of one delivered breach notice (staff of the workspace). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const file = await staffLetterPdf(actor, params.breachId ?? "", params.deliveryId ?? "");
  const bytes = await readFile(file.absolutePath);
  return new Response(bytes, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
