import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { useLocalized } from "~/components/terms-view";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import { compareTermsVersions, listTermsVersions, type TermsChangeView } from "~/services/terms.server";

export const meta = titleMeta("terms.compare.title");

const Query = z.object({ a: z.coerce.number().int().min(1), b: z.coerce.number().int().min(1) });

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (query.success) return json({ comparison: await compareTermsVersions(actor, query.data.a, query.data.b, nowIso()) });
  // without a valid choice: the newest version against the one before it
  const versions = await listTermsVersions(actor, nowIso());
  if (versions.length < 2) return json({ comparison: null });
  throw redirect(`/terms/compare?a=${versions[1].version}&b=${versions[0].version}`);
}

function Side({ side, changed }: { side: TermsChangeView["before"]; changed: TermsChangeView["changed"] }) {
  const t = useT();
  const l = useLocalized();
  return (
    <>
      <p>
        <strong>{l(side.value)}</strong>
      </p>
      {side.items ? (
        <ul>
          {side.items.map((item) => (
            <li key={item.nl}>{l(item)}</li>
          ))}
        </ul>
      ) : null}
      <p className="muted small">{side.article ? l(side.article) : t("terms.compare.noArticle")}</p>
      {changed.includes("quote") && side.quote ? <blockquote className="small">“{side.quote}”</blockquote> : null}
      {changed.includes("note") ? (
        <p className="muted small">
          {t("terms.noteLabel")}: {side.note ?? t("common.none")}
        </p>
      ) : null}
    </>
  );
}

function NoteLines({ notes }: { notes: string }) {
  const t = useT();
  const lines = notes.split("\n").filter((line) => line.trim() !== "");
  if (lines.length === 0) return <p className="muted small">{t("common.none")}</p>;
  return (
    <ul className="small">
      {lines.map((line, index) => (
        <li key={index}>{line}</li>
      ))}
    </ul>
  );
}

export default function CompareTermsPage() {
  const t = useT();
  const l = useLocalized();
  const { comparison } = useLoaderData<typeof loader>();
  if (comparison === null) {
    return (
      <>
        <p>
          <Link to="/terms">← {t("terms.title")}</Link>
        </p>
        <h1>{t("terms.compare.title")}</h1>
        <p className="empty">{t("terms.compareNeedsTwo")}</p>
      </>
    );
  }
  const { a, b, changes, notes, versions } = comparison;
  return (
    <>
      <p>
        <Link to="/terms">← {t("terms.title")}</Link>
      </p>
      <h1>{t("terms.compare.heading", { a: a.version, b: b.version })}</h1>
      <Form method="get" className="inline-form">
        <div className="field">
          <label htmlFor="compare-a">{t("terms.compare.from")}</label>
          <select id="compare-a" name="a" defaultValue={a.version}>
            {versions.map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="compare-b">{t("terms.compare.to")}</label>
          <select id="compare-b" name="b" defaultValue={b.version}>
            {versions.map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("terms.compare.submit")}</button>
      </Form>
      <div className="cards">
        {[a, b].map((v, index) => (
          <section key={index} className="card" aria-labelledby={`compare-meta-${index}`}>
            <h2 id={`compare-meta-${index}`}>
              <Link to={`/terms/versions/${v.version}`}>v{v.version}</Link>
            </h2>
            <dl className="facts">
              <dt>{t("terms.col.effectiveDate")}</dt>
              <dd>{v.effectiveDateDisplay}</dd>
              <dt>{t("terms.col.reason")}</dt>
              <dd>{v.reason}</dd>
              <dt>{t("terms.col.createdBy")}</dt>
              <dd>{v.createdByName ?? t("terms.createdBySystem")}</dd>
              <dt>{t("terms.col.customers")}</dt>
              <dd>{v.customerCount}</dd>
            </dl>
          </section>
        ))}
      </div>
      <h2>{t("terms.compare.changes", { count: changes.length + (notes ? 1 : 0) })}</h2>
      {changes.length === 0 && notes === null ? <p className="empty">{a.version === b.version ? t("terms.compare.same") : t("terms.compare.none")}</p> : null}
      {changes.map((change) => (
        <section key={change.path} className="card" aria-labelledby={`change-${change.path}`}>
          <h3 id={`change-${change.path}`}>
            {l(change.label)}{" "}
            {change.changed.map((aspect) => (
              <span key={aspect} className="badge warn">
                {t(`terms.compare.aspect.${aspect}`)}
              </span>
            ))}
          </h3>
          <div className="cards">
            <div>
              <p className="muted small">{t("terms.compare.was", { version: a.version })}</p>
              <Side side={change.before} changed={change.changed} />
            </div>
            <div>
              <p className="muted small">{t("terms.compare.becomes", { version: b.version })} →</p>
              <Side side={change.after} changed={change.changed} />
            </div>
          </div>
        </section>
      ))}
      {notes ? (
        <section className="card" aria-labelledby="change-notes">
          <h3 id="change-notes">{t("terms.notes")}</h3>
          <div className="cards">
            <div>
              <p className="muted small">{t("terms.compare.was", { version: a.version })}</p>
              <NoteLines notes={notes.before} />
            </div>
            <div>
              <p className="muted small">{t("terms.compare.becomes", { version: b.version })} →</p>
              <NoteLines notes={notes.after} />
            </div>
          </div>
        </section>
      ) : null}
    </>
  );
}
