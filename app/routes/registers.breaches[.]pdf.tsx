import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/services/auth.server";
import { breachRegisterPdf } from "~/services/breach-register.server";
import { RegisterQuery } from "~/services/breaches.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

/** /registers/breaches.pdf: the breach register (Art. 33(5) GDPR) as a signed PDF, with the register page's filters. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, workspace } = await requireStaff(request, "registers:export");
  const query = RegisterQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const now = nowIso();
  const { pdf } = await breachRegisterPdf(actor, { ...query, after: undefined }, await resolveLocale(request), now);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="breach-register-${workspace.slug}-${now.slice(0, 10)}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
