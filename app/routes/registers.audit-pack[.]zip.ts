import { createReadableStreamFromReadable, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { streamAuditPack } from "~/services/audit-pack.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";
import { requireRegisterAccess } from "~/services/register-access.server";

/**
 * /registers/audit-pack.zip: every register, every signed PDF and a signed manifest, streamed as it
 * is made (no Content-Length: the size is known only at the end). `X-Audit-Pack-Files` tells the
 * download page how many files to expect. `?from=&to=` (YYYY-MM-DD) limits it to a period, within an
 * auditor link's own range.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const access = await requireRegisterAccess(request);
  if (request.method === "HEAD") return new Response(null, { headers: { "Content-Type": "application/zip", "Cache-Control": "private, no-store" } });
  const filters = new URL(request.url).searchParams;
  const pack = await streamAuditPack(access, { now: nowIso(), locale: await resolveLocale(request), filters });
  const ascii = pack.filename.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "'");
  return new Response(createReadableStreamFromReadable(pack.stream), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(pack.filename)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Robots-Tag": "noindex, nofollow",
      "X-Audit-Pack-Files": String(pack.expectedFiles),
    },
  });
}

/** The pack is only read: a POST is refused (403 for an auditor link, logged as its use; 405 for staff). */
export async function action({ request }: ActionFunctionArgs) {
  await requireRegisterAccess(request);
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" } });
}
