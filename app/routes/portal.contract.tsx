/**
 * The customer's end of contract in the portal: the contract dates while it runs; once notice is
 * recorded, the end date, the choice between return, deletion, or return then deletion (with a
 * confirmation, since it cannot be changed here afterwards), what happens without an answer and by
 * when, the progress of the tasks, and the signed deletion certificate when issued.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { BasisBadge, CaseStatusBadge, ExplainedDateView, TaskStatusBadge, useLocalizedText } from "~/components/contracts";
import { FormError, useErrorText, useValidatedSubmit } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import { portalCase, recordChoice, type EocChoice } from "~/services/end-of-contract.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("contracts.portal.title");

const CHOICES = ["return", "delete", "return_then_delete"] as const;
const ChoiceSchema = z.object({
  caseId: z.string().min(1),
  choice: z.enum(CHOICES, { message: "contracts.error.choice_invalid" }),
  confirm: z.literal("yes", { errorMap: () => ({ message: "contracts.error.confirm_required" }) }),
});
type ChoiceInput = z.infer<typeof ChoiceSchema>;

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePortal(request);
  return json({ contract: await portalCase(actor, nowIso()) });
}

type ActionData = { errors: Record<string, string>; choice?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requirePortal(request);
  const form = await request.formData();
  const values = { caseId: String(form.get("caseId") ?? ""), choice: String(form.get("choice") ?? ""), confirm: String(form.get("confirm") ?? "") };
  const parsed = ChoiceSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    if (errors.caseId) errors.form = "contracts.error.choice_closed";
    return json<ActionData>({ errors, choice: values.choice }, { status: 400 });
  }
  const result = await recordChoice(actor, parsed.data.caseId, parsed.data.choice as EocChoice, nowIso());
  if (!result.ok) return json<ActionData>({ errors: result.errors, choice: values.choice }, { status: 409 });
  return redirect("/portal/contract?chosen=1");
}

function ChoiceForm({ caseId, choices, serverErrors, typed }: { caseId: string; choices: readonly string[]; serverErrors?: Record<string, string>; typed?: string }) {
  const t = useT();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<ChoiceInput>({ resolver: zodResolver(ChoiceSchema), defaultValues: { caseId, choice: (typed ?? undefined) as ChoiceInput["choice"] } });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const choiceError = errorText(errors.choice?.message ?? serverErrors?.choice);
  const confirmError = errorText(errors.confirm?.message ?? serverErrors?.confirm);
  return (
    <Form method="post" noValidate onSubmit={onValidSubmit} className="card">
      <h2 id="choose">{t("contracts.portal.chooseTitle")}</h2>
      <FormError message={serverErrors?.form} />
      <input type="hidden" {...register("caseId")} defaultValue={caseId} />
      <fieldset aria-describedby={choiceError ? "portal-choice-error" : undefined}>
        <legend>{t("contracts.portal.chooseLegend")}</legend>
        {CHOICES.filter((c) => choices.includes(c)).map((c) => (
          <div key={c}>
            <label className="checkbox">
              <input type="radio" value={c} aria-describedby={`choice-${c}-hint`} {...register("choice")} defaultChecked={typed === c} /> <strong>{t(`contracts.choice.${c}`)}</strong>
            </label>
            <p id={`choice-${c}-hint`} className="muted small eoc-radio-hint">
              {t(`contracts.choiceHint.${c}`)}
            </p>
          </div>
        ))}
        {choiceError ? (
          <span id="portal-choice-error" className="error" role="alert">
            {choiceError}
          </span>
        ) : null}
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" value="yes" aria-invalid={confirmError ? true : undefined} {...register("confirm")} /> <span>{t("contracts.portal.confirm")}</span>
      </label>
      {confirmError ? (
        <p className="form-error" role="alert">
          {confirmError}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("contracts.portal.submit")}
        </button>
      </div>
    </Form>
  );
}

export default function PortalContract() {
  const t = useT();
  const l = useLocalizedText();
  const { contract } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const c = contract.case;
  const clock = contract.clock;
  return (
    <>
      <h1>{t("contracts.portal.title")}</h1>
      {searchParams.get("chosen") ? (
        <p className="notice ok" role="status">
          {t("contracts.portal.chosen")}
        </p>
      ) : null}
      {!c ? (
        <>
          <p>{t("contracts.portal.running", { name: contract.customer.name })}</p>
          <section className="card" aria-labelledby="portal-clock">
            <h2 id="portal-clock">{t("contracts.clock.title")}</h2>
            {clock.kind === "running" ? (
              <dl className="facts">
                <dt>{t("contracts.clock.termEnd")}</dt>
                <dd>
                  <ExplainedDateView {...clock.termEnd} />
                </dd>
                <dt>{t("contracts.clock.renewal")}</dt>
                <dd>
                  {l(clock.renewal.explanation)} <BasisBadge basis={clock.renewal.basis} />
                </dd>
                {clock.lastNoticeDay ? (
                  <>
                    <dt>{t("contracts.clock.lastNoticeDay")}</dt>
                    <dd>
                      <ExplainedDateView {...clock.lastNoticeDay} />
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : clock.kind === "ended" ? (
              <p>{t("contracts.clock.ended", { date: clock.endedOnDisplay })}</p>
            ) : (
              <p className="muted">{l(clock.message)}</p>
            )}
          </section>
          <p className="empty">{t("contracts.portal.noCase")}</p>
        </>
      ) : (
        <>
          <section className="card" aria-labelledby="portal-status">
            <h2 id="portal-status">
              <span className="mono">{c.reference}</span> <CaseStatusBadge status={c.status} />
            </h2>
            <p>{t(`contracts.portal.status.${c.status}`, { date: c.endDisplay })}</p>
            <dl className="facts">
              <dt>{t("contracts.case.endDate")}</dt>
              <dd>
                <strong>
                  <time dateTime={c.endDate}>{c.endDisplay}</time>
                </strong>
              </dd>
              {c.exitRequest ? (
                <>
                  <dt>{t("contracts.case.exitRequest")}</dt>
                  <dd>
                    <ExplainedDateView {...c.exitRequest} />
                  </dd>
                </>
              ) : null}
              <dt>{t("contracts.choice.title")}</dt>
              <dd>
                {c.choice ? (
                  <>
                    <strong>{t(`contracts.choice.${c.choice}`)}</strong>
                    <br />
                    <span className="small">{t(`contracts.portal.choiceSource.${c.choiceSource ?? "staff"}`, { date: c.choiceMadeDisplay })}</span>
                  </>
                ) : (
                  <span className="badge warn">{t("contracts.choice.none")}</span>
                )}
              </dd>
              {!c.choice ? (
                <>
                  {c.choiceDeadline ? (
                    <>
                      <dt>{t("contracts.portal.answerBy")}</dt>
                      <dd>
                        <ExplainedDateView {...c.choiceDeadline} />
                      </dd>
                    </>
                  ) : null}
                  <dt>{t("contracts.portal.withoutAnswer")}</dt>
                  <dd>
                    <strong>{t(`contracts.choice.${c.defaultChoice}`)}</strong>
                    <br />
                    <span className="small">{l(c.defaultChoiceExplanation)}</span>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>

          {c.canChoose ? <ChoiceForm caseId={c.id} choices={c.choices} serverErrors={actionData?.errors} typed={actionData?.choice} /> : <FormError message={actionData?.errors.form ?? actionData?.errors.choice} />}

          {c.certificate ? (
            <section className="card" aria-labelledby="certificate">
              <h2 id="certificate">{t("contracts.certificate.title")}</h2>
              <p>{t("contracts.portal.certificateIntro", { date: c.certificate.issuedDisplay })}</p>
              <p>
                <a className="button" href="/portal/contract/certificate.pdf">
                  {t("contracts.certificate.download")}
                </a>
              </p>
              <p className="mono small eoc-hash">SHA-256 {c.certificate.sha256}</p>
            </section>
          ) : null}

          <section aria-labelledby="progress">
            <h2 id="progress">{t("contracts.portal.progress")}</h2>
            {c.tasks.length === 0 ? (
              <p className="empty">{c.status === "scheduled" ? t("contracts.portal.tasksLater", { date: c.endDisplay }) : t("contracts.case.noTasks")}</p>
            ) : (
              <div className="table-wrap">
                <table className="eoc-stack">
                  <thead>
                    <tr>
                      <th scope="col">{t("contracts.col.task")}</th>
                      <th scope="col">{t("contracts.col.status")}</th>
                      <th scope="col">{t("contracts.col.due")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.tasks.map((task, i) => (
                      <tr key={`${task.kind}-${i}`}>
                        <td data-label={t("contracts.col.task")}>
                          {l(task.title)}
                          {task.subprocessorName ? ` · ${task.subprocessorName}` : ""}
                        </td>
                        <td data-label={t("contracts.col.status")}>
                          <TaskStatusBadge status={task.status} />
                          {task.doneOnDisplay ? <span className="small"> {task.doneOnDisplay}</span> : null}
                        </td>
                        <td data-label={t("contracts.col.due")}>{task.dueDisplay || t("contracts.task.noDeadline")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
}
