import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/services/auth.server";
import { certificateFile } from "~/services/end-of-contract.server";
import { pdfResponse } from "~/services/http.server";

/** The signed deletion certificate of one case (404 until it is issued). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const file = await certificateFile(actor, params.caseId ?? "");
  return pdfResponse(file.bytes, file.filename);
}
