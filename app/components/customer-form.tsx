import { zodResolver } from "@hookform/resolvers/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { CheckboxGroup, Field, FormError, SelectField, TextAreaField, useValidatedSubmit } from "~/components/form";
import { dataCategoryCatalogue, dataSubjectCatalogue, type CatalogueEntry } from "~/domain/processing-catalogue";
import { useLocale, useT } from "~/i18n/i18n";
import { CustomerFormSchema, type CustomerFormInput } from "~/services/customer-form";

type Service = { id: string; nameNl: string; nameEn: string };

/**
 * Create and edit a customer. The browser validates with the same zod schema as the server, then
 * posts the real form (so the request is the same with and without JavaScript).
 */
export function CustomerForm({
  defaults,
  services,
  serverErrors,
  submitLabel,
  cancelTo,
}: {
  defaults: CustomerFormInput;
  services: Service[];
  serverErrors?: Record<string, string>;
  submitLabel: string;
  cancelTo: string;
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<CustomerFormInput>({ resolver: zodResolver(CustomerFormSchema), defaultValues: defaults, mode: "onSubmit" });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const err = (name: keyof CustomerFormInput) => errors[name]?.message ?? serverErrors?.[name];
  // defaultValue / defaultChecked in the HTML, so the form is filled in without JavaScript too
  const field = (name: Exclude<keyof CustomerFormInput, "dataCategories" | "dataSubjects" | "serviceIds" | "transfersOutsideEea">) => ({
    ...register(name),
    defaultValue: String(defaults[name] ?? ""),
  });
  const box = (name: "dataCategories" | "dataSubjects" | "serviceIds") => (value: string) => ({
    ...register(name),
    defaultChecked: (defaults[name] ?? []).includes(value),
  });
  const catalogueOptions = (catalogue: Record<string, CatalogueEntry>) =>
    Object.entries(catalogue).map(([key, entry]) => ({
      value: key,
      label: (
        <>
          {entry[locale]}
          {entry.special || entry.nationalId || entry.criminal ? (
            <span className="badge warn"> ⚠ {t(entry.nationalId ? "customerForm.nationalId" : entry.criminal ? "customerForm.criminal" : "customerForm.special")}</span>
          ) : null}
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
      <fieldset>
        <legend>{t("customers.detail.company")}</legend>
        <div className="form-grid">
          <Field label={t("customerForm.name")} error={err("name")} autoComplete="organization" {...field("name")} />
          <Field label={t("customers.kvk")} error={err("registrationNumber")} {...field("registrationNumber")} />
          <Field label={t("customerForm.address")} error={err("address")} {...field("address")} />
          <Field label={t("customerForm.postcode")} error={err("postcode")} {...field("postcode")} />
          <Field label={t("customers.city")} error={err("city")} {...field("city")} />
          <Field label={t("customerForm.country")} hint={t("customerForm.countryHint")} error={err("country")} maxLength={2} {...field("country")} />
          <SelectField
            label={t("customers.language")}
            error={err("language")}
            options={[
              { value: "nl", label: t("lang.nl") },
              { value: "en", label: t("lang.en") },
            ]}
            {...field("language")}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("customers.detail.contacts")}</legend>
        <div className="form-grid">
          <Field label={t("customerForm.signatoryName")} error={err("signatoryName")} {...field("signatoryName")} />
          <Field label={t("customerForm.signatoryRole")} error={err("signatoryRole")} {...field("signatoryRole")} />
          <Field label={t("customerForm.signatoryEmail")} type="email" error={err("signatoryEmail")} {...field("signatoryEmail")} />
          <Field label={t("customerForm.privacyContactName")} error={err("privacyContactName")} {...field("privacyContactName")} />
          <Field label={t("customerForm.privacyContactEmail")} type="email" error={err("privacyContactEmail")} {...field("privacyContactEmail")} />
          <Field label={t("customerForm.dpoName")} error={err("dpoName")} {...field("dpoName")} />
          <Field label={t("customerForm.dpoEmail")} type="email" error={err("dpoEmail")} {...field("dpoEmail")} />
        </div>
        <TextAreaField
          label={t("customers.detail.notificationEmails")}
          hint={t("customerForm.notificationEmailsHint")}
          error={err("notificationEmails")}
          {...field("notificationEmails")}
        />
      </fieldset>
      <fieldset>
        <legend>{t("customers.detail.contract")}</legend>
        <div className="form-grid">
          <Field label={t("customers.contractStart")} type="date" error={err("contractStart")} {...field("contractStart")} />
          <Field
            label={t("customerForm.termMonths")}
            type="number"
            min={1}
            max={120}
            hint={t("customerForm.termHint")}
            error={err("contractTermMonths")}
            {...field("contractTermMonths")}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("customers.detail.processing")}</legend>
        <TextAreaField label={t("customers.detail.subjectMatter")} error={err("subjectMatter")} {...field("subjectMatter")} />
        <TextAreaField label={t("customerForm.nature")} hint={t("customerForm.natureHint")} error={err("nature")} {...field("nature")} />
        <TextAreaField label={t("customers.detail.purposes")} hint={t("customerForm.onePerLine")} error={err("purposes")} {...field("purposes")} />
        <Field
          label={t("customerForm.processingDuration")}
          hint={t("customerForm.processingDurationHint")}
          error={err("processingDuration")}
          {...field("processingDuration")}
        />
        <CheckboxGroup
          legend={t("customers.detail.dataCategories")}
          error={err("dataCategories")}
          options={catalogueOptions(dataCategoryCatalogue)}
          inputProps={box("dataCategories")}
        />
        <CheckboxGroup
          legend={t("customers.detail.dataSubjects")}
          error={err("dataSubjects")}
          options={catalogueOptions(dataSubjectCatalogue)}
          inputProps={box("dataSubjects")}
        />
        <CheckboxGroup
          legend={t("customers.detail.services")}
          error={err("serviceIds")}
          options={services.map((s) => ({ value: s.id, label: locale === "en" ? s.nameEn : s.nameNl }))}
          inputProps={box("serviceIds")}
        />
        <label className="checkbox">
          <input type="checkbox" {...register("transfersOutsideEea")} defaultChecked={defaults.transfersOutsideEea} /> {t("customerForm.transfersOutsideEea")}
        </label>
        <TextAreaField
          label={t("customerForm.securityAdditions")}
          hint={t("customerForm.securityAdditionsHint")}
          error={err("securityAdditions")}
          {...field("securityAdditions")}
        />
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
        <Link to={cancelTo}>{t("common.cancel")}</Link>
      </div>
    </Form>
  );
}
