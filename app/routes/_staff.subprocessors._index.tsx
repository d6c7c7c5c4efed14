import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { useLocale, useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { displayDate } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";
import { listSubprocessors, locationLabels } from "~/services/subprocessors.server";

export const meta = titleMeta("subprocessors.title");

const Query = z.object({
  q: z.string().trim().max(200).catch("").default(""),
  status: z.enum(["all", "proposed", "active", "retired"]).catch("all").default("all"),
  after: z.string().max(500).optional(),
  before: z.string().max(500).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const locale = await resolveLocale(request);
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listSubprocessors(actor, query, nowIso());
  return json({
    query,
    canWrite: actor.role !== "auditor",
    total: page.total,
    counts: page.counts,
    next: page.next,
    previous: page.previous,
    items: page.items.map((item) => ({
      ...item,
      locations: locationLabels(item.locations, locale),
      startDisplay: displayDate(item.startDate),
      endDisplay: displayDate(item.endDate),
    })),
  });
}

export default function SubprocessorRegister() {
  const t = useT();
  const locale = useLocale();
  const { query, items, total, counts, next, previous, canWrite } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const all = counts.proposed + counts.active + counts.retired;

  function linkWith(changes: Record<string, string | null>): string {
    const params = new URLSearchParams(searchParams);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) params.delete(k);
      else params.set(k, v);
    }
    const s = params.toString();
    return s ? `?${s}` : "?";
  }

  return (
    <>
      <div className="page-header">
        <h1>{t("subprocessors.title")}</h1>
        {canWrite ? (
          <p>
            <Link className="button" to="/subprocessors/new">
              {t("subprocessors.list.new")}
            </Link>{" "}
            <Link className="button secondary" to="/subprocessors/changes/new">
              {t("subprocessors.list.announce")}
            </Link>
          </p>
        ) : null}
      </div>
      <p>{t("subprocessors.list.intro")}</p>
      <nav className="inline-form" aria-label={t("subprocessors.list.filterStatus")}>
        {(["all", "active", "proposed", "retired"] as const).map((status) => {
          const label = status === "all" ? t("subprocessors.list.all", { count: all }) : `${t(`subprocessors.status.${status}`)} (${counts[status]})`;
          return query.status === status ? (
            <strong key={status} aria-current="page">
              {label}
            </strong>
          ) : (
            <Link key={status} to={linkWith({ status: status === "all" ? null : status, after: null, before: null })}>
              {label}
            </Link>
          );
        })}
      </nav>
      <Form method="get" className="inline-form" role="search">
        <div className="field">
          <label htmlFor="subprocessor-search">{t("subprocessors.list.search")}</label>
          <input id="subprocessor-search" type="search" name="q" defaultValue={query.q} />
        </div>
        {query.status !== "all" ? <input type="hidden" name="status" value={query.status} /> : null}
        <button type="submit">{t("common.search")}</button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("subprocessors.col.name")}</th>
              <th scope="col">{t("subprocessors.col.locations")}</th>
              <th scope="col">{t("subprocessors.col.service")}</th>
              <th scope="col">{t("subprocessors.col.period")}</th>
              <th scope="col">{t("subprocessors.col.customers")}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  <strong>{t("subprocessors.list.empty")}</strong>
                  <br />
                  {t("subprocessors.list.emptyHint")}
                </td>
              </tr>
            ) : (
              items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/subprocessors/${s.id}`}>{s.legalName}</Link>
                    {s.tradeName && s.tradeName !== s.legalName ? <div className="muted small">{s.tradeName}</div> : null}
                    <div>
                      <span className={`badge ${s.status === "active" ? "ok" : s.status === "proposed" ? "warn" : "neutral"}`}>
                        {s.status === "active" ? "✓ " : s.status === "proposed" ? "◔ " : "– "}
                        {t(`subprocessors.status.${s.status}`)}
                      </span>
                    </div>
                  </td>
                  <td>
                    {s.locations.map((l, i) => (
                      <span key={l.code}>
                        {i > 0 ? ", " : null}
                        <abbr title={l.name}>{l.code}</abbr>
                        {l.outsideEea ? (
                          <>
                            {" "}
                            <span className="badge warn">⚠ {t("subprocessors.outsideEea")}</span>
                          </>
                        ) : null}
                      </span>
                    ))}
                    {s.transferSafeguard ? <div className="muted small">{t(`subprocessors.safeguard.${s.transferSafeguard}`)}</div> : null}
                  </td>
                  <td>
                    {s.service[locale]}
                    <div className="muted small">{s.serviceNames.map((n) => n[locale]).join(", ")}</div>
                  </td>
                  <td className="small">
                    {s.startDate ? <time dateTime={s.startDate}>{t("subprocessors.from", { date: s.startDisplay })}</time> : t("subprocessors.none")}
                    {s.endDate ? (
                      <>
                        <br />
                        <time dateTime={s.endDate}>{t("subprocessors.until", { date: s.endDisplay })}</time>
                      </>
                    ) : null}
                  </td>
                  <td>{s.customerCount ?? t("subprocessors.none")}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label={t("subprocessors.pagination")}>
        {previous ? <Link to={linkWith({ before: previous, after: null })}>← {t("common.previous")}</Link> : null}
        {query.after || query.before ? <Link to={linkWith({ before: null, after: null })}>{t("common.first")}</Link> : null}
        {next ? <Link to={linkWith({ after: next, before: null })}>{t("common.next")} →</Link> : null}
        <span className="muted small">
          {t("common.showing", { count: items.length })} · {t("common.total", { count: total })}
        </span>
      </nav>
    </>
  );
}
