/**
 * Record the end of a customer's contract: a termination, a non-renewal or an immediate end (for
 * instance after an objection to a sub-processor that ended in termination). The end date is computed
 * from the customer's terms and shown with its basis before anything is written:
 * - without JavaScript the "Calculate" button submits the form as a GET, and the loader computes the
 *   preview from the query (the form keeps the typed values);
 * - with JavaScript the same loader is asked in the background on every change (live preview).
 * "Record" posts; the service validates again (end date before the start, override without a reason…).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ContractClockView } from "~/components/contract-dates";
import { CaseStatusBadge, ExplainedDateFact, ExplainedDateView } from "~/components/contracts";
import { FieldErrorText, RadioFieldset } from "~/components/contract-form";
import { Field, FormError, TextAreaField, useErrorText, useValidatedSubmit } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { getContractOverview, previewTermination, recordTermination, type TerminationInput } from "~/services/end-of-contract.server";
import { nowIso } from "~/services/http.server";
import { listTerminationsFromObjections } from "~/services/subprocessor-responses.server";
import { amsterdamToday } from "~/services/subprocessors.server";

export const meta = ({ data }: { data?: { overview?: { customer?: { name: string } } } }) => [{ title: `${data?.overview?.customer?.name ?? ""} · DPA Desk` }];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KINDS = ["termination", "non_renewal", "immediate_end"] as const;
const GIVEN_BY = ["customer", "processor"] as const;

/** The form as posted (all strings); shared by the browser check and the server. */
const TerminateSchema = z
  .object({
    kind: z.enum(KINDS, { message: "contracts.error.kind_invalid" }),
    noticeGivenBy: z.enum(GIVEN_BY, { message: "contracts.error.given_by_invalid" }),
    noticeReceivedOn: z.string().regex(DATE, "contracts.error.date_invalid"),
    endDate: z.string().trim().refine((v) => v === "" || DATE.test(v), "contracts.error.date_invalid"),
    overrideReason: z.string().trim().max(2000, "contracts.error.too_long"),
    note: z.string().trim().max(5000, "contracts.error.too_long"),
    sourceRef: z.string().max(200),
  })
  .superRefine((v, ctx) => {
    if (v.endDate !== "" && v.overrideReason === "") ctx.addIssue({ code: "custom", path: ["overrideReason"], message: "contracts.error.override_reason_required" });
  });
type TerminateForm = z.infer<typeof TerminateSchema>;
const FIELDS = ["kind", "noticeGivenBy", "noticeReceivedOn", "endDate", "overrideReason", "note", "sourceRef"] as const;

function valuesFrom(get: (name: string) => string | null): TerminateForm {
  return {
    kind: (get("kind") ?? "") as TerminateForm["kind"],
    noticeGivenBy: (get("noticeGivenBy") ?? "") as TerminateForm["noticeGivenBy"],
    noticeReceivedOn: get("noticeReceivedOn") ?? "",
    endDate: get("endDate") ?? "",
    overrideReason: get("overrideReason") ?? "",
    note: get("note") ?? "",
    sourceRef: get("sourceRef") ?? "",
  };
}

function toInput(v: TerminateForm): TerminationInput {
  return {
    kind: v.kind,
    noticeGivenBy: v.noticeGivenBy,
    noticeReceivedOn: v.noticeReceivedOn,
    endDate: v.endDate || null,
    overrideReason: v.overrideReason || null,
    note: v.note || null,
    sourceRef: v.sourceRef || null,
  };
}

function zodErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const now = nowIso();
  const customerId = params.customerId ?? "";
  const overview = await getContractOverview(actor, customerId, now);
  const url = new URL(request.url);
  const q = url.searchParams;
  const objections = (await listTerminationsFromObjections(actor))
    .filter((o) => o.customerId === customerId)
    .map((o) => ({ ref: `subprocessor_objection:${o.noticeId}`, resolvedDisplay: displayInstant(o.resolvedAt), note: o.note }));
  const typed = q.has("kind") ? valuesFrom((n) => q.get(n)) : null;
  const defaults: TerminateForm = typed ?? {
    kind: (q.get("source") ? "immediate_end" : "termination") as TerminateForm["kind"],
    noticeGivenBy: "customer",
    noticeReceivedOn: amsterdamToday(now),
    endDate: "",
    overrideReason: "",
    note: "",
    sourceRef: q.get("source") ?? "",
  };
  let preview: Awaited<ReturnType<typeof previewTermination>> | null = null;
  if (typed) {
    const parsed = TerminateSchema.safeParse(typed);
    preview = parsed.success ? await previewTermination(actor, customerId, toInput(parsed.data), now) : { ok: false, errors: zodErrors(parsed.error) };
  }
  return json({ overview, objections, defaults, preview, today: amsterdamToday(now) });
}

type ActionData = { errors: Record<string, string>; values: TerminateForm };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const customerId = params.customerId ?? "";
  const form = await request.formData();
  const values = valuesFrom((n) => (typeof form.get(n) === "string" ? String(form.get(n)) : null));
  const parsed = TerminateSchema.safeParse(values);
  if (!parsed.success) return json<ActionData>({ errors: zodErrors(parsed.error), values }, { status: 400 });
  const result = await recordTermination(actor, customerId, toInput(parsed.data), nowIso());
  if (!result.ok) return json<ActionData>({ errors: result.errors, values }, { status: 400 });
  return redirect(`/contracts/${result.caseId}?recorded=${result.opened ? "opened" : "scheduled"}`);
}

type PreviewData = ReturnType<typeof useLoaderData<typeof loader>>["preview"];

function Preview({ preview }: { preview: PreviewData }) {
  const t = useT();
  const errorText = useErrorText();
  if (!preview) return <p className="muted">{t("contracts.terminate.previewHint")}</p>;
  if (!preview.ok) {
    return (
      <ul className="form-error">
        {Object.entries(preview.errors).map(([field, message]) => (
          <li key={field}>{errorText(message)}</li>
        ))}
      </ul>
    );
  }
  const p = preview.preview;
  return (
    <dl className="facts">
      <dt>{t("contracts.terminate.computedEnd")}</dt>
      <dd>
        <ExplainedDateView date={p.computedEndDate} display={p.computedEndDisplay} explanation={p.explanation} basis={p.basis} />
        {!p.inTime ? (
          <>
            <br />
            <span className="badge warn">{t("contracts.terminate.late", { count: p.periodsAdded })}</span>
          </>
        ) : null}
      </dd>
      <ExplainedDateFact label={t("contracts.clock.lastNoticeDay")} value={p.noticeDeadline} />
      <dt>{t("contracts.terminate.endDateRecorded")}</dt>
      <dd>
        <strong>
          <time dateTime={p.endDate}>{p.endDisplay}</time>
        </strong>{" "}
        {p.overridden ? <span className="badge warn">{t("contracts.terminate.overridden")}</span> : null}
        <br />
        <span className="small">{p.opensImmediately ? t("contracts.terminate.opensNow") : t("contracts.terminate.opensLater", { date: p.endDisplay })}</span>
      </dd>
    </dl>
  );
}

export default function TerminatePage() {
  const t = useT();
  const errorText = useErrorText();
  const { overview, objections, defaults, preview, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const fetcher = useFetcher<typeof loader>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [live, setLive] = useState(false);
  const { customer, clock, activeCase, canWrite } = overview;
  const base = `/customers/${customer.id}/terminate`;
  const start = actionData?.values ?? defaults;
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<TerminateForm>({ resolver: zodResolver(TerminateSchema), defaultValues: start, mode: "onSubmit" });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  // the server's messages are about the values as posted: hide them once the form is changed again
  const [edited, setEdited] = useState(false);
  useEffect(() => setEdited(false), [actionData]);
  const serverErrors = edited ? undefined : actionData?.errors;
  const err = (name: keyof TerminateForm) => errorText(errors[name]?.message ?? serverErrors?.[name]);

  const refreshPreview = () => {
    const form = formRef.current;
    if (!form) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const query = new URLSearchParams();
      const data = new FormData(form);
      for (const name of FIELDS) query.set(name, String(data.get(name) ?? ""));
      fetcher.load(`${base}?${query.toString()}`);
      setLive(true);
    }, 250);
  };
  useEffect(() => {
    refreshPreview();
    return () => clearTimeout(timer.current);
    // once after hydration: show the preview of the defaults
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value === "preview") {
      // with JavaScript the preview is live: just refresh it now
      event.preventDefault();
      refreshPreview();
      return;
    }
    onValidSubmit(event);
  };

  const shownPreview = live && fetcher.data ? fetcher.data.preview : preview;
  const submitting = navigation.state === "submitting";

  return (
    <>
      <p>
        <Link to={`/customers/${customer.id}`}>← {customer.name}</Link>
      </p>
      <h1>{t("contracts.terminate.title", { name: customer.name })}</h1>
      <section className="card" aria-labelledby="clock">
        <h2 id="clock">{t("contracts.clock.title")}</h2>
        <ContractClockView clock={clock} contractStart={{ date: customer.contractStart, display: customer.contractStartDisplay }} />
      </section>

      {activeCase ? (
        <p className="notice" role="status">
          {t("contracts.terminate.hasCase", { reference: activeCase.reference, date: activeCase.endDisplay })} <CaseStatusBadge status={activeCase.status} />{" "}
          <Link to={`/contracts/${activeCase.id}`}>{t("contracts.case.open")}</Link>
        </p>
      ) : !canWrite ? (
        <p className="notice">{t("contracts.readOnly")}</p>
      ) : (
        <Form method="post" action={base} noValidate ref={formRef} onSubmit={onSubmit} onChange={() => {
            setEdited(true);
            refreshPreview();
          }}
          className="card"
        >
          <h2>{t("contracts.terminate.formTitle")}</h2>
          <FormError message={serverErrors?.form} />
          <RadioFieldset
            legend={t("contracts.terminate.kind")}
            options={KINDS.map((k) => ({ value: k, label: t(`contracts.kind.${k}`), hint: t(`contracts.kindHint.${k}`) }))}
            inputProps={register("kind")}
            checked={start.kind}
            error={err("kind")}
            errorId="kind-error"
            hintPrefix="kind"
          />
          <RadioFieldset
            legend={t("contracts.terminate.givenBy")}
            options={GIVEN_BY.map((g) => ({ value: g, label: t(`contracts.givenBy.${g}`) }))}
            inputProps={register("noticeGivenBy")}
            checked={start.noticeGivenBy}
            error={err("noticeGivenBy")}
            errorId="given-by-error"
          />
          <div className="form-grid">
            <Field type="date" label={t("contracts.terminate.receivedOn")} hint={t("contracts.terminate.receivedOnHint")} error={err("noticeReceivedOn")} max={today} {...register("noticeReceivedOn")} defaultValue={start.noticeReceivedOn} />
            <Field type="date" label={t("contracts.terminate.override")} hint={t("contracts.terminate.overrideHint")} error={err("endDate")} {...register("endDate")} defaultValue={start.endDate} />
          </div>
          <TextAreaField label={t("contracts.terminate.overrideReason")} hint={t("contracts.terminate.overrideReasonHint")} error={err("overrideReason")} {...register("overrideReason")} defaultValue={start.overrideReason} />
          {objections.length > 0 ? (
            <div className="field">
              <label htmlFor="source-ref">{t("contracts.terminate.source")}</label>
              <select id="source-ref" {...register("sourceRef")} defaultValue={start.sourceRef}>
                <option value="">{t("contracts.terminate.noSource")}</option>
                {objections.map((o) => (
                  <option key={o.ref} value={o.ref}>
                    {t("contracts.terminate.objection", { date: o.resolvedDisplay })}
                    {o.note ? ` · ${o.note.slice(0, 80)}` : ""}
                  </option>
                ))}
              </select>
              <FieldErrorText error={err("sourceRef")} />
            </div>
          ) : (
            <input type="hidden" {...register("sourceRef")} defaultValue={start.sourceRef} />
          )}
          <TextAreaField label={t("contracts.terminate.note")} error={err("note")} {...register("note")} defaultValue={start.note} />

          <section aria-labelledby="preview-title" aria-live="polite" className="notice">
            <h3 id="preview-title">{t("contracts.terminate.preview")}</h3>
            <Preview preview={shownPreview} />
          </section>
          <div className="form-actions">
            <button type="submit" name="intent" value="preview" formMethod="get" formAction={base} formNoValidate className="secondary">
              {t("contracts.terminate.calculate")}
            </button>
            <button type="submit" name="intent" value="record" disabled={submitting}>
              {t("contracts.terminate.submit")}
            </button>
            <Link to={`/customers/${customer.id}`}>{t("common.cancel")}</Link>
          </div>
        </Form>
      )}
    </>
  );
}
