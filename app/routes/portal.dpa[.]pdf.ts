import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePortal } from "~/services/auth.server";
import { downloadDpaPdfForPortal } from "~/services/dpas.server";
import { pdfResponse } from "~/services/http.server";

/** Stable address: the portal user's current signed DPA (404 while none is in force). `?id=` picks an earlier one of its own. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePortal(request);
  const id = new URL(request.url).searchParams.get("id") ?? undefined;
  const pdf = await downloadDpaPdfForPortal(actor, id);
  return pdfResponse(pdf.bytes, pdf.filename);
}
