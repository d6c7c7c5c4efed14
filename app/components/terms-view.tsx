/**
 * Shared pieces of the terms screens: the grouped view of a profile version (or of a customer's
 * effective terms, with the source of each value), the profile's notes, the value inputs of one
 * terms field (used by the new-version form and the negotiated-deviation form), and the list of
 * form problems. Everything arrives from the loaders in both languages; these components pick
 * the visitor's language and hold no rules of their own.
 */
import { Fragment, useId } from "react";
import type { LocalizedText } from "~/domain/locale";
import { useLocale, useT } from "~/i18n/i18n";
import type { FormIssue, TermsFormValues } from "~/services/terms-form";
import type { FieldSourceView, TermsFieldEditorView, TermsFieldView, TermsGroupView } from "~/services/terms.server";

export function useLocalized(): (text: LocalizedText) => string {
  const locale = useLocale();
  return (text) => text[locale];
}

// ---------------------------------------------------------------------------------------
// Viewing

function SourceBadge({ source }: { source: FieldSourceView }) {
  const t = useT();
  const l = useLocalized();
  if (source.kind === "negotiated") {
    return (
      <p className="small">
        <span className="badge warn">{t("terms.source.negotiatedBadge")}</span> {t("terms.source.negotiated", { clause: source.clause, reason: source.reason })}
      </p>
    );
  }
  return (
    <p className="small">
      <span className="badge neutral">{t("terms.source.profileBadge", { version: source.version })}</span>{" "}
      {source.article ? l(source.article) : t("terms.source.profileNoArticle")}
    </p>
  );
}

export function TermsFieldValue({ field }: { field: TermsFieldView }) {
  const t = useT();
  const l = useLocalized();
  return (
    <>
      <p>
        {field.prose ? l(field.value) : <strong>{l(field.value)}</strong>}{" "}
        {field.internal ? <span className="badge warn">{t("terms.internalBadge")}</span> : null}
      </p>
      {field.items ? (
        <ul>
          {field.items.map((item) => (
            <li key={item.nl}>{l(item)}</li>
          ))}
        </ul>
      ) : null}
      {field.source ? <SourceBadge source={field.source} /> : field.article ? <p className="muted small">{l(field.article)}</p> : null}
      {field.quote ? <blockquote className="small">“{field.quote}”</blockquote> : null}
      {field.note ? (
        <p className="muted small">
          {t("terms.noteLabel")}: {field.note}
        </p>
      ) : null}
    </>
  );
}

/** A profile version (or a customer's effective terms) grouped by subject, one card per group. */
export function TermsGroups({ groups }: { groups: TermsGroupView[] }) {
  const t = useT();
  const l = useLocalized();
  return (
    <>
      {groups.map((group) => (
        <section key={group.key} className="card" aria-labelledby={`terms-group-${group.key}`}>
          <h2 id={`terms-group-${group.key}`}>{t(`terms.group.${group.key}`)}</h2>
          <dl className="facts">
            {group.fields.map((field) => (
              <Fragment key={field.path}>
                <dt id={`field-${field.path}`}>{l(field.label)}</dt>
                <dd>
                  <TermsFieldValue field={field} />
                </dd>
              </Fragment>
            ))}
          </dl>
        </section>
      ))}
    </>
  );
}

export function TermsNotes({ notes }: { notes: string }) {
  const t = useT();
  const lines = notes.split("\n").filter((line) => line.trim() !== "");
  return (
    <section className="card" aria-labelledby="terms-notes">
      <h2 id="terms-notes">{t("terms.notes")}</h2>
      {lines.length === 0 ? (
        <p className="muted">{t("terms.notesEmpty")}</p>
      ) : (
        <ul>
          {lines.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------
// Form problems

/** The issues about one input or one field (its own path and the paths below it). */
export function issuesAt(issues: readonly FormIssue[] | undefined, path: string): FormIssue[] {
  return (issues ?? []).filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`));
}

export function IssueMessages({ issues, id }: { issues: FormIssue[]; id?: string }) {
  const l = useLocalized();
  if (issues.length === 0) return null;
  return (
    <div className="form-error" role="alert" id={id}>
      {issues.length === 1 ? (
        l(issues[0].message)
      ) : (
        <ul>
          {issues.map((issue, index) => (
            <li key={index}>{l(issue.message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------
// Editing one field's value

function stringValue(values: TermsFormValues, name: string): string {
  const value = values[name];
  return typeof value === "string" ? value : "";
}

function NumberInput({ name, label, values, hint, min }: { name: string; label: string; values: TermsFormValues; hint?: string; min?: number }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      ) : null}
      <input id={id} name={name} type="number" inputMode="decimal" step="any" min={min} defaultValue={stringValue(values, name)} aria-describedby={hint ? `${id}-hint` : undefined} />
    </div>
  );
}

function Checkbox({ name, label, values, value = "true" }: { name: string; label: string; values: TermsFormValues; value?: string }) {
  const current = values[name];
  const checked = Array.isArray(current) ? current.includes(value) : current === value;
  return (
    <p>
      <label>
        <input type="checkbox" name={name} value={value} defaultChecked={checked} /> {label}
      </label>
    </p>
  );
}

function Select({ name, label, values, options }: { name: string; label: string; values: TermsFormValues; options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={stringValue(values, name)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function TextArea({ name, label, values, rows = 3 }: { name: string; label: string; values: TermsFormValues; rows?: number }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} rows={rows} defaultValue={stringValue(values, name)} />
    </div>
  );
}

function PeriodInputs({ name, values, noneLabel, legend }: { name: string; values: TermsFormValues; noneLabel: string; legend?: string }) {
  const t = useT();
  const units = (["days", "weeks", "months"] as const).map((unit) => ({ value: unit, label: t(`terms.form.unit.${unit}`) }));
  return (
    <div>
      {legend ? <p className="small">{legend}</p> : null}
      <div className="inline-form">
        <NumberInput name={`${name}.value.amount`} label={t("terms.form.amount")} values={values} min={1} />
        <Select name={`${name}.value.unit`} label={t("terms.form.unit")} values={values} options={units} />
      </div>
      <Checkbox name={`${name}.none`} label={noneLabel} values={values} />
    </div>
  );
}

function LocalizedTextInputs({ name, values }: { name: string; values: TermsFormValues }) {
  const t = useT();
  return (
    <>
      <TextArea name={`${name}.nl`} label={t("terms.form.textNl")} values={values} />
      <TextArea name={`${name}.en`} label={t("terms.form.textEn")} values={values} />
    </>
  );
}

/**
 * The item checkboxes in the order the browser will send them back: the chosen items first, in
 * their stored order, then the others. So an untouched list comes back in the same order and a
 * new version does not show a change nobody made.
 */
export function itemOptionsInOrder<O extends { value: string }>(options: readonly O[], selected: string | string[] | undefined): O[] {
  const chosen = Array.isArray(selected) ? selected : selected ? [selected] : [];
  const rank = (value: string) => {
    const index = chosen.indexOf(value);
    return index === -1 ? chosen.length + options.findIndex((o) => o.value === value) : index;
  };
  return [...options].sort((a, b) => rank(a.value) - rank(b.value));
}

/** The value inputs of one terms field, named under its path (see app/services/terms-form.ts). */
export function TermsValueInputs({ field, values }: { field: TermsFieldEditorView; values: TermsFormValues }) {
  const t = useT();
  const l = useLocalized();
  const p = field.path;
  const none = field.noneLabel ? l(field.noneLabel) : "";
  switch (field.kind) {
    case "hours":
      return (
        <>
          <NumberInput name={`${p}.value`} label={t("terms.form.hours")} values={values} min={0} />
          <Checkbox name={`${p}.none`} label={none} values={values} />
        </>
      );
    case "months":
      return (
        <>
          <NumberInput name={`${p}.value`} label={t("terms.form.months")} values={values} min={1} />
          <Checkbox name={`${p}.none`} label={none} values={values} />
        </>
      );
    case "choice":
    case "optionalChoice":
      return (
        <Select
          name={`${p}.value`}
          label={t("terms.form.choose")}
          values={values}
          options={[...(field.kind === "optionalChoice" ? [{ value: "", label: none }] : []), ...field.options.map((o) => ({ value: o.value, label: l(o.label) }))]}
        />
      );
    case "items":
      return (
        <fieldset>
          <legend className="small">{t("terms.form.items")}</legend>
          {itemOptionsInOrder(field.options, values[`${p}.value`]).map((option) => (
            <Checkbox key={option.value} name={`${p}.value`} value={option.value} label={l(option.label)} values={values} />
          ))}
        </fieldset>
      );
    case "flag":
      return <Checkbox name={`${p}.value`} label={t("terms.form.applies")} values={values} />;
    case "period":
    case "objectionWindow":
      return (
        <>
          <PeriodInputs name={p} values={values} noneLabel={none} />
          {field.kind === "objectionWindow" ? <p className="muted small">{t("terms.form.objectionFrom")}</p> : null}
        </>
      );
    case "text":
      return (
        <>
          <Checkbox name={`${p}.none`} label={none} values={values} />
          <LocalizedTextInputs name={`${p}.value`} values={values} />
        </>
      );
    case "dpaChange":
      return (
        <>
          <PeriodInputs name={`${p}.value.noticePeriod`} legend={t("terms.form.noticePeriod")} values={values} noneLabel={t("terms.form.none.dpaChangeNotice.noticePeriod")} />
          <PeriodInputs name={`${p}.value.responseWindow`} legend={t("terms.form.responseWindow")} values={values} noneLabel={t("terms.form.none.dpaChangeNotice.responseWindow")} />
          <LocalizedTextInputs name={`${p}.value.text`} values={values} />
        </>
      );
    case "liability":
      return (
        <>
          <Checkbox name={`${p}.none`} label={none} values={values} />
          <LocalizedTextInputs name={`${p}.value.text`} values={values} />
          <NumberInput name={`${p}.value.amountEur`} label={t("terms.form.amountEur")} hint={t("terms.form.amountEurHint")} values={values} min={0} />
        </>
      );
    case "noticeRule":
      return (
        <>
          <Select
            name={`${p}.value.kind`}
            label={t("terms.form.noticeKind")}
            values={values}
            options={[
              { value: "none", label: none },
              { value: "fixed", label: t("terms.form.noticeKind.fixed") },
              { value: "by_term_length", label: t("terms.form.noticeKind.by_term_length") },
            ]}
          />
          <NumberInput name={`${p}.value.months`} label={t("terms.form.noticeMonths")} hint={t("terms.form.noticeMonthsHint")} values={values} min={1} />
          <div className="inline-form">
            <NumberInput name={`${p}.value.maxShortTermMonths`} label={t("terms.form.maxShortTermMonths")} values={values} min={1} />
            <NumberInput name={`${p}.value.shortTermNoticeMonths`} label={t("terms.form.shortTermNoticeMonths")} values={values} min={1} />
            <NumberInput name={`${p}.value.longTermNoticeMonths`} label={t("terms.form.longTermNoticeMonths")} values={values} min={1} />
          </div>
          <p className="muted small">{t("terms.form.byTermLengthHint")}</p>
        </>
      );
  }
}

/**
 * One field of the new-version form: its value inputs, then (folded, with the article in the
 * summary) its article reference, quoted text and note; its problems at the top.
 */
export function TermsFieldEditor({ field, values, issues }: { field: TermsFieldEditorView; values: TermsFormValues; issues: FormIssue[] }) {
  const t = useT();
  const l = useLocalized();
  const p = field.path;
  const mine = issuesAt(issues, p);
  const sourceHasIssue = mine.some((issue) => /\.(article|quote|note)$/.test(issue.path));
  const article = stringValue(values, `${p}.article`);
  return (
    // a group rather than a <fieldset>: a fieldset is as wide as its widest select option, which breaks narrow screens
    <div className="card" role="group" id={`field-${p}`} aria-labelledby={`field-${p}-label`}>
      <h3 id={`field-${p}-label`}>{l(field.label)}</h3>
      <IssueMessages issues={mine} />
      <TermsValueInputs field={field} values={values} />
      <details open={sourceHasIssue || undefined}>
        <summary>{article ? t("terms.form.source", { article }) : t("terms.form.sourceEmpty")}</summary>
        <div className="field">
          <label htmlFor={`${p}-article`}>{t("terms.form.article")}</label>
          <input id={`${p}-article`} name={`${p}.article`} defaultValue={article} />
        </div>
        <TextArea name={`${p}.quote`} label={t("terms.form.quote")} values={values} rows={4} />
        <TextArea name={`${p}.note`} label={t("terms.form.note")} values={values} rows={2} />
      </details>
    </div>
  );
}
