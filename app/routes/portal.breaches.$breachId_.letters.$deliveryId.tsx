import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { requirePortal } from "~/services/auth.server";
import { portalLetterPdf } from "~/services/breach-portal.server";

/** The signed PDF letter of a breach notice this customer received. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePortal(request);
  const file = await portalLetterPdf(actor, params.breachId ?? "", params.deliveryId ?? "");
  const bytes = await readFile(file.absolutePath);
  return new Response(bytes, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
