import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { countOpenObjections } from "~/services/subprocessors.server";

/** The sub-processor section: its own navigation (register, changes, objections, public list) above every page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  return json({ openObjections: await countOpenObjections(actor) });
}

const sections: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: "/subprocessors", label: "subprocessors.nav.register", end: true },
  { to: "/subprocessors/changes", label: "subprocessors.nav.changes" },
  { to: "/subprocessors/objections", label: "subprocessors.nav.objections" },
  { to: "/subprocessors/public-page", label: "subprocessors.nav.publicPage" },
];

export default function SubprocessorSection() {
  const t = useT();
  const { openObjections } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label={t("subprocessors.nav.section")}>
        <p className="inline-form">
        {sections.map((s) => (
          <NavLink key={s.to} to={s.to} end={s.end}>
            {({ isActive }) => (
              <>
                {isActive ? <strong>{t(s.label)}</strong> : t(s.label)}
                {s.to === "/subprocessors/objections" && openObjections > 0 ? (
                  <>
                    {" "}
                    <span className="badge warn">{openObjections}</span>
                  </>
                ) : null}
              </>
            )}
          </NavLink>
        ))}
        </p>
      </nav>
      <Outlet />
    </>
  );
}
