/**
 * End-of-contract dashboard: the contract dates of the next 90 days (last days to give notice, term
 * ends, and the end dates of scheduled terminations), each with its basis from the clock engine, and
 * the cases by status. Both lists page with keyset cursors (`after` for the dates, `cases` for the cases).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ContractTable } from "~/components/contract-table";
import { BasisBadge, CaseStatusBadge, NoChoiceBadge, useLocalizedText } from "~/components/contracts";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { listCases, listUpcomingContractDates } from "~/services/end-of-contract.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("contracts.title");

const STATUSES = ["active", "scheduled", "open", "closed", "withdrawn", "all"] as const;
const Query = z.object({
  status: z.enum(STATUSES).catch("active").default("active"),
  after: z.string().max(500).optional().catch(undefined),
  cases: z.string().max(500).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const now = nowIso();
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const upcoming = await listUpcomingContractDates(actor, now, { days: 90, cursor: query.after ?? null, limit: 25 });
  const cases = await listCases(actor, { status: query.status, cursor: query.cases ?? null, limit: 25 }, now);
  return json({ query, upcoming, cases, canWrite: actor.role !== "auditor" });
}

export default function ContractsDashboard() {
  const t = useT();
  const l = useLocalizedText();
  const { query, upcoming, cases } = useLoaderData<typeof loader>();
  const link = (changes: Record<string, string | null>) => {
    const params = new URLSearchParams();
    const merged: Record<string, string | null | undefined> = { status: query.status === "active" ? null : query.status, after: query.after, cases: query.cases, ...changes };
    for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
    const s = params.toString();
    return s ? `?${s}` : "?";
  };
  return (
    <>
      <div className="page-header">
        <h1>{t("contracts.title")}</h1>
        <Link className="button secondary" to="/contracts/tasks">
          {t("contracts.tasks.title")}
        </Link>
      </div>
      <p className="muted">{t("contracts.dashboard.intro")}</p>

      <section aria-labelledby="upcoming">
        <h2 id="upcoming">{t("contracts.dashboard.upcoming", { count: upcoming.total, date: upcoming.windowEndDisplay })}</h2>
        {upcoming.items.length === 0 ? (
          <p className="empty card">{t("contracts.dashboard.noUpcoming")}</p>
        ) : (
          <ContractTable
            rows={upcoming.items}
            rowKey={(u) => `${u.customerId}-${u.kind}-${u.date}`}
            rowClassName={(u) => (u.daysLeft <= 14 ? "eoc-soon" : undefined)}
            columns={[
              {
                label: t("contracts.col.date"),
                cell: (u) => (
                  <>
                    <strong>
                      <time dateTime={u.date}>{u.display}</time>
                    </strong>
                    <br />
                    <span className={`badge ${u.daysLeft <= 14 ? "warn" : "neutral"}`}>{t("contracts.daysLeft", { count: u.daysLeft })}</span>
                  </>
                ),
              },
              { label: t("contracts.col.customer"), cell: (u) => <Link to={`/customers/${u.customerId}`}>{u.customerName}</Link> },
              {
                label: t("contracts.col.what"),
                cell: (u) => (
                  <>
                    {t(`contracts.upcoming.${u.kind}`)}
                    {u.caseId ? (
                      <>
                        <br />
                        <Link to={`/contracts/${u.caseId}`} className="mono small">
                          {u.caseReference}
                        </Link>
                      </>
                    ) : u.kind === "notice_deadline" ? (
                      <>
                        <br />
                        <Link to={`/customers/${u.customerId}/terminate`} className="small">
                          {t("contracts.customer.recordEnd")}
                        </Link>
                      </>
                    ) : null}
                  </>
                ),
              },
              {
                label: t("contracts.col.basis"),
                className: "small",
                cell: (u) => (
                  <>
                    {l(u.explanation)} <BasisBadge basis={u.basis} />
                  </>
                ),
              },
            ]}
          />
        )}
        <nav className="pagination" aria-label={t("contracts.dashboard.upcomingPages")}>
          {query.after ? <Link to={link({ after: null })}>{t("common.first")}</Link> : null}
          {upcoming.next ? <Link to={link({ after: upcoming.next })}>{t("common.next")} →</Link> : null}
        </nav>
      </section>

      <section aria-labelledby="cases">
        <h2 id="cases">{t("contracts.dashboard.cases")}</h2>
        <nav className="inline-form" aria-label={t("contracts.dashboard.caseFilter")}>
          {STATUSES.map((s) =>
            s === query.status ? (
              <strong key={s} aria-current="page">
                {t(`contracts.caseFilter.${s}`)}
              </strong>
            ) : (
              <Link key={s} to={link({ status: s === "active" ? null : s, cases: null })}>
                {t(`contracts.caseFilter.${s}`)}
              </Link>
            ),
          )}
        </nav>
        {cases.cases.length === 0 ? (
          <div className="empty card">
            <strong>{t("contracts.dashboard.noCases")}</strong>
            <br />
            {t("contracts.dashboard.noCasesHint")}
          </div>
        ) : (
          <ContractTable
            rows={cases.cases}
            rowKey={(c) => c.id}
            columns={[
              {
                label: t("contracts.col.case"),
                cell: (c) => (
                  <>
                    <Link to={`/contracts/${c.id}`} className="mono">
                      {c.reference}
                    </Link>
                    <br />
                    <span className="small muted">{t(`contracts.kind.${c.kind}`)}</span>
                  </>
                ),
              },
              { label: t("contracts.col.customer"), cell: (c) => <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link> },
              {
                label: t("contracts.col.endDate"),
                cell: (c) => (
                  <>
                    <time dateTime={c.endDate}>{c.endDisplay}</time>
                    {c.overrideReason ? (
                      <>
                        {" "}
                        <span className="badge warn">{t("contracts.terminate.overridden")}</span>
                      </>
                    ) : null}
                  </>
                ),
              },
              { label: t("contracts.col.status"), cell: (c) => <CaseStatusBadge status={c.status} /> },
              { label: t("contracts.col.choice"), cell: (c) => (c.choice ? t(`contracts.choice.${c.choice}`) : <NoChoiceBadge />) },
              {
                label: t("contracts.col.tasks"),
                cell: (c) =>
                  c.status === "open" ? (
                    <>
                      {t("contracts.dashboard.openTasks", { count: c.openTasks })}
                      {c.overdueTasks > 0 ? (
                        <>
                          {" "}
                          <span className="badge danger">{t("contracts.dashboard.overdueTasks", { count: c.overdueTasks })}</span>
                        </>
                      ) : null}
                    </>
                  ) : c.certificateIssuedAt ? (
                    <a href={`/contracts/${c.id}/certificate.pdf`}>{t("contracts.certificate.short")}</a>
                  ) : (
                    "—"
                  ),
              },
            ]}
          />
        )}
        <nav className="pagination" aria-label={t("contracts.dashboard.casePages")}>
          {query.cases ? <Link to={link({ cases: null })}>{t("common.first")}</Link> : null}
          {cases.next ? <Link to={link({ cases: cases.next })}>{t("common.next")} →</Link> : null}
        </nav>
      </section>
    </>
  );
}
