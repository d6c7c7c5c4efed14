import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/services/auth.server";
import { breachRegisterCsv } from "~/services/breach-register.server";
import { RegisterQuery } from "~/services/breaches.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

/** /registers/breaches.csv: the breach register (Art. 33(5) GDPR) as CSV, with the register page's filters. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, workspace } = await requireStaff(request, "registers:export");
  const query = RegisterQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const now = nowIso();
  const { csv } = await breachRegisterCsv(actor, { ...query, after: undefined }, await resolveLocale(request), now);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="breach-register-${workspace.slug}-${now.slice(0, 10)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
