import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { listChanges } from "~/services/subprocessor-changes.server";

export const meta = titleMeta("subprocessors.changes.title");

const Query = z.object({
  status: z.enum(["all", "open", "draft", "awaiting_approval", "scheduled", "in_effect", "cancelled"]).catch("all").default("all"),
  after: z.string().max(500).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listChanges(actor, query, nowIso());
  return json({
    query,
    canWrite: actor.role !== "auditor",
    total: page.total,
    next: page.next,
    items: page.items.map((c) => ({ ...c, plannedStartDisplay: displayDate(c.plannedStart), sentDisplay: displayInstant(c.sentAt) })),
  });
}

const STATUS_BADGE = { draft: "neutral", awaiting_approval: "warn", scheduled: "ok", in_effect: "ok", cancelled: "neutral" } as const;

export default function ChangeList() {
  const t = useT();
  const { query, items, total, next, canWrite } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const filters = ["all", "open", "awaiting_approval", "scheduled", "in_effect", "cancelled"] as const;
  return (
    <>
      <div className="page-header">
        <h1>{t("subprocessors.changes.title")}</h1>
        {canWrite ? (
          <Link className="button" to="/subprocessors/changes/new">
            {t("subprocessors.list.announce")}
          </Link>
        ) : null}
      </div>
      <p>{t("subprocessors.changes.intro")}</p>
      <nav className="inline-form" aria-label={t("subprocessors.changes.filter")}>
        {filters.map((f) => {
          const label = f === "all" ? t("subprocessors.changes.all") : f === "open" ? t("subprocessors.changes.open") : t(`subprocessors.changeStatus.${f}`);
          return query.status === f ? (
            <strong key={f} aria-current="page">
              {label}
            </strong>
          ) : (
            <Link key={f} to={f === "all" ? "?" : `?status=${f}`}>
              {label}
            </Link>
          );
        })}
      </nav>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("subprocessors.col.kind")}</th>
              <th scope="col">{t("subprocessors.col.subprocessor")}</th>
              <th scope="col">{t("subprocessors.col.status")}</th>
              <th scope="col">{t("subprocessors.col.plannedStart")}</th>
              <th scope="col">{t("subprocessors.col.sent")}</th>
              <th scope="col">{t("subprocessors.col.customers")}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  <strong>{t("subprocessors.changes.empty")}</strong>
                  <br />
                  {t("subprocessors.changes.emptyHint")}
                </td>
              </tr>
            ) : (
              items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/subprocessors/changes/${c.id}`}>{t(`subprocessors.kind.${c.kind}`)}</Link>
                  </td>
                  <td>
                    {c.subprocessor.legalName}
                    {c.replaces ? <div className="muted small">{t("subprocessors.change.replaces")}: {c.replaces.legalName}</div> : null}
                  </td>
                  <td>
                    <span className={`badge ${STATUS_BADGE[c.status]}`}>{t(`subprocessors.changeStatus.${c.status}`)}</span>
                  </td>
                  <td>
                    <time dateTime={c.plannedStart}>{c.plannedStartDisplay}</time>
                  </td>
                  <td>{c.sentAt ? <time dateTime={c.sentAt}>{c.sentDisplay}</time> : t("subprocessors.none")}</td>
                  <td className="small">
                    {c.sentAt ? t("subprocessors.changes.notified", { count: c.notified }) : t("subprocessors.none")}
                    {c.openObjections > 0 ? (
                      <div>
                        <span className="badge warn">⚠ {t("subprocessors.changes.openObjections", { count: c.openObjections })}</span>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label={t("subprocessors.pagination")}>
        {query.after ? <Link to={query.status === "all" ? "?" : `?status=${query.status}`}>{t("common.first")}</Link> : null}
        {next ? (
          <Link
            to={`?${new URLSearchParams({ ...Object.fromEntries(searchParams), after: next }).toString()}`}
          >
            {t("common.next")} →
          </Link>
        ) : null}
        <span className="muted small">{t("subprocessors.changes.total", { count: total })}</span>
      </nav>
    </>
  );
}
