import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect } from "react";
import { LanguageSwitch } from "~/components/language-switch";
import { getConfig } from "~/config.server";
import { useT, type MessageKey } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { unreadNotificationCount } from "~/services/notifications.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, workspace, workspaces } = await requireStaff(request);
  const unread = await unreadNotificationCount(actor);
  return json({
    unread,
    user: { name: actor.name, email: actor.email, role: actor.role },
    workspace: { id: workspace.id, slug: workspace.slug, tradeName: workspace.tradeName },
    workspaces,
    demoMode: getConfig().demoMode,
  });
}

type NavItem = { to: string; label: MessageKey };

export default function StaffLayout() {
  const t = useT();
  const { user, workspace, workspaces, demoMode, unread } = useLoaderData<typeof loader>();
  const location = useLocation();
  // on a phone the menu scrolls sideways: keep the current page's item in view
  useEffect(() => {
    const link = document.querySelector('.mainnav a[aria-current="page"]');
    const list = link?.closest("ul");
    if (!link || !list) return;
    const item = link.getBoundingClientRect();
    const box = list.getBoundingClientRect();
    // sideways only: the page's own scroll position (restored on back) is left alone
    if (item.left < box.left || item.right > box.right) list.scrollLeft += item.left - box.left - 16;
  }, [location.pathname]);
  const items: NavItem[] = [
    { to: "/dashboard", label: "nav.dashboard" },
    { to: "/customers", label: "nav.customers" },
    { to: "/dpas", label: "nav.dpas" },
    { to: "/subprocessors", label: "nav.subprocessors" },
    { to: "/breaches", label: "nav.breaches" },
    { to: "/contracts", label: "nav.contracts" },
    { to: "/terms", label: "nav.terms" },
    { to: "/registers", label: "nav.registers" },
    { to: "/calendar", label: "nav.calendar" },
    { to: "/notifications", label: "nav.notifications" },
    ...(user.role === "admin"
      ? ([
          { to: "/settings/workspace", label: "nav.workspaceSettings" },
          { to: "/settings/users", label: "nav.users" },
          { to: "/settings/reminders", label: "nav.reminders" },
          { to: "/settings/jobs", label: "nav.jobs" },
          { to: "/settings/auditor-links", label: "nav.auditorLinks" },
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
              <NavLink to={item.to}>
                {t(item.label)}
                {item.to === "/notifications" && unread > 0 ? (
                  <>
                    {" "}
                    <span className="badge warn nav-badge" role="img" aria-label={t("notifications.badgeLabel", { count: unread })}>
                      {unread > 99 ? "99+" : unread}
                    </span>
                  </>
                ) : null}
              </NavLink>
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
