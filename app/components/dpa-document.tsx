import type { DpaAnnexBlock, DpaBlock, DpaCoverage, RenderedDpa } from "~/documents/dpa-template";
import { useLocale, useT } from "~/i18n/i18n";

function Block({ block }: { block: DpaBlock | DpaAnnexBlock }) {
  switch (block.kind) {
    case "paragraph":
      return (
        <p>
          {block.number ? <strong className="clause-number">{block.number} </strong> : null}
          {block.text}
        </p>
      );
    case "bullets":
      return (
        <ul>
          {block.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      );
    case "table":
      return (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {block.header.map((h, i) => (
                  <th key={i} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case "heading":
      return <h4>{block.text}</h4>;
  }
}

/** The DPA as a web page: exactly the clauses and annexes whose text is signed. */
export function DpaDocument({ rendered }: { rendered: RenderedDpa }) {
  return (
    <article className="dpa-document card">
      <h2>{rendered.title}</h2>
      {rendered.preamble.map((b, i) => (
        <Block key={`p${i}`} block={b} />
      ))}
      {rendered.clauses.map((clause) => (
        <section key={clause.number} aria-labelledby={`clause-${clause.number}`}>
          <h3 id={`clause-${clause.number}`}>
            {clause.number}. {clause.heading}
          </h3>
          {clause.blocks.map((b, i) => (
            <Block key={i} block={b} />
          ))}
        </section>
      ))}
      {rendered.annexes.map((annex) => (
        <section key={annex.number} aria-labelledby={`annex-${annex.number}`}>
          <h3 id={`annex-${annex.number}`}>
            {annex.label} – {annex.heading}
          </h3>
          {annex.blocks.map((b, i) => (
            <Block key={i} block={b} />
          ))}
        </section>
      ))}
    </article>
  );
}

/** Which clause covers each element of Art. 28(3) GDPR, and the gaps. */
export function DpaCoverageTable({ coverage }: { coverage: DpaCoverage }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="card" aria-labelledby="coverage">
      <h2 id="coverage">{t("dpas.coverage")}</h2>
      <p className="muted small">{t("dpas.coverageIntro")}</p>
      {coverage.gaps.length === 0 ? <p className="badge ok">{t("dpas.coverage.noGaps")}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("dpas.coverage.item")}</th>
              <th scope="col">{t("dpas.coverage.clauses")}</th>
            </tr>
          </thead>
          <tbody>
            {coverage.items.map((item) => (
              <tr key={item.key}>
                <td>
                  <strong>{item.article[locale]}</strong> {item.label[locale]}
                </td>
                <td>{item.locations.length > 0 ? item.locations.join(", ") : <span className="badge danger">{t("dpas.coverage.gap")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
