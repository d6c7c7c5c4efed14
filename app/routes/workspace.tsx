import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect, switchWorkspace } from "~/services/auth.server";

export async function loader() {
  return redirect("/dashboard");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const workspaceId = form.get("workspaceId");
  if (typeof workspaceId !== "string" || workspaceId.length === 0) return redirect("/dashboard");
  await switchWorkspace(request, workspaceId);
  // detail pages of the previous workspace do not exist in the new one: go to the list level
  const target = safeRedirect(form.get("redirectTo"), "/dashboard").split("/").slice(0, 2).join("/") || "/dashboard";
  return redirect(target);
}
