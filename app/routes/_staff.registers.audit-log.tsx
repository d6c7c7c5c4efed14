import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { DownloadLink } from "~/components/download-progress";
import { nlCatalog } from "~/i18n/catalog";
import { auditActionLabel, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireRegisterAccess } from "~/services/register-access.server";
import { EXPORT_FORMATS, auditTrailPage, verifyWorkspaceAuditChain } from "~/services/registers/index.server";

export const meta = titleMeta("registers.audit.title");

const ENTITY_TYPES = [
  "auditor_link",
  "breach",
  "breach_notice",
  "customer",
  "dpa",
  "end_of_contract_case",
  "end_of_contract_task",
  "register",
  "subprocessor",
  "subprocessor_change",
  "subprocessor_notice",
  "terms_version",
  "user",
  "workspace",
];

/** Filters: actor, customer, action, entity, from, to; `after` pages; `verify=1` recomputes the chain (a GET, so read-only auditors can run it). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireRegisterAccess(request);
  const url = new URL(request.url);
  const page = await auditTrailPage(actor, url.searchParams);
  const verification = url.searchParams.get("verify") === "1" ? await verifyWorkspaceAuditChain(actor) : null;
  const exportQuery = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...page.filters, from: page.range.from, to: page.range.to })) if (value) exportQuery.set(key, value);
  return json({
    ...page,
    verification,
    exportQuery: exportQuery.toString(),
    actions: Object.keys(nlCatalog)
      .filter((k) => k.startsWith("audit."))
      .map((k) => k.slice("audit.".length))
      .sort(),
    entityTypes: ENTITY_TYPES,
    // the formats travel with the data: a .server module is empty in the browser bundle
    formats: EXPORT_FORMATS,
  });
}

export default function AuditLogPage() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const number = (n: number) => n.toLocaleString(locale === "nl" ? "nl-NL" : "en-GB");
  const withParams = (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(searchParams);
    params.delete("verify");
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    const s = params.toString();
    return s ? `?${s}` : "?";
  };
  const exportSuffix = data.exportQuery ? `?${data.exportQuery}` : "";
  const v = data.verification;
  return (
    <>
      <p>
        <Link to="/registers">← {t("registers.title")}</Link>
      </p>
      <div className="page-header">
        <h1>{t("registers.audit.title")}</h1>
        <Form method="get" className="inline-form">
          {[...searchParams.entries()]
            .filter(([key]) => key !== "verify" && key !== "after")
            .map(([key, value]) => (
              <input key={key} type="hidden" name={key} value={value} />
            ))}
          <input type="hidden" name="verify" value="1" />
          <button type="submit" className="secondary" title={t("registers.audit.verifyHint")}>
            {t("registers.audit.verify")}
          </button>
        </Form>
      </div>
      <p className="muted">{t("registers.audit.intro")}</p>
      {v ? (
        v.ok ? (
          <p className="notice ok" role="status">
            ✓ {t("registers.audit.verify.ok", { count: number(v.checked) })}
          </p>
        ) : (
          <p className="form-error" role="alert">
            ✗{" "}
            {t("registers.audit.verify.broken", {
              seq: v.firstBroken.seq,
              id: v.firstBroken.id,
              reason: t(`registers.audit.reason.${v.firstBroken.reason}` as MessageKey),
              checked: number(v.checked),
            })}
          </p>
        )
      ) : null}
      <Form method="get" className="inline-form" role="search">
        <div className="field">
          <label htmlFor="audit-actor">{t("registers.audit.person")}</label>
          <select id="audit-actor" name="actor" defaultValue={data.filters.actor ?? ""}>
            <option value="">{t("registers.audit.anyPerson")}</option>
            {data.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.email})
              </option>
            ))}
            {data.filters.actor && !data.people.some((p) => p.id === data.filters.actor) ? <option value={data.filters.actor}>{data.filters.actor}</option> : null}
          </select>
        </div>
        {data.customers ? (
          <div className="field">
            <label htmlFor="audit-customer">{t("registers.audit.customer")}</label>
            <select id="audit-customer" name="customer" defaultValue={data.filters.customer ?? ""}>
              <option value="">{t("registers.audit.anyCustomer")}</option>
              {data.customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="audit-customer">{t("registers.audit.customerId")}</label>
            <input id="audit-customer" name="customer" defaultValue={data.filters.customer ?? ""} aria-describedby="audit-customer-hint" />
            <span id="audit-customer-hint" className="small muted">
              {data.selectedCustomer ? data.selectedCustomer.name : t("registers.audit.customerIdHint")}
            </span>
          </div>
        )}
        <div className="field">
          <label htmlFor="audit-action">{t("registers.audit.action")}</label>
          <input id="audit-action" name="action" list="audit-actions" defaultValue={data.filters.action ?? ""} />
          <datalist id="audit-actions">
            {data.actions.map((a) => (
              <option key={a} value={a}>
                {auditActionLabel(t, a)}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="audit-entity">{t("registers.audit.entity")}</label>
          <input id="audit-entity" name="entity" list="audit-entities" defaultValue={data.filters.entity ?? ""} />
          <datalist id="audit-entities">
            {data.entityTypes.map((e) => (
              <option key={e} value={e} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t("registers.audit.from")}</label>
          <input id="audit-from" type="date" name="from" defaultValue={data.range.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t("registers.audit.to")}</label>
          <input id="audit-to" type="date" name="to" defaultValue={data.range.to ?? ""} />
        </div>
        <button type="submit">{t("registers.audit.filter")}</button>
        <Link className="button secondary" to="/registers/audit-log">
          {t("registers.audit.reset")}
        </Link>
      </Form>
      {data.range.from && data.range.to && data.range.from > data.range.to ? <p className="form-error">{t("registers.audit.invalidRange")}</p> : null}
      <div className="register-downloads">
        <span className="small">
          {t("registers.audit.count", { count: number(data.total) })} · {t("registers.audit.exportSelection")}
        </span>
        {data.formats.map((format) =>
          format === "pdf" && data.total > 5000 ? null : (
            <DownloadLink
              key={format}
              href={`/registers/audit-log.${format}${exportSuffix}`}
              label={t(`registers.format.${format}`)}
              className="button secondary"
              countLines={format === "csv" || format === "json"}
            />
          ),
        )}
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("registers.audit.col.seq")}</th>
              <th scope="col">{t("registers.audit.col.at")}</th>
              <th scope="col">{t("registers.audit.col.actor")}</th>
              <th scope="col">{t("registers.audit.col.action")}</th>
              <th scope="col">{t("registers.audit.col.customer")}</th>
              <th scope="col">{t("registers.audit.col.data")}</th>
            </tr>
          </thead>
          <tbody>
            {data.events.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  <strong>{t("registers.audit.empty")}</strong>
                  <br />
                  {t("registers.audit.emptyHint")}
                </td>
              </tr>
            ) : (
              data.events.map((e) => (
                <tr key={e.id}>
                  <td className="mono">{e.seq}</td>
                  <td>
                    <time dateTime={e.at}>{e.atDisplay}</time>
                  </td>
                  <td className="small">
                    {e.actorUserId ? (
                      <Link to={withParams({ actor: e.actorUserId, after: null })} title={t("registers.audit.filterPerson")}>
                        {e.actorLabel}
                      </Link>
                    ) : (
                      e.actorLabel
                    )}
                  </td>
                  <td>
                    <span title={e.action}>{auditActionLabel(t, e.action)}</span>
                    <br />
                    <span className="small muted mono">
                      {e.entityType}
                      {e.entityId ? ` · ${e.entityId}` : ""}
                    </span>
                  </td>
                  <td className="small">
                    {e.customerId ? (
                      <Link to={withParams({ customer: e.customerId, after: null })} title={t("registers.audit.filterCustomer")}>
                        {e.customerName ?? e.customerId}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="small audit-data">
                    {e.dataLines.length === 0 ? (
                      <span className="muted">{t("registers.audit.noData")}</span>
                    ) : (
                      <ul>
                        {e.dataLines.map((line, i) => (
                          <li key={i}>{line}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label={t("registers.audit.pagination")}>
        {searchParams.get("after") ? <Link to={withParams({ after: null })}>{t("common.first")}</Link> : null}
        {data.next ? <Link to={withParams({ after: data.next })}>{t("common.next")} →</Link> : null}
        <span className="muted small">{t("common.showing", { count: data.events.length })}</span>
      </nav>
    </>
  );
}
