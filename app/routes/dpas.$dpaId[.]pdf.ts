import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/services/auth.server";
import { downloadDpaPdfForStaff } from "~/services/dpas.server";
import { pdfResponse } from "~/services/http.server";

/** The sealed (or uploaded) PDF of one DPA of the staff member's workspace. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const pdf = await downloadDpaPdfForStaff(actor, params.dpaId ?? "");
  return pdfResponse(pdf.bytes, pdf.filename);
}
