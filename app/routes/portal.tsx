import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect } from "react";
import { LanguageSwitch } from "~/components/language-switch";
import { useT } from "~/i18n/i18n";
import { requirePortal } from "~/services/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, customer, workspace } = await requirePortal(request);
  return json({
    user: { name: actor.name, email: actor.email },
    customer: { name: customer.name },
    vendor: { tradeName: workspace.tradeName },
  });
}

export default function PortalLayout() {
  const t = useT();
  const { user, customer, vendor } = useLoaderData<typeof loader>();
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
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <header className="topbar">
        <a href="/portal" className="brand">
          {t("nav.portal")}
        </a>
        <span>
          {customer.name} · {vendor.tradeName}
        </span>
        <span className="spacer" />
        <span className="small">
          {t("nav.signedInAs", { name: user.name })} · {t("role.portal")}
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
          <li>
            <NavLink to="/portal" end>
              {t("portal.home")}
            </NavLink>
          </li>
          <li>
            <NavLink to="/portal/dpa">{t("dpas.portal.title")}</NavLink>
          </li>
          <li>
            <NavLink to="/portal/subprocessors">{t("nav.subprocessors")}</NavLink>
          </li>
          <li>
            <NavLink to="/portal/breaches">{t("nav.portalBreaches")}</NavLink>
          </li>
          <li>
            <NavLink to="/portal/contract">{t("nav.portalContract")}</NavLink>
          </li>
          <li>
            <NavLink to="/portal/calendar">{t("nav.calendar")}</NavLink>
          </li>
        </ul>
      </nav>
      <main id="main">
        <Outlet />
      </main>
      <footer className="site">{t("time.amsterdam")}</footer>
    </>
  );
}
