import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DownloadLink } from "~/components/download-progress";
import { useLocale, useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { displayDate } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { requireRegisterAccess } from "~/services/register-access.server";
import { EXPORT_FORMATS, effectiveRange, registerCatalog, registerCounts } from "~/services/registers/index.server";

export const meta = titleMeta("registers.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireRegisterAccess(request);
  const url = new URL(request.url);
  const range = effectiveRange(actor, url.searchParams);
  const rangeQuery = new URLSearchParams();
  if (range.from) rangeQuery.set("from", range.from);
  if (range.to) rangeQuery.set("to", range.to);
  const counts = await registerCounts(actor, rangeQuery, nowIso());
  const registers = registerCatalog()
    .filter((r) => counts[r.key] !== undefined)
    .map((r) => ({ ...r, rows: counts[r.key] ?? 0 }));
  return json({
    registers,
    range,
    rangeDisplay: { from: range.from ? displayDate(range.from) : null, to: range.to ? displayDate(range.to) : null },
    invalidRange: range.from !== null && range.to !== null && range.from > range.to,
    query: rangeQuery.toString(),
    // the formats travel with the data: a .server module is empty in the browser bundle
    formats: EXPORT_FORMATS,
  });
}

export default function RegistersIndex() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const suffix = data.query ? `?${data.query}` : "";
  const number = (n: number) => n.toLocaleString(locale === "nl" ? "nl-NL" : "en-GB");
  return (
    <>
      <div className="page-header">
        <h1>{t("registers.title")}</h1>
        <span>
          <a className="button secondary" href={`/registers/audit-pack.zip${suffix}`} download title={t("registers.auditPackHint")}>
            {t("registers.auditPack")}
          </a>
        </span>
      </div>
      <p>{t("registers.intro")}</p>
      <p className="small muted">{t("registers.formatsHint")}</p>
      <Form method="get" className="inline-form" aria-label={t("registers.range.legend")}>
        <div className="field">
          <label htmlFor="range-from">{t("registers.range.from")}</label>
          <input id="range-from" type="date" name="from" defaultValue={data.range.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="range-to">{t("registers.range.to")}</label>
          <input id="range-to" type="date" name="to" defaultValue={data.range.to ?? ""} />
        </div>
        <button type="submit">{t("registers.range.apply")}</button>
        {data.query ? (
          <Link className="button secondary" to="/registers">
            {t("registers.range.clear")}
          </Link>
        ) : null}
      </Form>
      {data.invalidRange ? <p className="form-error">{t("registers.range.invalid")}</p> : null}
      {(data.range.from || data.range.to) && !data.invalidRange ? (
        <p className="notice">
          {t("registers.range.active", { from: data.rangeDisplay.from ?? t("registers.range.open"), to: data.rangeDisplay.to ?? t("registers.range.open") })}
        </p>
      ) : null}
      {data.registers.map((r) => (
        <section key={r.key} className="card register-card" aria-labelledby={`register-${r.key}`}>
          <div className="page-header">
            <h2 id={`register-${r.key}`}>{r.title[locale]}</h2>
            <span className="badge neutral">{t("registers.rows", { count: number(r.rows) })}</span>
          </div>
          <p>{r.purpose[locale]}</p>
          <p className="small muted">{t("registers.dateBasis", { basis: r.dateBasis[locale] })}</p>
          <div className="register-downloads" role="group" aria-label={t("registers.downloads", { title: r.title[locale] })}>
            {data.formats.map((format) =>
              format === "pdf" && r.rows > r.pdfRowLimit ? (
                <span key={format} className="small muted">
                  {t("registers.pdfTooLarge", { limit: number(r.pdfRowLimit) })}
                </span>
              ) : (
                <DownloadLink
                  key={format}
                  href={`/registers/${r.key}.${format}${suffix}`}
                  label={t(`registers.format.${format}`)}
                  className="button secondary"
                  countLines={format === "csv" || format === "json"}
                />
              ),
            )}
          </div>
          {r.key === "audit-log" ? (
            <p>
              <Link to={`/registers/audit-log${suffix}`}>{t("registers.open.auditLog")} →</Link>
            </p>
          ) : null}
          {r.key === "breaches" ? (
            <p>
              <Link to={`/breaches/register${suffix}`}>{t("registers.open.breaches")} →</Link>
            </p>
          ) : null}
          <details>
            <summary>{t("registers.columns", { count: r.columns.length })}</summary>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("registers.col.header")}</th>
                    <th scope="col">{t("registers.col.key")}</th>
                    <th scope="col">{t("registers.col.description")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.columns.map((c) => (
                    <tr key={c.key}>
                      <td>{c.header[locale]}</td>
                      <td className="mono">{c.key}</td>
                      <td className="small">{c.description[locale]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      ))}
    </>
  );
}
