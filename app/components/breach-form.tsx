import { zodResolver } from "@hookform/resolvers/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { CheckboxGroup, Field, FormError, SelectField, TextAreaField, useValidatedSubmit } from "~/components/form";
import { BreachFormSchema, type BreachFormInput } from "~/domain/breach-form";
import { BREACH_TYPES, RISK_LEVELS, SUBJECTS_NOTICE_DECISIONS } from "~/domain/breach-enums";
import { dataCategoryCatalogue, dataSubjectCatalogue, type CatalogueEntry } from "~/domain/processing-catalogue";
import { useLocale, useT } from "~/i18n/i18n";

type ListName = "breachTypes" | "serviceIds" | "dataCategories" | "dataSubjects";
type TextName = Exclude<keyof BreachFormInput, ListName | "ongoing" | "crossBorder">;

type Options = {
  services: { id: string; nameNl: string; nameEn: string }[];
  subprocessors: { id: string; name: string; status: string }[];
};

/**
 * The breach record, for logging and editing. Only the title, the discovery time, the type and the
 * source are needed to start the clocks; everything else can follow. The browser validates with the
 * same schema as the server, then posts the real form, so it works the same without JavaScript.
 */
export function BreachForm({
  defaults,
  options,
  serverErrors,
  submitLabel,
  cancelTo,
  editing,
}: {
  defaults: BreachFormInput;
  options: Options;
  serverErrors?: Record<string, string>;
  submitLabel: string;
  cancelTo: string;
  editing: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<BreachFormInput>({ resolver: zodResolver(BreachFormSchema), defaultValues: defaults, mode: "onSubmit" });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const err = (name: keyof BreachFormInput) => errors[name]?.message ?? serverErrors?.[name];
  // the values are also written into the HTML, so the form shows them before (and without) JavaScript
  const field = (name: TextName) => ({ ...register(name), defaultValue: String(defaults[name] ?? "") });
  const box = (name: "ongoing" | "crossBorder") => ({ ...register(name), defaultChecked: Boolean(defaults[name]) });
  const group = (name: ListName) => (value: string) => ({ ...register(name), defaultChecked: (defaults[name] as readonly string[]).includes(value) });
  const flagged = (entry: CatalogueEntry) =>
    entry.special || entry.nationalId || entry.criminal ? (
      <span className="badge warn">
        <span aria-hidden="true">⚠</span> {t(entry.nationalId ? "customerForm.nationalId" : entry.criminal ? "customerForm.criminal" : "customerForm.special")}
      </span>
    ) : null;
  const catalogueOptions = (catalogue: Record<string, CatalogueEntry>) =>
    Object.entries(catalogue).map(([key, entry]) => ({
      value: key,
      label: (
        <>
          {entry[locale]} {flagged(entry)}
        </>
      ),
    }));

  return (
    <Form
      method="post"
      noValidate
      onSubmit={onValidSubmit}
    >
      <FormError message={serverErrors?.form} />
      {Object.keys(errors).length > 0 ? (
        <p className="form-error" role="alert">
          {t("breaches.form.fixErrors")}
        </p>
      ) : null}
      <fieldset>
        <legend>{t("breaches.form.incident")}</legend>
        <Field label={t("breaches.field.title")} hint={t("breaches.hint.title")} error={err("title")} {...field("title")} />
        <div className="form-grid">
          <SelectField
            label={t("breaches.field.classification")}
            error={err("classification")}
            options={[
              { value: "breach", label: t("breaches.classification.breach") },
              { value: "not_breach", label: t("breaches.classification.not_breach") },
            ]}
            {...field("classification")}
          />
        </div>
        <TextAreaField
          label={t("breaches.field.classificationReasoning")}
          hint={t("breaches.hint.classificationReasoning")}
          error={err("classificationReasoning")}
          {...field("classificationReasoning")}
        />
      </fieldset>

      <fieldset>
        <legend>{t("breaches.form.what")}</legend>
        <TextAreaField label={t("breaches.field.nature")} hint={t("breaches.hint.nature")} error={err("nature")} {...field("nature")} />
        <CheckboxGroup
          legend={t("breaches.field.breachTypes")}
          error={err("breachTypes")}
          options={BREACH_TYPES.map((type) => ({ value: type, label: t(`breaches.type.${type}`) }))}
          inputProps={group("breachTypes")}
        />
      </fieldset>

      <fieldset>
        <legend>{t("breaches.form.source")}</legend>
        <div className="form-grid">
          <SelectField
            label={t("breaches.field.sourceKind")}
            error={err("sourceKind")}
            options={[
              { value: "own_systems", label: t("breaches.source.own_systems") },
              { value: "subprocessor", label: t("breaches.source.subprocessor") },
            ]}
            {...field("sourceKind")}
          />
          <SelectField
            label={t("breaches.field.subprocessorId")}
            error={err("subprocessorId")}
            options={[
              { value: "", label: options.subprocessors.length === 0 ? t("breaches.form.noSubprocessors") : t("breaches.form.chooseSubprocessor") },
              ...options.subprocessors.map((s) => ({ value: s.id, label: s.status === "retired" ? `${s.name} (${t("breaches.form.retired")})` : s.name })),
            ]}
            {...field("subprocessorId")}
          />
          <Field
            label={t("breaches.field.subprocessorReportedAt")}
            hint={t("breaches.hint.subprocessorReportedAt")}
            type="datetime-local"
            error={err("subprocessorReportedAt")}
            {...field("subprocessorReportedAt")}
          />
        </div>
        <CheckboxGroup
          legend={t("breaches.field.serviceIds")}
          error={err("serviceIds")}
          options={options.services.map((s) => ({ value: s.id, label: locale === "en" ? s.nameEn : s.nameNl }))}
          inputProps={group("serviceIds")}
        />
        <p className="muted small">{t("breaches.hint.source")}</p>
      </fieldset>

      <fieldset>
        <legend>{t("breaches.form.timeline")}</legend>
        <p className="muted small">{t("breaches.hint.timezone")}</p>
        <div className="form-grid">
          <Field label={t("breaches.field.discoveredAt")} type="datetime-local" error={err("discoveredAt")} {...field("discoveredAt")} />
          <Field
            label={t("breaches.field.shouldHaveKnownAt")}
            hint={t("breaches.hint.shouldHaveKnownAt")}
            type="datetime-local"
            error={err("shouldHaveKnownAt")}
            {...field("shouldHaveKnownAt")}
          />
          <Field label={t("breaches.field.occurredFrom")} type="datetime-local" error={err("occurredFrom")} {...field("occurredFrom")} />
          <Field
            label={t("breaches.field.occurredTo")}
            hint={t("breaches.hint.occurredTo")}
            type="datetime-local"
            error={err("occurredTo")}
            {...field("occurredTo")}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" {...box("ongoing")} /> {t("breaches.field.ongoing")}
        </label>
      </fieldset>

      <fieldset>
        <legend>{t("breaches.form.data")}</legend>
        <CheckboxGroup
          legend={t("breaches.field.dataCategories")}
          error={err("dataCategories")}
          options={catalogueOptions(dataCategoryCatalogue)}
          inputProps={group("dataCategories")}
        />
        <TextAreaField
          label={t("breaches.field.dataCategoriesNote")}
          hint={t("breaches.hint.dataCategoriesNote")}
          error={err("dataCategoriesNote")}
          {...field("dataCategoriesNote")}
        />
        <CheckboxGroup
          legend={t("breaches.field.dataSubjects")}
          error={err("dataSubjects")}
          options={catalogueOptions(dataSubjectCatalogue)}
          inputProps={group("dataSubjects")}
        />
        <div className="form-grid">
          <Field
            label={t("breaches.field.subjectsMin")}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            error={err("subjectsMin")}
            {...field("subjectsMin")}
          />
          <Field
            label={t("breaches.field.subjectsMax")}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            error={err("subjectsMax")}
            {...field("subjectsMax")}
          />
          <Field
            label={t("breaches.field.recordsMin")}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            error={err("recordsMin")}
            {...field("recordsMin")}
          />
          <Field
            label={t("breaches.field.recordsMax")}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            error={err("recordsMax")}
            {...field("recordsMax")}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" {...box("crossBorder")} /> {t("breaches.field.crossBorder")}
        </label>
      </fieldset>

      <fieldset>
        <legend>{t("breaches.form.effects")}</legend>
        <TextAreaField label={t("breaches.field.protection")} hint={t("breaches.hint.protection")} error={err("protection")} {...field("protection")} />
        <TextAreaField label={t("breaches.field.consequences")} error={err("consequences")} {...field("consequences")} />
        <TextAreaField label={t("breaches.field.measuresTaken")} error={err("measuresTaken")} {...field("measuresTaken")} />
        <TextAreaField label={t("breaches.field.measuresProposed")} error={err("measuresProposed")} {...field("measuresProposed")} />
      </fieldset>

      <fieldset>
        <legend>{t("breaches.form.contact")}</legend>
        <div className="form-grid">
          <Field label={t("breaches.field.contactName")} error={err("contactName")} {...field("contactName")} />
          <Field label={t("breaches.field.contactEmail")} type="email" error={err("contactEmail")} {...field("contactEmail")} />
          <Field label={t("breaches.field.contactPhone")} type="tel" error={err("contactPhone")} {...field("contactPhone")} />
        </div>
        <TextAreaField
          label={t("breaches.field.followUpContact")}
          hint={t("breaches.hint.followUpContact")}
          error={err("followUpContact")}
          {...field("followUpContact")}
        />
      </fieldset>

      <fieldset>
        <legend>{t("breaches.form.assessment")}</legend>
        <div className="form-grid">
          <SelectField
            label={t("breaches.field.riskLevel")}
            error={err("riskLevel")}
            options={[
              { value: "", label: t("breaches.risk.unassessed") },
              ...RISK_LEVELS.map((level) => ({ value: level, label: t(`breaches.risk.${level}`) })),
            ]}
            {...field("riskLevel")}
          />
          <SelectField
            label={t("breaches.field.subjectsNotice")}
            error={err("subjectsNotice")}
            options={SUBJECTS_NOTICE_DECISIONS.map((d) => ({ value: d, label: t(`breaches.subjectsNotice.${d}`) }))}
            {...field("subjectsNotice")}
          />
        </div>
        <TextAreaField
          label={t("breaches.field.riskReasoning")}
          hint={t("breaches.hint.riskReasoning")}
          error={err("riskReasoning")}
          {...field("riskReasoning")}
        />
        <TextAreaField
          label={t("breaches.field.subjectsNoticeReasoning")}
          hint={t("breaches.hint.subjectsNoticeReasoning")}
          error={err("subjectsNoticeReasoning")}
          {...field("subjectsNoticeReasoning")}
        />
      </fieldset>

      {editing ? (
        <fieldset>
          <legend>{t("breaches.form.change")}</legend>
          <TextAreaField label={t("breaches.field.changeNote")} hint={t("breaches.hint.changeNote")} error={err("changeNote")} {...field("changeNote")} />
        </fieldset>
      ) : null}

      <div className="form-actions">
        <button type="submit" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
        <Link to={cancelTo}>{t("common.cancel")}</Link>
      </div>
    </Form>
  );
}
