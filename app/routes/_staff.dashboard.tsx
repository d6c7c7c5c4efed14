import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { auditActionLabel, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { DUE_NEXT_DAYS, dashboardOverview } from "~/services/dashboard.server";
import { displayInstant } from "~/services/display.server";

export const meta = titleMeta("dashboard.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, workspace } = await requireStaff(request);
  const overview = await dashboardOverview(actor);
  return json({
    workspace: { legalName: workspace.legalName },
    isAdmin: actor.role === "admin",
    ...overview,
    recent: overview.recent.map((e) => ({ ...e, atDisplay: displayInstant(e.at) })),
    dueNextDays: DUE_NEXT_DAYS,
  });
}

export default function Dashboard() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>{t("dashboard.title")}</h1>
        <p className="muted">{data.workspace.legalName}</p>
      </div>
      <section className="card" aria-labelledby="due-next">
        <h2 id="due-next">{t("dashboard.dueNext")}</h2>
        {data.dueNext.length === 0 ? (
          <p className="muted">{t("notifications.dueNext.empty", { days: data.dueNextDays })}</p>
        ) : (
          <ul className="timeline">
            {data.dueNext.map((d) => (
              <li key={d.uid}>
                <span className={`badge ${d.state === "overdue" ? "danger" : d.state === "due_soon" ? "warn" : "ok"}`}>
                  {d.state === "overdue" ? "⚠" : d.state === "due_soon" ? "◷" : "✓"} {t(`notifications.state.${d.state}` as MessageKey)}
                </span>{" "}
                <time dateTime={d.due}>{d.dueDisplay}</time> · {t(`notifications.source.${d.source}` as MessageKey)}:{" "}
                <Link to={d.link}>{d.title[locale]}</Link>
                <br />
                <span className="small muted">{d.basis[locale]}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="small">
          <Link to="/calendar">{t("notifications.dueNext.calendar")}</Link>
        </p>
      </section>
      <div className="cards">
        <section className="card" aria-labelledby="card-customers">
          <h2 id="card-customers">{t("dashboard.activeCustomers")}</h2>
          <p className="stat">{data.customers.active}</p>
          <p className="small">
            <Link to="/customers">{t("common.total", { count: data.customers.total })}</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="card-mail">
          <h2 id="card-mail">{t("dashboard.mailFailures")}</h2>
          <p className="stat">
            {data.mailFailed > 0 ? <span className="badge danger">⚠ {data.mailFailed}</span> : <span className="badge ok">✓ 0</span>}
          </p>
          <p className="small">
            {t("dashboard.mailPending")}: {data.mailPending}
            {data.isAdmin ? (
              <>
                {" · "}
                <Link to="/settings/outbox">{t("nav.outbox")}</Link>
              </>
            ) : null}
          </p>
        </section>
      </div>
      <section aria-labelledby="recent">
        <h2 id="recent">{t("dashboard.recentActivity")}</h2>
        {data.recent.length === 0 ? (
          <p className="empty">{t("dashboard.noActivity")}</p>
        ) : (
          <ul className="timeline">
            {data.recent.map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{e.atDisplay}</time> · <span title={e.action}>{auditActionLabel(t, e.action)}</span> · {e.actorLabel}
                {e.customerId && e.customerName ? (
                  <>
                    {" · "}
                    <Link to={`/customers/${e.customerId}`}>{e.customerName}</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
