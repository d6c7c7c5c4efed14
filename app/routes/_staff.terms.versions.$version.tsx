import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { TermsGroups, TermsNotes } from "~/components/terms-view";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { notFound, nowIso } from "~/services/http.server";
import { customersOnVersion, getTermsVersion } from "~/services/terms.server";

export const meta = titleMeta("terms.version.title");

const Params = z.object({ version: z.coerce.number().int().min(1) });
const PageQuery = z.object({ after: z.string().max(500).optional(), before: z.string().max(500).optional() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw notFound();
  const page = PageQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const detail = await getTermsVersion(actor, parsed.data.version, nowIso());
  return json({ detail, customers: await customersOnVersion(actor, parsed.data.version, page) });
}

export default function TermsVersionPage() {
  const t = useT();
  const { detail, customers } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const paged = searchParams.has("after") || searchParams.has("before");
  return (
    <>
      <p>
        <Link to="/terms">← {t("terms.title")}</Link>
      </p>
      <div className="page-header">
        <h1>{t("terms.version.heading", { version: detail.version })}</h1>
        {detail.version > 1 ? (
          <Link className="button secondary" to={`/terms/compare?a=${detail.version - 1}&b=${detail.version}`}>
            {t("terms.version.compareWithPrevious", { version: detail.version - 1 })}
          </Link>
        ) : null}
      </div>
      <section className="card" aria-labelledby="version-facts">
        <h2 id="version-facts" className="visually-hidden">
          {t("terms.version.facts")}
        </h2>
        <dl className="facts">
          <dt>{t("terms.col.effectiveDate")}</dt>
          <dd>
            <time dateTime={detail.effectiveDate}>{detail.effectiveDateDisplay}</time>{" "}
            {detail.upcoming ? <span className="badge neutral">{t("terms.badge.upcoming")}</span> : null}
          </dd>
          <dt>{t("terms.col.reason")}</dt>
          <dd>{detail.reason}</dd>
          <dt>{t("terms.col.createdBy")}</dt>
          <dd>
            {detail.createdByName ?? t("terms.createdBySystem")} · {detail.createdAtDisplay}
          </dd>
          <dt>{t("terms.col.customers")}</dt>
          <dd>
            <a href="#version-customers">{detail.customerCount}</a>
          </dd>
        </dl>
        <p className="muted small">{t("terms.version.immutable")}</p>
      </section>
      <TermsGroups groups={detail.groups} />
      <TermsNotes notes={detail.notes} />
      <section aria-labelledby="version-customers">
        <h2 id="version-customers">{t("terms.version.customers", { count: customers.total })}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("terms.col.customer")}</th>
                <th scope="col">{t("terms.col.city")}</th>
                <th scope="col">{t("terms.col.contractStart")}</th>
                <th scope="col">{t("common.status")}</th>
              </tr>
            </thead>
            <tbody>
              {customers.customers.length === 0 ? (
                <tr>
                  <td colSpan={4} className="empty">
                    <strong>{t("terms.version.noCustomers")}</strong>
                    <br />
                    {t("terms.version.noCustomersHint")}
                  </td>
                </tr>
              ) : (
                customers.customers.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/customers/${c.id}/terms`}>{c.name}</Link>
                    </td>
                    <td>{c.city}</td>
                    <td>
                      <time dateTime={c.contractStart}>{c.contractStartDisplay}</time>
                    </td>
                    <td>
                      {c.archived ? (
                        <span className="badge neutral">{t("terms.customer.archived")}</span>
                      ) : (
                        <span className={`badge ${c.status === "active" ? "ok" : c.status === "ending" ? "warn" : "neutral"}`}>
                          {t(`customers.status.${c.status as "active" | "ending" | "ended"}`)}
                        </span>
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <nav className="pagination" aria-label={t("terms.pagination")}>
          {customers.previous ? <Link to={`?before=${encodeURIComponent(customers.previous)}#version-customers`}>← {t("common.previous")}</Link> : null}
          {paged ? <Link to="?#version-customers">{t("common.first")}</Link> : null}
          {customers.next ? <Link to={`?after=${encodeURIComponent(customers.next)}#version-customers`}>{t("common.next")} →</Link> : null}
          <span className="muted small">
            {t("common.showing", { count: customers.customers.length })} · {t("common.total", { count: customers.total })}
          </span>
        </nav>
      </section>
    </>
  );
}
