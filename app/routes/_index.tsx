import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getCurrentSession } from "~/services/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  if (!session) return redirect("/login");
  return redirect(session.user.kind === "portal" ? "/portal" : "/dashboard");
}
