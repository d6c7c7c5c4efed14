import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { LanguageSwitch } from "~/components/language-switch";
import { getConfig } from "~/config.server";
import { useT, type MessageKey } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, workspace, workspaces } = await requireStaff(request);
  return json({
    user: { name: actor.name, email: actor.email, role: actor.role },
    workspace: { id: workspace.id, slug: workspace.slug, tradeName: workspace.tradeName },
    workspaces,
    demoMode: getConfig().demoMode,
  });
}

type NavItem = { to: string; label: MessageKey };

export default function StaffLayout() {
  const t = useT();
  const { user, workspace, workspaces, demoMode } = useLoaderData<typeof loader>();
  const location = useLocation();
  const items: NavItem[] = [
    { to: "/dashboard", label: "nav.dashboard" },
    { to: "/customers", label: "nav.customers" },
    { to: "/dpas", label: "nav.dpas" },
    { to: "/subprocessors", label: "nav.subprocessors" },
    { to: "/breaches", label: "nav.breaches" },
    { to: "/terms", label: "nav.terms" },
    ...(user.role === "admin"
      ? ([
          { to: "/settings/workspace", label: "nav.workspaceSettings" },
          { to: "/settings/users", label: "nav.users" },
          { to: "/settings/outbox", label: "nav.outbox" },
        ] satisfies NavItem[])
      : []),
    ...(demoMode ? ([{ to: "/mailbox", label: "nav.mailbox" }] satisfies NavItem[]) : []),
  ];
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <header className="topbar">
        <a href="/dashboard" className="brand">
          {t("app.name")}
        </a>
        {workspaces.length > 1 ? (
          <Form method="post" action="/workspace">
            <label htmlFor="workspace-switch">{t("nav.workspace")}</label>
            <select id="workspace-switch" name="workspaceId" defaultValue={workspace.id}>
              {workspaces.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.tradeName}
                </option>
              ))}
            </select>
            <input type="hidden" name="redirectTo" value={location.pathname} />
            <button type="submit" className="secondary">
              {t("nav.switchWorkspace")}
            </button>
          </Form>
        ) : (
          <span>{workspace.tradeName}</span>
        )}
        <span className="spacer" />
        <span className="small">
          {t("nav.signedInAs", { name: user.name })} · {t(`role.${user.role}`)}
        </span>
        <LanguageSwitch />
        <Form method="post" action="/logout">
          <button type="submit" className="secondary">
            {t("nav.logout")}
          </button>
        </Form>
      </header>
      <nav className="mainnav" aria-label={t("nav.main")}>
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to}>{t(item.label)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        <Outlet />
      </main>
      <footer className="site">{t("time.amsterdam")}</footer>
    </>
  );
}
