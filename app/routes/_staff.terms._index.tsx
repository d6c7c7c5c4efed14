import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TermsGroups, TermsNotes } from "~/components/terms-view";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import { getTermsOverview } from "~/services/terms.server";

export const meta = titleMeta("terms.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  return json(await getTermsOverview(actor, nowIso()));
}

export default function TermsOverviewPage() {
  const t = useT();
  const { current, versions, internalTargetHours, canWrite } = useLoaderData<typeof loader>();
  const upcoming = versions.filter((v) => v.upcoming);
  return (
    <>
      <div className="page-header">
        <h1>{t("terms.title")}</h1>
        <p>
          {canWrite && current !== null ? (
            <Link className="button" to="/terms/new">
              {t("terms.newVersion")}
            </Link>
          ) : null}{" "}
          {versions.length > 1 ? (
            <Link className="button secondary" to="/terms/compare">
              {t("terms.compare")}
            </Link>
          ) : null}
        </p>
      </div>
      <p>{t("terms.intro")}</p>
      {current === null ? (
        <p className="empty">
          <strong>{t("terms.noVersion")}</strong>
          <br />
          {t("terms.noVersionHint")}
        </p>
      ) : (
        <>
          <section className="card" aria-labelledby="terms-current">
            <h2 id="terms-current">{t("terms.currentVersion", { version: current.version })}</h2>
            <dl className="facts">
              <dt>{t("terms.col.effectiveDate")}</dt>
              <dd>
                <time dateTime={current.effectiveDate}>{current.effectiveDateDisplay}</time>
              </dd>
              <dt>{t("terms.col.reason")}</dt>
              <dd>{current.reason}</dd>
              <dt>{t("terms.col.customers")}</dt>
              <dd>
                <Link to={`/terms/versions/${current.version}#version-customers`}>{current.customerCount}</Link>
              </dd>
              <dt>{t("terms.internalTarget")}</dt>
              <dd>
                {t("terms.internalTargetValue", { hours: internalTargetHours })} <span className="badge warn">{t("terms.internalBadge")}</span>
                <br />
                <span className="muted small">{t("terms.internalTargetExplained")}</span>
              </dd>
            </dl>
            {upcoming.map((v) => (
              <p key={v.id} className="notice">
                {t("terms.upcoming", { version: v.version, date: v.effectiveDateDisplay })} <Link to={`/terms/versions/${v.version}`}>{t("terms.viewVersion", { version: v.version })}</Link>
              </p>
            ))}
          </section>
          <TermsGroups groups={current.groups} />
          <TermsNotes notes={current.notes} />
        </>
      )}
      <section aria-labelledby="terms-versions">
        <h2 id="terms-versions">{t("terms.versions")}</h2>
        {versions.length < 2 ? <p className="muted">{t("terms.compareNeedsTwo")}</p> : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("terms.col.version")}</th>
                <th scope="col">{t("terms.col.effectiveDate")}</th>
                <th scope="col">{t("terms.col.reason")}</th>
                <th scope="col">{t("terms.col.createdBy")}</th>
                <th scope="col">{t("terms.col.customers")}</th>
              </tr>
            </thead>
            <tbody>
              {versions.length === 0 ? (
                <tr>
                  <td colSpan={5} className="empty">
                    {t("terms.noVersion")}
                  </td>
                </tr>
              ) : (
                versions.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <Link to={`/terms/versions/${v.version}`}>v{v.version}</Link>{" "}
                      {v.id === current?.id ? <span className="badge ok">✓ {t("terms.badge.current")}</span> : null}
                      {v.upcoming ? <span className="badge neutral">{t("terms.badge.upcoming")}</span> : null}
                    </td>
                    <td>
                      <time dateTime={v.effectiveDate}>{v.effectiveDateDisplay}</time>
                    </td>
                    <td>{v.reason}</td>
                    <td>
                      {v.createdByName ?? t("terms.createdBySystem")}
                      <br />
                      <span className="muted small">{v.createdAtDisplay}</span>
                    </td>
                    <td>
                      <Link to={`/terms/versions/${v.version}`}>{v.customerCount}</Link>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
