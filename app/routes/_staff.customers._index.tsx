import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { CustomerListQuery, listCustomers, type CustomerSort } from "~/services/customers.server";
import { displayDate } from "~/services/display.server";

export const meta = titleMeta("customers.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const canWrite = actor.role !== "auditor";
  const query = CustomerListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listCustomers(actor, query);
  return json({
    canWrite,
    query,
    ...page,
    customers: page.customers.map((c) => ({ ...c, contractStartDisplay: displayDate(c.contractStart) })),
  });
}

const columns: { key: CustomerSort; label: MessageKey }[] = [
  { key: "name", label: "customers.name" },
  { key: "city", label: "customers.city" },
  { key: "contractStart", label: "customers.contractStart" },
];

export default function CustomerList() {
  const t = useT();
  const { query, customers, total, next, previous, canWrite } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();

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
        <h1>{t("customers.title")}</h1>
        <p className="muted">
          {t("common.total", { count: total })} ·{" "}
          <Link to={linkWith({ archived: query.archived === "1" ? null : "1", after: null, before: null })}>
            {query.archived === "1" ? t("customerForm.showActive") : t("customerForm.showArchived")}
          </Link>
        </p>
        {canWrite ? (
          <Link className="button" to="/customers/new">
            {t("customerForm.new")}
          </Link>
        ) : null}
      </div>
      <Form method="get" className="inline-form" role="search">
        <div className="field">
          <label htmlFor="customer-search">{t("customers.searchLabel")}</label>
          <input id="customer-search" type="search" name="q" defaultValue={query.q} />
        </div>
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="dir" value={query.dir} />
        {query.archived === "1" ? <input type="hidden" name="archived" value="1" /> : null}
        <button type="submit">{t("common.search")}</button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = query.sort === c.key;
                const nextDir = active && query.dir === "asc" ? "desc" : "asc";
                return (
                  <th key={c.key} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : "none"} scope="col">
                    <Link to={linkWith({ sort: c.key, dir: nextDir, after: null, before: null })} aria-label={t("customers.sortBy", { column: t(c.label) })}>
                      {t(c.label)} {active ? (query.dir === "asc" ? "▲" : "▼") : ""}
                    </Link>
                  </th>
                );
              })}
              <th scope="col">{t("customers.kvk")}</th>
              <th scope="col">{t("customers.status")}</th>
            </tr>
          </thead>
          <tbody>
            {customers.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  <strong>{t("customers.empty")}</strong>
                  <br />
                  {t("customers.emptyHint")}
                </td>
              </tr>
            ) : (
              customers.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/customers/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>
                    {c.city}
                    {c.country !== "NL" ? ` (${c.country})` : ""}
                  </td>
                  <td>
                    <time dateTime={c.contractStart}>{c.contractStartDisplay}</time>
                  </td>
                  <td className="mono">{c.registrationNumber}</td>
                  <td>
                    <span className={`badge ${c.status === "active" ? "ok" : c.status === "ending" ? "warn" : "neutral"}`}>
                      {t(`customers.status.${c.status as "active" | "ending" | "ended"}`)}
                    </span>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label="Pagination">
        {previous ? <Link to={linkWith({ before: previous, after: null })}>← {t("common.previous")}</Link> : null}
        {query.after || query.before ? <Link to={linkWith({ before: null, after: null })}>{t("common.first")}</Link> : null}
        {next ? <Link to={linkWith({ after: next, before: null })}>{t("common.next")} →</Link> : null}
        <span className="muted small">{t("common.showing", { count: customers.length })}</span>
      </nav>
    </>
  );
}
