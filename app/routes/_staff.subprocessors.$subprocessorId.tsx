import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { catalogueLabel } from "~/domain/processing-catalogue";
import { useLocale, useT, type MessageKey, type Translate } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";
import { getSubprocessorDetail, locationLabels } from "~/services/subprocessors.server";

export const meta = ({ data }: { data?: { subprocessor?: { legalName: string } } }) => [{ title: `${data?.subprocessor?.legalName ?? ""} · DPA Desk` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const locale = await resolveLocale(request);
  const url = new URL(request.url);
  const detail = await getSubprocessorDetail(actor, params.subprocessorId ?? "", nowIso(), {
    customersAfter: url.searchParams.get("customers"),
    historyBefore: url.searchParams.get("history"),
  });
  const s = detail.subprocessor;
  return json({
    ...detail,
    canWrite: actor.role !== "auditor",
    subprocessor: {
      ...s,
      locations: locationLabels(s.locations, locale),
      startDisplay: displayDate(s.startDate),
      endDisplay: displayDate(s.endDate),
      dpaDateDisplay: displayDate(s.dpaDate),
    },
    changes: detail.changes.map((c) => ({ ...c, plannedStartDisplay: displayDate(c.plannedStart), sentDisplay: displayInstant(c.sentAt) })),
    history: { ...detail.history, items: detail.history.items.map((h) => ({ ...h, atDisplay: displayInstant(h.at) })) },
  });
}

const HISTORY_EVENTS = new Set(["created", "updated", "change_announced", "start_accepted", "change_cancelled", "change_in_effect", "excluded_for_customer"]);

function historyLabel(t: Translate, event: string): string {
  return HISTORY_EVENTS.has(event) ? t(`subprocessors.history.${event}` as MessageKey) : event;
}

/** A short readable line of what changed: "breachNoticeHours: 24 → 12". */
function historyDetails(data: Record<string, unknown>): string[] {
  return Object.entries(data)
    .filter(([, v]) => v !== null && typeof v === "object" && !Array.isArray(v) && "before" in (v as object) && "after" in (v as object))
    .map(([field, v]) => {
      const { before, after } = v as { before: unknown; after: unknown };
      const show = (x: unknown) => (x === null || x === "" ? "—" : typeof x === "string" ? x : JSON.stringify(x));
      return `${field}: ${show(before)} → ${show(after)}`;
    });
}

export default function SubprocessorDetail() {
  const t = useT();
  const locale = useLocale();
  const { subprocessor: s, services, customers, changes, history, openChangeId, canWrite, inUse } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const notice: MessageKey | null = searchParams.get("created") ? "subprocessors.form.created" : searchParams.get("saved") ? "subprocessors.form.saved" : null;
  return (
    <>
      <p>
        <Link to="/subprocessors">← {t("subprocessors.title")}</Link>
      </p>
      {notice ? (
        <p className="notice ok" role="status">
          {t(notice)}
        </p>
      ) : null}
      <div className="page-header">
        <h1>{s.legalName}</h1>
        <span>
          <span className={`badge ${s.status === "active" ? "ok" : s.status === "proposed" ? "warn" : "neutral"}`}>{t(`subprocessors.status.${s.status}`)}</span>{" "}
          {canWrite ? (
            <>
              <Link className="button secondary" to={`/subprocessors/${s.id}/edit`}>
                {t("subprocessors.detail.edit")}
              </Link>{" "}
              {openChangeId === null && s.status !== "retired" ? (
                <Link className="button" to={`/subprocessors/changes/new?subprocessorId=${s.id}&kind=${s.status === "proposed" ? "new" : "location"}`}>
                  {t("subprocessors.detail.announce")}
                </Link>
              ) : null}
            </>
          ) : null}
        </span>
      </div>
      {openChangeId ? (
        <p className="notice">
          {t("subprocessors.detail.openChange")} <Link to={`/subprocessors/changes/${openChangeId}`}>{t("subprocessors.detail.viewChange")}</Link>
        </p>
      ) : null}
      <div className="cards">
        <section className="card" aria-labelledby="sp-facts">
          <h2 id="sp-facts">{t("subprocessors.detail.facts")}</h2>
          <dl className="facts">
            {s.tradeName ? (
              <>
                <dt>{t("subprocessors.form.tradeName")}</dt>
                <dd>{s.tradeName}</dd>
              </>
            ) : null}
            <dt>{t("subprocessors.col.service")}</dt>
            <dd>{s.service[locale]}</dd>
            <dt>{t("subprocessors.col.purpose")}</dt>
            <dd>{s.purpose[locale]}</dd>
            <dt>{t("subprocessors.col.locations")}</dt>
            <dd>
              {s.locations.map((l) => (
                <div key={l.code}>
                  {l.name} ({l.code}){" "}
                  {l.outsideEea ? <span className="badge warn">⚠ {t("subprocessors.outsideEea")}</span> : null}
                </div>
              ))}
            </dd>
            <dt>{t("subprocessors.col.safeguard")}</dt>
            <dd>{s.transferSafeguard ? t(`subprocessors.safeguard.${s.transferSafeguard}`) : t("subprocessors.safeguard.none")}</dd>
            <dt>{t("subprocessors.col.services")}</dt>
            <dd>{services.map((x) => x[locale]).join(", ") || t("common.none")}</dd>
            <dt>{t("subprocessors.col.period")}</dt>
            <dd>
              {s.startDate ? t("subprocessors.from", { date: s.startDisplay }) : t("subprocessors.none")}
              {s.endDate ? ` · ${t("subprocessors.until", { date: s.endDisplay })}` : ""}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="sp-dpa">
          <h2 id="sp-dpa">{t("subprocessors.detail.dpa")}</h2>
          <dl className="facts">
            <dt>{t("subprocessors.detail.dpaDate")}</dt>
            <dd>{s.dpaDate ? <time dateTime={s.dpaDate}>{s.dpaDateDisplay}</time> : t("subprocessors.none")}</dd>
            <dt>{t("subprocessors.detail.document")}</dt>
            <dd>
              {s.document ? (
                <>
                  <a href={`/subprocessors/${s.id}/document`} download>
                    {t("subprocessors.detail.download")}
                  </a>{" "}
                  <span className="muted small">({s.document.filename})</span>
                  <div className="mono small">
                    {t("subprocessors.detail.sha256")}: {s.document.sha256}
                  </div>
                </>
              ) : (
                <span className="muted">{t("subprocessors.detail.noDocument")}</span>
              )}
            </dd>
            <dt>{t("subprocessors.detail.breachHours")}</dt>
            <dd>{s.breachNoticeHours === null ? t("subprocessors.noHourLimit") : t("subprocessors.hours", { count: s.breachNoticeHours })}</dd>
            <dt>{t("subprocessors.detail.dataCategories")}</dt>
            <dd>
              {s.dataCategories.map((key) => {
                const label = catalogueLabel("dataCategory", key, locale);
                return (
                  <span key={key} className={`badge ${label.special ? "warn" : "neutral"}`}>
                    {label.special ? "⚠ " : ""}
                    {label.text}
                  </span>
                );
              })}
            </dd>
          </dl>
          {s.internalNote ? (
            <>
              <h3>{t("subprocessors.detail.internalNote")}</h3>
              <p>{s.internalNote}</p>
            </>
          ) : null}
        </section>
      </div>

      <section aria-labelledby="sp-changes">
        <h2 id="sp-changes">{t("subprocessors.detail.changes")}</h2>
        {changes.length === 0 ? (
          <p className="muted">{t("subprocessors.detail.noChanges")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("subprocessors.col.kind")}</th>
                  <th scope="col">{t("subprocessors.col.status")}</th>
                  <th scope="col">{t("subprocessors.col.plannedStart")}</th>
                  <th scope="col">{t("subprocessors.col.sent")}</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/subprocessors/changes/${c.id}`}>{t(`subprocessors.kind.${c.kind}`)}</Link>
                      {c.role === "replaced" ? <span className="muted small"> · {t("subprocessors.detail.roleReplaced")}</span> : null}
                    </td>
                    <td>{t(`subprocessors.changeStatus.${c.status}`)}</td>
                    <td>
                      <time dateTime={c.plannedStart}>{c.plannedStartDisplay}</time>
                    </td>
                    <td>{c.sentAt ? <time dateTime={c.sentAt}>{c.sentDisplay}</time> : t("subprocessors.none")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="sp-customers">
        <h2 id="sp-customers">
          {inUse ? t("subprocessors.detail.customers") : t("subprocessors.detail.customersNotInUse")} ({customers.total})
        </h2>
        <p className="muted small">{inUse ? t("subprocessors.detail.customersHint") : t("subprocessors.detail.customersNotInUseHint")}</p>
        {customers.items.length === 0 ? (
          <p className="empty">{t("subprocessors.detail.noCustomers")}</p>
        ) : (
          <ul>
            {customers.items.map((c) => (
              <li key={c.id}>
                <Link to={`/customers/${c.id}`}>{c.name}</Link>
                {c.city ? <span className="muted small"> · {c.city}</span> : null}
              </li>
            ))}
          </ul>
        )}
        <nav className="pagination" aria-label={t("subprocessors.pagination")}>
          {searchParams.get("customers") ? <Link to={`/subprocessors/${s.id}#sp-customers`}>{t("common.first")}</Link> : null}
          {customers.next ? <Link to={`?customers=${customers.next}#sp-customers`}>{t("subprocessors.detail.moreCustomers")} →</Link> : null}
        </nav>
      </section>

      <section aria-labelledby="sp-history">
        <h2 id="sp-history">{t("subprocessors.detail.history")}</h2>
        {history.items.length === 0 ? (
          <p className="muted">{t("subprocessors.detail.noHistory")}</p>
        ) : (
          <ul className="timeline">
            {history.items.map((h) => (
              <li key={h.id}>
                <time dateTime={h.at}>{h.atDisplay}</time> · <strong>{historyLabel(t, h.event)}</strong> · {h.actorLabel}
                {h.changeId ? (
                  <>
                    {" "}
                    · <Link to={`/subprocessors/changes/${h.changeId}`}>{t("subprocessors.detail.viewChange")}</Link>
                  </>
                ) : null}
                {h.event === "updated"
                  ? historyDetails(h.data).map((line) => (
                      <div key={line} className="mono small">
                        {line}
                      </div>
                    ))
                  : null}
                {h.event === "excluded_for_customer" && typeof h.data.customerName === "string" ? (
                  <div className="small">
                    {h.data.customerName}
                    {typeof h.data.note === "string" ? ` · ${h.data.note}` : ""}
                  </div>
                ) : null}
                {h.event === "change_in_effect"
                  ? historyDetails((h.data.changed as Record<string, unknown>) ?? {}).map((line) => (
                      <div key={line} className="mono small">
                        {line}
                      </div>
                    ))
                  : null}
              </li>
            ))}
          </ul>
        )}
        <nav className="pagination" aria-label={t("subprocessors.pagination")}>
          {searchParams.get("history") ? <Link to={`/subprocessors/${s.id}#sp-history`}>{t("subprocessors.detail.newestHistory")}</Link> : null}
          {history.next ? <Link to={`?history=${history.next}#sp-history`}>{t("subprocessors.detail.olderHistory")} →</Link> : null}
        </nav>
      </section>
    </>
  );
}
