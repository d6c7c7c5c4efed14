import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { RegisterQuery, listRegister } from "~/services/breaches.server";
import { displayInstant } from "~/services/display.server";

export const meta = titleMeta("breaches.register.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const url = new URL(request.url);
  const query = RegisterQuery.parse(Object.fromEntries(url.searchParams));
  const page = await listRegister(actor, query);
  const filters = new URLSearchParams(url.searchParams);
  filters.delete("after");
  return json({
    query,
    exportQuery: filters.toString(),
    ...page,
    entries: page.entries.map((e) => ({ ...e, discoveredDisplay: displayInstant(e.facts.discoveredAt), closedDisplay: displayInstant(e.closedAt) })),
  });
}

export default function BreachRegister() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const q = data.query;
  const exportSuffix = data.exportQuery ? `?${data.exportQuery}` : "";
  const withAfter = (after: string | null) => {
    const params = new URLSearchParams(searchParams);
    if (after) params.set("after", after);
    else params.delete("after");
    return `?${params.toString()}`;
  };
  return (
    <>
      <p>
        <Link to="/breaches">← {t("breaches.title")}</Link>
      </p>
      <div className="page-header">
        <h1>{t("breaches.register.title")}</h1>
        <span>
          <a className="button secondary" href={`/registers/breaches.csv${exportSuffix}`}>
            {t("breaches.register.csv")}
          </a>{" "}
          <a className="button secondary" href={`/registers/breaches.pdf${exportSuffix}`}>
            {t("breaches.register.pdf")}
          </a>
        </span>
      </div>
      <p className="muted">{t("breaches.register.intro")}</p>
      <Form method="get" className="inline-form" role="search">
        <div className="field">
          <label htmlFor="reg-q">{t("breaches.register.search")}</label>
          <input id="reg-q" type="search" name="q" defaultValue={q.q} />
        </div>
        <div className="field">
          <label htmlFor="reg-class">{t("breaches.field.classification")}</label>
          <select id="reg-class" name="classification" defaultValue={q.classification}>
            <option value="all">{t("breaches.filter.all")}</option>
            <option value="breach">{t("breaches.classification.breach")}</option>
            <option value="not_breach">{t("breaches.classification.not_breach")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="reg-status">{t("common.status")}</label>
          <select id="reg-status" name="status" defaultValue={q.status}>
            <option value="all">{t("breaches.filter.all")}</option>
            <option value="open">{t("breaches.status.open")}</option>
            <option value="closed">{t("breaches.status.closed")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="reg-risk">{t("breaches.field.riskLevel")}</label>
          <select id="reg-risk" name="risk" defaultValue={q.risk}>
            <option value="all">{t("breaches.filter.all")}</option>
            <option value="high">{t("breaches.risk.high")}</option>
            <option value="risk">{t("breaches.risk.risk")}</option>
            <option value="none">{t("breaches.risk.none")}</option>
            <option value="unassessed">{t("breaches.risk.unassessed")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="reg-from">{t("breaches.register.from")}</label>
          <input id="reg-from" type="date" name="from" defaultValue={q.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="reg-to">{t("breaches.register.to")}</label>
          <input id="reg-to" type="date" name="to" defaultValue={q.to ?? ""} />
        </div>
        <button type="submit">{t("breaches.register.filter")}</button>
      </Form>
      <p className="small muted">{t("common.total", { count: data.total })}</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("breaches.col.breach")}</th>
              <th scope="col">{t("breaches.col.discovered")}</th>
              <th scope="col">{t("breaches.register.decision")}</th>
              <th scope="col">{t("breaches.field.riskLevel")}</th>
              <th scope="col">{t("breaches.field.subjectsNotice")}</th>
              <th scope="col">{t("breaches.col.customers")}</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  <strong>{t("breaches.register.empty")}</strong>
                  <br />
                  {t("breaches.register.emptyHint")}
                </td>
              </tr>
            ) : (
              data.entries.map((e) => {
                const reasons = [
                  e.facts.classificationReasoning ? `${t("breaches.register.decision")}: ${e.facts.classificationReasoning}` : null,
                  e.facts.riskReasoning ? `${t("breaches.field.riskLevel")}: ${e.facts.riskReasoning}` : null,
                  e.facts.subjectsNoticeReasoning ? `${t("breaches.field.subjectsNotice")}: ${e.facts.subjectsNoticeReasoning}` : null,
                  e.closingNote ? `${t("breaches.close.note")}: ${e.closingNote}` : null,
                ].filter((r): r is string => r !== null);
                return (
                  <Fragment key={e.id}>
                    <tr>
                      <td>
                        <Link to={`/breaches/${e.id}`}>
                          <span className="mono">{e.facts.reference}</span> {e.facts.title}
                        </Link>
                        <br />
                        <span className={`badge ${e.status === "open" ? "warn" : "neutral"}`}>{t(`breaches.status.${e.status}`)}</span>
                        {e.closedAt ? <span className="small muted"> {e.closedDisplay}</span> : null}{" "}
                        {e.flags.special ? <span className="badge warn">⚠ {t("breaches.flag.special")}</span> : null}{" "}
                        {e.flags.nationalId ? <span className="badge warn">⚠ {t("breaches.flag.nationalId")}</span> : null}
                      </td>
                      <td>
                        <time dateTime={e.facts.discoveredAt}>{e.discoveredDisplay}</time>
                      </td>
                      <td>
                        <strong>{t(`breaches.classification.${e.facts.classification}`)}</strong>
                      </td>
                      <td>{e.facts.riskLevel ? t(`breaches.risk.${e.facts.riskLevel}`) : t("breaches.risk.unassessed")}</td>
                      <td className="small">{t(`breaches.subjectsNotice.${e.facts.subjectsNotice}`)}</td>
                      <td className="small">
                        {e.facts.classification === "breach" ? t("breaches.dashboard.notifiedOf", { notified: e.notified, affected: e.affected }) : "—"}
                        {e.notifiedLate > 0 ? (
                          <>
                            <br />
                            {t("breaches.register.late", { count: e.notifiedLate })}
                          </>
                        ) : null}
                      </td>
                    </tr>
                    {reasons.length > 0 ? (
                      <tr>
                        <td colSpan={6} className="small muted">
                          {reasons.map((r) => (
                            <span key={r}>
                              {r}
                              <br />
                            </span>
                          ))}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label={t("breaches.pagination")}>
        {q.after ? <Link to={withAfter(null)}>{t("common.first")}</Link> : null}
        {data.next ? <Link to={withAfter(data.next)}>{t("common.next")} →</Link> : null}
        <span className="muted small">{t("common.showing", { count: data.entries.length })}</span>
      </nav>
    </>
  );
}
