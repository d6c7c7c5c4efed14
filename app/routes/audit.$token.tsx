import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DownloadLink } from "~/components/download-progress";
import { LanguageSwitch } from "~/components/language-switch";
import { isLocale, translator, useLocale, useT } from "~/i18n/i18n";
import { countPackDocuments, PACK_FORMATS } from "~/services/audit-pack.server";
import { openAuditorLink } from "~/services/auditor-links.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { registerCatalog } from "~/services/registers/index.server";

/** The link's token is in the address: never indexed, never sent on as a referrer, never cached. */
const PRIVATE_HEADERS = {
  "Cache-Control": "private, no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
};

export const headers: HeadersFunction = () => PRIVATE_HEADERS;

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const t = translator(isLocale(root?.locale) ? root.locale : "nl");
  return [{ title: `${t("auditpack.landing.title")} · ${t("app.name")}` }, { name: "robots", content: "noindex, nofollow" }];
};

const REGISTER_FORMATS = ["csv", "xlsx", "json", "pdf"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = nowIso();
  const opened = await openAuditorLink(request, params.token ?? "", now);
  if (!opened.ok) {
    return json(
      { ok: false as const, reason: opened.reason, at: displayInstant(opened.at) },
      { status: opened.reason === "unknown" ? 404 : 410, headers: { ...PRIVATE_HEADERS, "Set-Cookie": opened.setCookie } },
    );
  }
  const { actor } = opened;
  const catalog = registerCatalog().filter((r) => actor.registers === null || actor.registers.includes(r.key));
  const documents = await countPackDocuments(actor);
  return json(
    {
      ok: true as const,
      workspace: opened.workspace,
      label: actor.label,
      expires: displayInstant(opened.expiresAt),
      allRegisters: actor.registers === null,
      from: displayDate(actor.from),
      to: displayDate(actor.to),
      registers: catalog.map((r) => ({ key: r.key, title: r.title, purpose: r.purpose })),
      expectedFiles: 4 + catalog.length * PACK_FORMATS.length + documents,
    },
    { headers: { ...PRIVATE_HEADERS, "Set-Cookie": opened.setCookie } },
  );
}

export default function AuditorLanding() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <header className="topbar">
        <span className="brand">{data.ok ? data.workspace.name : t("app.name")}</span>
        <span className="spacer" />
        <LanguageSwitch />
      </header>
      <main id="main">
        {!data.ok ? (
          <div className="card">
            <h1>{t(`auditpack.landing.${data.reason}Title`)}</h1>
            <p role="alert">
              {data.reason === "unknown" ? t("auditpack.landing.unknownText") : t(`auditpack.landing.${data.reason}Text`, { at: data.at })}
            </p>
          </div>
        ) : (
          <>
            <h1>{t("auditpack.landing.title")}</h1>
            <p>{t("auditpack.landing.intro", { workspace: data.workspace.legalName })}</p>
            <dl className="facts">
              <dt>{t("auditpack.landing.workspace")}</dt>
              <dd>{data.workspace.legalName}</dd>
              <dt>{t("auditpack.landing.label")}</dt>
              <dd>{data.label}</dd>
              <dt>{t("auditpack.landing.expires")}</dt>
              <dd>{data.expires}</dd>
              <dt>{t("auditpack.landing.scope")}</dt>
              <dd>{data.allRegisters ? t("auditpack.links.allRegisters") : data.registers.map((r) => r.title[locale]).join(", ")}</dd>
              <dt>{t("auditpack.landing.period")}</dt>
              <dd>
                {data.from && data.to
                  ? t("auditpack.links.range", { from: data.from, to: data.to })
                  : data.from
                    ? t("auditpack.links.rangeFrom", { from: data.from })
                    : data.to
                      ? t("auditpack.links.rangeTo", { to: data.to })
                      : t("auditpack.links.allDates")}
              </dd>
            </dl>
            <p className="notice">{t("auditpack.landing.logged", { workspace: data.workspace.legalName })}</p>

            <section className="card" aria-labelledby="pack-title">
              <h2 id="pack-title">{t("auditpack.title")}</h2>
              <p>{t("auditpack.intro")}</p>
              <p>
                <DownloadLink href="/registers/audit-pack.zip" label={t("auditpack.download")} className="button" countLines={false} />{" "}
                <span className="muted small">{t("auditpack.expectedFiles", { count: data.expectedFiles })}</span>
              </p>
            </section>

            <section aria-labelledby="registers-title">
              <h2 id="registers-title">{t("auditpack.landing.registers")}</h2>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("auditpack.landing.register")}</th>
                      <th scope="col">{t("auditpack.landing.formats")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.registers.map((r) => (
                      <tr key={r.key}>
                        <td>
                          <strong>{r.title[locale]}</strong>
                          <br />
                          <span className="muted small">{r.purpose[locale]}</span>
                        </td>
                        <td>
                          {REGISTER_FORMATS.map((format, i) => (
                            <span key={format}>
                              {i > 0 ? " · " : null}
                              <DownloadLink href={`/registers/${r.key}.${format}`} label={format.toUpperCase()} countLines={format === "csv" || format === "json"} />
                            </span>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </>
        )}
      </main>
    </>
  );
}
