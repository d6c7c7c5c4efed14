import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/services/auth.server";
import { evidenceFile } from "~/services/end-of-contract.server";

/**
 * One uploaded evidence file, always as a download (never rendered inline: an uploaded file is
 * untrusted content), with the type the server decided at upload.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const file = await evidenceFile(actor, params.evidenceId ?? "");
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "'");
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
    },
  });
}
