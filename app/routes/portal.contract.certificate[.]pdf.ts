import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePortal } from "~/services/auth.server";
import { portalCertificateFile } from "~/services/end-of-contract.server";
import { pdfResponse } from "~/services/http.server";

/** The portal user's latest deletion certificate (404 while none is issued). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePortal(request);
  const file = await portalCertificateFile(actor);
  return pdfResponse(file.bytes, file.filename);
}
