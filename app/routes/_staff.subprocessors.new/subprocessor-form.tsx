import { zodResolver } from "@hookform/resolvers/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { useForm } from "react-hook-form";
import { CheckboxGroup, Field, FormError, SelectField, TextAreaField, useErrorText, useValidatedSubmit } from "~/components/form";
import { dataCategoryCatalogue } from "~/domain/processing-catalogue";
import { SubprocessorFormSchema, type SubprocessorFormInput } from "~/domain/subprocessor-forms";
import type { SubprocessorStatus } from "~/domain/subprocessor-register";
import { useLocale, useT } from "~/i18n/i18n";

type Service = { id: string; nameNl: string; nameEn: string };

/**
 * Create and edit a register entry (also used by the edit route). The browser validates with the same
 * zod schema as the server, then posts the real form (multipart, for the PDF), so the request is the
 * same with and without JavaScript.
 *
 * `mode.kind === "edit"`: the status can only change from proposed to retired (withdrawing a
 * proposal); locations, safeguard and purpose of an active entry are read-only (they change through a
 * change notice).
 */
export function SubprocessorForm({
  defaults,
  services,
  serverErrors,
  mode,
  cancelTo,
}: {
  defaults: SubprocessorFormInput;
  services: Service[];
  serverErrors?: Record<string, string>;
  mode: { kind: "create" } | { kind: "edit"; status: SubprocessorStatus; document: { filename: string } | null };
  cancelTo: string;
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const errorText = useErrorText();
  const documentId = useId();
  const safeguardId = useId();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<SubprocessorFormInput>({ resolver: zodResolver(SubprocessorFormSchema), defaultValues: defaults, mode: "onSubmit" });
  const onValidSubmit = useValidatedSubmit(handleSubmit, { encType: "multipart/form-data" });
  // defaultValue/defaultChecked as attributes too: without JavaScript react-hook-form never fills the inputs
  const field = (name: Exclude<keyof SubprocessorFormInput, "dataCategories" | "serviceIds">) => ({ ...register(name), defaultValue: defaults[name] });
  const listField = (name: "dataCategories" | "serviceIds", value: string) => ({ ...register(name), defaultChecked: defaults[name].includes(value) });
  const err = (name: keyof SubprocessorFormInput | "document") =>
    (name !== "document" ? errors[name]?.message : undefined) ?? serverErrors?.[name];
  const locked = mode.kind === "edit" && mode.status === "active";
  const statusOptions: SubprocessorStatus[] =
    mode.kind === "create" ? ["proposed", "active", "retired"] : mode.status === "proposed" ? ["proposed", "retired"] : [mode.status];
  const documentError = errorText(err("document"));
  const safeguardError = errorText(err("transferSafeguard"));

  return (
    <Form
      method="post"
      encType="multipart/form-data"
      noValidate
      onSubmit={onValidSubmit}
    >
      <FormError message={serverErrors?.form} />
      <fieldset>
        <legend>{t("subprocessors.form.identity")}</legend>
        <div className="form-grid">
          <Field label={t("subprocessors.form.legalName")} error={err("legalName")} autoComplete="organization" {...field("legalName")} />
          <Field label={t("subprocessors.form.tradeName")} error={err("tradeName")} {...field("tradeName")} />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("subprocessors.form.processing")}</legend>
        <div className="form-grid">
          <TextAreaField label={t("subprocessors.form.serviceNl")} lang="nl" error={err("serviceNl")} {...field("serviceNl")} />
          <TextAreaField label={t("subprocessors.form.serviceEn")} lang="en" error={err("serviceEn")} {...field("serviceEn")} />
        </div>
        {locked ? <p className="notice">{t("subprocessors.form.lockedHint")}</p> : null}
        <div className="form-grid">
          <TextAreaField label={t("subprocessors.form.purposeNl")} lang="nl" readOnly={locked} error={err("purposeNl")} {...field("purposeNl")} />
          <TextAreaField label={t("subprocessors.form.purposeEn")} lang="en" readOnly={locked} error={err("purposeEn")} {...field("purposeEn")} />
        </div>
        <div className="form-grid">
          <Field
            label={t("subprocessors.form.locations")}
            hint={t("subprocessors.form.locationsHint")}
            readOnly={locked}
            autoCapitalize="characters"
            error={err("locations")}
            {...field("locations")}
          />
          {locked ? (
            <div className="field">
              <span>
                <strong>{t("subprocessors.form.safeguard")}</strong>
              </span>
              <span>{defaults.transferSafeguard ? t(`subprocessors.safeguard.${defaults.transferSafeguard}`) : t("subprocessors.safeguard.none")}</span>
              <input type="hidden" {...field("transferSafeguard")} />
            </div>
          ) : (
            <div className="field">
              <label htmlFor={safeguardId}>{t("subprocessors.form.safeguard")}</label>
              <span id={`${safeguardId}-hint`} className="muted small">
                {t("subprocessors.form.safeguardHint")}
              </span>
              <select
                id={safeguardId}
                aria-invalid={safeguardError ? true : undefined}
                aria-describedby={`${safeguardId}-hint${safeguardError ? ` ${safeguardId}-error` : ""}`}
                {...field("transferSafeguard")}
              >
                <option value="">{t("subprocessors.safeguard.choose")}</option>
                <option value="adequacy">{t("subprocessors.safeguard.adequacy")}</option>
                <option value="scc">{t("subprocessors.safeguard.scc")}</option>
                <option value="bcr">{t("subprocessors.safeguard.bcr")}</option>
              </select>
              {safeguardError ? (
                <span id={`${safeguardId}-error`} className="error" role="alert">
                  {safeguardError}
                </span>
              ) : null}
            </div>
          )}
        </div>
        <CheckboxGroup
          legend={t("subprocessors.form.dataCategories")}
          error={err("dataCategories")}
          options={Object.entries(dataCategoryCatalogue).map(([key, entry]) => ({ value: key, label: entry[locale] }))}
          inputProps={(value) => listField("dataCategories", value)}
        />
        <CheckboxGroup
          legend={t("subprocessors.form.services")}
          error={err("serviceIds")}
          options={services.map((s) => ({ value: s.id, label: locale === "en" ? s.nameEn : s.nameNl }))}
          inputProps={(value) => listField("serviceIds", value)}
        />
        <p className="muted small">{t("subprocessors.form.servicesHint")}</p>
      </fieldset>
      <fieldset>
        <legend>{t("subprocessors.form.contract")}</legend>
        <div className="form-grid">
          <Field label={t("subprocessors.form.dpaDate")} type="date" error={err("dpaDate")} {...field("dpaDate")} />
          <div className="field">
            <label htmlFor={documentId}>{t("subprocessors.form.document")}</label>
            <span id={`${documentId}-hint`} className="muted small">
              {mode.kind === "edit" && mode.document ? t("subprocessors.form.documentCurrent", { name: mode.document.filename }) : t("subprocessors.form.documentHint")}
            </span>
            <input
              id={documentId}
              type="file"
              name="document"
              accept="application/pdf,.pdf"
              aria-invalid={documentError ? true : undefined}
              aria-describedby={`${documentId}-hint${documentError ? ` ${documentId}-error` : ""}`}
            />
            {documentError ? (
              <span id={`${documentId}-error`} className="error" role="alert">
                {documentError}
              </span>
            ) : null}
          </div>
          <Field
            label={t("subprocessors.form.breachHours")}
            type="number"
            min={1}
            max={720}
            inputMode="numeric"
            hint={t("subprocessors.form.breachHoursHint")}
            error={err("breachNoticeHours")}
            {...field("breachNoticeHours")}
          />
          {statusOptions.length > 1 ? (
            <SelectField
              label={t("subprocessors.form.status")}
              error={err("status")}
              options={statusOptions.map((s) => ({ value: s, label: t(`subprocessors.status.${s}`) }))}
              {...field("status")}
            />
          ) : (
            <div className="field">
              <span>
                <strong>{t("subprocessors.form.status")}</strong>
              </span>
              <span>{t(`subprocessors.status.${statusOptions[0]}`)}</span>
              <input type="hidden" {...field("status")} />
              {err("status") ? <span className="error">{errorText(err("status"))}</span> : null}
            </div>
          )}
          <Field label={t("subprocessors.form.startDate")} type="date" error={err("startDate")} {...field("startDate")} />
          <Field label={t("subprocessors.form.endDate")} type="date" error={err("endDate")} {...field("endDate")} />
        </div>
        <p className="muted small">{mode.kind === "create" ? t("subprocessors.form.statusHint") : t("subprocessors.form.statusEditHint")}</p>
        <TextAreaField
          label={t("subprocessors.form.internalNote")}
          hint={t("subprocessors.form.internalNoteHint")}
          error={err("internalNote")}
          {...field("internalNote")}
        />
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={navigation.state === "submitting"}>
          {mode.kind === "create" ? t("subprocessors.form.create") : t("subprocessors.form.save")}
        </button>
        <Link to={cancelTo}>{t("common.cancel")}</Link>
      </div>
    </Form>
  );
}
