import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { useForm } from "react-hook-form";
import { Field, FormError, SelectField, TextAreaField, useErrorText, useValidatedSubmit } from "~/components/form";
import { ChangeFormSchema, changeFormInput, fieldErrors, type ChangeFormInput } from "~/domain/subprocessor-forms";
import { CHANGE_KINDS } from "~/domain/subprocessor-notice";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import { changeFormOptions, createChangeDraft } from "~/services/subprocessor-changes.server";

export const meta = titleMeta("subprocessors.changeForm.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const url = new URL(request.url);
  const options = await changeFormOptions(actor);
  const kind = url.searchParams.get("kind");
  const subprocessorId = url.searchParams.get("subprocessorId") ?? "";
  const known = [...options.proposed, ...options.active].some((o) => o.id === subprocessorId);
  return json({
    options,
    defaults: {
      kind: (CHANGE_KINDS as readonly string[]).includes(kind ?? "") ? (kind as string) : "new",
      subprocessorId: known ? subprocessorId : "",
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const values = changeFormInput(await request.formData());
  const parsed = ChangeFormSchema.safeParse(values);
  if (!parsed.success) return json({ values, errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await createChangeDraft(actor, parsed.data, nowIso());
  if (!result.ok) return json({ values, errors: result.errors }, { status: 400 });
  return redirect(`/subprocessors/changes/${result.id}`);
}

function initial(defaults: { kind: string; subprocessorId: string }): ChangeFormInput {
  return {
    kind: defaults.kind,
    subprocessorId: defaults.subprocessorId,
    replacesSubprocessorId: "",
    plannedStart: "",
    newLocations: "",
    newTransferSafeguard: "",
    newPurposeNl: "",
    newPurposeEn: "",
    descriptionNl: "",
    descriptionEn: "",
    internalNote: "",
  };
}

export default function NewChange() {
  const t = useT();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const { options, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const subjectId = useId();
  const replacesId = useId();
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors },
  } = useForm<ChangeFormInput>({ resolver: zodResolver(ChangeFormSchema), mode: "onSubmit", defaultValues: actionData?.values ?? initial(defaults) });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  // defaultValue as an attribute too: without JavaScript react-hook-form never fills the inputs (and a
  // refused post without JavaScript shows the page again with what was typed)
  const values = actionData?.values ?? initial(defaults);
  const field = (name: keyof ChangeFormInput) => ({ ...register(name), defaultValue: values[name] });
  const serverErrors = actionData?.errors as Record<string, string> | undefined;
  const err = (name: keyof ChangeFormInput) => errors[name]?.message ?? serverErrors?.[name];
  // without JavaScript every field shows (with its hint); once hydrated, only those of the chosen kind
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const kind = watch("kind");
  const hide = (k: string) => hydrated && kind !== k;
  const subjectError = errorText(err("subprocessorId"));
  const replacesError = errorText(err("replacesSubprocessorId"));

  if (options.proposed.length === 0 && options.active.length === 0) {
    return (
      <>
        <h1>{t("subprocessors.changeForm.title")}</h1>
        <p className="empty">{t("subprocessors.changeForm.empty")}</p>
        <p>
          <Link className="button" to="/subprocessors/new">
            {t("subprocessors.list.new")}
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      <p>
        <Link to="/subprocessors/changes">← {t("subprocessors.changes.title")}</Link>
      </p>
      <h1>{t("subprocessors.changeForm.title")}</h1>
      <p>{t("subprocessors.changeForm.intro")}</p>
      <p className="muted small">
        {t("subprocessors.changeForm.registerFirst")} <Link to="/subprocessors/new">{t("subprocessors.list.new")}</Link>
      </p>
      <Form
        method="post"
        noValidate
        onSubmit={onValidSubmit}
      >
        <FormError message={serverErrors?.form} />
        <fieldset>
          <legend>{t("subprocessors.changeForm.kind")}</legend>
          <div className="form-grid">
            <SelectField
              label={t("subprocessors.changeForm.kind")}
              error={err("kind")}
              options={CHANGE_KINDS.map((k) => ({ value: k, label: t(`subprocessors.kind.${k}`) }))}
              {...field("kind")}
            />
            <div className="field">
              <label htmlFor={subjectId}>{t("subprocessors.changeForm.subject")}</label>
              <span id={`${subjectId}-hint`} className="muted small">
                {t("subprocessors.changeForm.subjectHint")}
              </span>
              <select
                id={subjectId}
                aria-invalid={subjectError ? true : undefined}
                aria-describedby={`${subjectId}-hint${subjectError ? ` ${subjectId}-error` : ""}`}
                {...field("subprocessorId")}
              >
                <option value="">{t("subprocessors.changeForm.choose")}</option>
                {options.proposed.length > 0 ? (
                  <optgroup label={t("subprocessors.changeForm.proposedGroup")}>
                    {options.proposed.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </optgroup>
                ) : null}
                {options.active.length > 0 ? (
                  <optgroup label={t("subprocessors.changeForm.activeGroup")}>
                    {options.active.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </optgroup>
                ) : null}
              </select>
              {subjectError ? (
                <span id={`${subjectId}-error`} className="error" role="alert">
                  {subjectError}
                </span>
              ) : null}
            </div>
            <div hidden={hide("replacement")}>
            <div className="field">
              <label htmlFor={replacesId}>{t("subprocessors.changeForm.replaces")}</label>
              <span id={`${replacesId}-hint`} className="muted small">
                {t("subprocessors.changeForm.replacesHint")}
              </span>
              <select
                id={replacesId}
                aria-invalid={replacesError ? true : undefined}
                aria-describedby={`${replacesId}-hint${replacesError ? ` ${replacesId}-error` : ""}`}
                {...field("replacesSubprocessorId")}
              >
                <option value="">{t("subprocessors.changeForm.choose")}</option>
                {options.active.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
              {replacesError ? (
                <span id={`${replacesId}-error`} className="error" role="alert">
                  {replacesError}
                </span>
              ) : null}
            </div>
            </div>
            <Field
              label={t("subprocessors.changeForm.plannedStart")}
              type="date"
              hint={t("subprocessors.changeForm.plannedStartHint")}
              error={err("plannedStart")}
              {...field("plannedStart")}
            />
          </div>
        </fieldset>
        <fieldset hidden={hide("location")}>
          <legend>{t("subprocessors.kind.location")}</legend>
          <div className="form-grid">
            <Field
              label={t("subprocessors.changeForm.newLocations")}
              hint={t("subprocessors.changeForm.newLocationsHint")}
              autoCapitalize="characters"
              error={err("newLocations")}
              {...field("newLocations")}
            />
            <SelectField
              label={t("subprocessors.changeForm.newSafeguard")}
              error={err("newTransferSafeguard")}
              options={[
                { value: "", label: t("subprocessors.safeguard.choose") },
                { value: "adequacy", label: t("subprocessors.safeguard.adequacy") },
                { value: "scc", label: t("subprocessors.safeguard.scc") },
                { value: "bcr", label: t("subprocessors.safeguard.bcr") },
              ]}
              {...field("newTransferSafeguard")}
            />
          </div>
        </fieldset>
        <fieldset hidden={hide("purpose")}>
          <legend>{t("subprocessors.kind.purpose")}</legend>
          <div className="form-grid">
            <TextAreaField label={t("subprocessors.changeForm.newPurposeNl")} lang="nl" error={err("newPurposeNl")} {...field("newPurposeNl")} />
            <TextAreaField label={t("subprocessors.changeForm.newPurposeEn")} lang="en" error={err("newPurposeEn")} {...field("newPurposeEn")} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("subprocessors.change.description")}</legend>
          <p className="muted small">{t("subprocessors.changeForm.descriptionHint")}</p>
          <div className="form-grid">
            <TextAreaField label={t("subprocessors.changeForm.descriptionNl")} lang="nl" error={err("descriptionNl")} {...field("descriptionNl")} />
            <TextAreaField label={t("subprocessors.changeForm.descriptionEn")} lang="en" error={err("descriptionEn")} {...field("descriptionEn")} />
          </div>
          <TextAreaField
            label={t("subprocessors.changeForm.internalNote")}
            hint={t("subprocessors.form.internalNoteHint")}
            error={err("internalNote")}
            {...field("internalNote")}
          />
        </fieldset>
        <div className="form-actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("subprocessors.changeForm.submit")}
          </button>
          <Link to="/subprocessors/changes">{t("common.cancel")}</Link>
        </div>
      </Form>
    </>
  );
}
