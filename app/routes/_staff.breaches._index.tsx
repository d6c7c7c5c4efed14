import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Countdown, StateBadge } from "~/components/breach-countdown";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { clockView } from "~/services/breach-views.server";
import { BreachListQuery, breachDashboard } from "~/services/breaches.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

export const meta = titleMeta("breaches.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const locale = await resolveLocale(request);
  const now = nowIso();
  const query = BreachListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const data = await breachDashboard(actor, query, now);
  return json({
    canWrite: actor.role !== "auditor",
    page: data.page,
    pages: data.pages,
    total: data.total,
    closedCount: data.closedCount,
    breaches: data.breaches.map((b) => ({
      ...b,
      discoveredDisplay: displayInstant(b.discoveredAt),
      next: b.next
        ? {
            customerName: b.next.customerName,
            customerId: b.next.customerId,
            clock: clockView(b.next.deadline, locale),
            remainingMs: b.next.remainingMs,
            state: b.next.state,
          }
        : null,
    })),
    upcoming: data.upcoming.map((u) => ({ ...u, clock: clockView(u.deadline, locale) })),
  });
}

export default function BreachDashboard() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>{t("breaches.title")}</h1>
        <span>
          <Link to="/breaches/register">{t("breaches.register.title")}</Link>
          {data.canWrite ? (
            <>
              {" "}
              <Link className="button danger" to="/breaches/new">
                {t("breaches.new")}
              </Link>
            </>
          ) : null}
        </span>
      </div>
      <p className="muted">{t("breaches.dashboard.intro")}</p>

      <section aria-labelledby="upcoming">
        <h2 id="upcoming">{t("breaches.dashboard.upcoming")}</h2>
        {data.upcoming.length === 0 ? (
          <p className="empty card">{t("breaches.dashboard.noUpcoming")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("breaches.col.customer")}</th>
                  <th scope="col">{t("breaches.col.breach")}</th>
                  <th scope="col">{t("breaches.col.timeLeft")}</th>
                  <th scope="col">{t("breaches.col.basis")}</th>
                </tr>
              </thead>
              <tbody>
                {data.upcoming.map((u) => (
                  <tr key={`${u.breachId}-${u.customerId}`}>
                    <td>
                      <Link to={`/breaches/${u.breachId}/customers/${u.customerId}`}>{u.customerName}</Link>
                    </td>
                    <td>
                      <Link to={`/breaches/${u.breachId}`}>{u.reference}</Link>
                    </td>
                    <td>
                      <Countdown due={u.clock.due} soonAt={u.clock.soonAt} absolute={u.clock.absolute} remainingMs={u.remainingMs} state={u.state} />
                    </td>
                    <td className="small">{u.clock.explanation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="open-breaches">
        <h2 id="open-breaches">{t("breaches.dashboard.open", { count: data.total })}</h2>
        {data.breaches.length === 0 ? (
          <div className="empty card">
            <strong>{t("breaches.dashboard.none")}</strong>
            <br />
            {data.canWrite ? t("breaches.dashboard.noneHint") : null}
          </div>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("breaches.col.breach")}</th>
                  <th scope="col">{t("breaches.col.discovered")}</th>
                  <th scope="col">{t("breaches.col.customers")}</th>
                  <th scope="col">{t("breaches.col.nextDeadline")}</th>
                  <th scope="col">{t("breaches.col.questions")}</th>
                </tr>
              </thead>
              <tbody>
                {data.breaches.map((b) => (
                  <tr key={b.id}>
                    <td>
                      <Link to={`/breaches/${b.id}`}>
                        <span className="mono">{b.reference}</span> {b.title}
                      </Link>
                      <br />
                      {b.classification === "not_breach" ? (
                        <span className="badge neutral">{t("breaches.classification.not_breach")}</span>
                      ) : (
                        <span className="small muted">{t(`breaches.source.${b.sourceKind}`)}</span>
                      )}{" "}
                      {b.riskLevel ? (
                        <span className={`badge ${b.riskLevel === "high" ? "danger" : b.riskLevel === "risk" ? "warn" : "neutral"}`}>
                          {t(`breaches.risk.${b.riskLevel}`)}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <time dateTime={b.discoveredAt}>{b.discoveredDisplay}</time>
                    </td>
                    <td>
                      {t("breaches.dashboard.notifiedOf", { notified: b.notified, affected: b.affected })}
                      {b.overdue > 0 ? (
                        <>
                          <br />
                          <StateBadge state="overdue" /> {b.overdue}
                        </>
                      ) : null}
                    </td>
                    <td>
                      {b.next ? (
                        <>
                          <Countdown
                            due={b.next.clock.due}
                            soonAt={b.next.clock.soonAt}
                            absolute={b.next.clock.absolute}
                            remainingMs={b.next.remainingMs}
                            state={b.next.state}
                          />
                          <br />
                          <span className="small">{b.next.customerName}</span>
                        </>
                      ) : b.classification === "breach" && b.affected > 0 ? (
                        <StateBadge state="notified_on_time" />
                      ) : (
                        <span className="muted">{t("breaches.dashboard.noClock")}</span>
                      )}
                    </td>
                    <td>
                      {b.openQuestions > 0 ? <span className="badge warn">{t("breaches.dashboard.openQuestions", { count: b.openQuestions })}</span> : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.pages > 1 ? (
          <nav className="pagination" aria-label={t("breaches.pagination")}>
            {data.page > 1 ? <Link to={`?page=${data.page - 1}`}>← {t("common.previous")}</Link> : null}
            <span className="muted small">{t("breaches.pageOf", { page: data.page, pages: data.pages })}</span>
            {data.page < data.pages ? <Link to={`?page=${data.page + 1}`}>{t("common.next")} →</Link> : null}
          </nav>
        ) : null}
      </section>
      <p className="small">
        {t("breaches.dashboard.closed", { count: data.closedCount })} · <Link to="/breaches/register?status=closed">{t("breaches.register.title")}</Link>
      </p>
    </>
  );
}
