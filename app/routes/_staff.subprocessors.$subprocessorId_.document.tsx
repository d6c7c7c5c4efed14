import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { requireStaff } from "~/services/auth.server";
import { notFound } from "~/services/http.server";
import { subprocessorDocument } from "~/services/subprocessors.server";

/** The signed DPA with a sub-processor, as stored (staff only; portal users get 404). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const doc = await subprocessorDocument(actor, params.subprocessorId ?? "");
  let bytes: Buffer;
  try {
    bytes = await readFile(doc.absolutePath);
  } catch {
    throw notFound();
  }
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${doc.filename.replace(/"/g, "")}"`,
      "Content-Length": String(bytes.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Digest": `sha-256=${Buffer.from(doc.sha256, "hex").toString("base64")}`,
    },
  });
}
