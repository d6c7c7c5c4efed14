import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocale } from "~/i18n/i18n";
import { safeRedirect } from "~/services/auth.server";
import { chooseLocale } from "~/services/locale.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const target = safeRedirect(form.get("redirectTo"), "/");
  if (!isLocale(locale)) return redirect(target);
  return redirect(target, { headers: { "Set-Cookie": await chooseLocale(request, locale) } });
}
