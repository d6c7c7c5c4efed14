/**
 * The customer's end of contract in the portal: the contract dates while it runs; once notice is
 * recorded, the end date, the choice between return, deletion, or return then deletion (with a
 * confirmation, since it cannot be changed here afterwards), what happens without an answer and by
 * when, the progress of the tasks, and the signed deletion certificate when issued.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ChoiceFieldsSchema, ContractChoiceForm } from "~/components/contract-choice";
import { ContractClockView } from "~/components/contract-dates";
import { ContractTable } from "~/components/contract-table";
import { CaseStatusBadge, ChoiceValue, DefaultChoiceFacts, ExplainedDateFact, NoChoiceBadge, TaskStatusBadge, TaskTitle } from "~/components/contracts";
import { FormError } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import { portalCase, recordChoice, type EocChoice } from "~/services/end-of-contract.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("contracts.portal.title");

const ChoiceSchema = ChoiceFieldsSchema.extend({ caseId: z.string().min(1) });

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

export default function PortalContract() {
  const t = useT();
  const { contract } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const c = contract.case;
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
            <ContractClockView clock={contract.clock} unavailableClassName="muted" />
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
              <ExplainedDateFact label={t("contracts.case.exitRequest")} value={c.exitRequest} />
              <dt>{t("contracts.choice.title")}</dt>
              <dd>
                {c.choice ? (
                  <ChoiceValue choice={c.choice}>{t(`contracts.portal.choiceSource.${c.choiceSource ?? "staff"}`, { date: c.choiceMadeDisplay })}</ChoiceValue>
                ) : (
                  <NoChoiceBadge />
                )}
              </dd>
              {!c.choice ? (
                <DefaultChoiceFacts
                  deadlineLabel={t("contracts.portal.answerBy")}
                  deadline={c.choiceDeadline}
                  defaultLabel={t("contracts.portal.withoutAnswer")}
                  defaultChoice={c.defaultChoice}
                  explanation={c.defaultChoiceExplanation}
                />
              ) : null}
            </dl>
          </section>

          {c.canChoose ? (
            <ContractChoiceForm
              legend={t("contracts.portal.chooseLegend")}
              confirmLabel={t("contracts.portal.confirm")}
              submitLabel={t("contracts.portal.submit")}
              errorId="portal-choice-error"
              allowed={c.choices}
              withHints
              typed={actionData?.choice ?? ""}
              serverErrors={actionData?.errors}
              className="card"
            >
              <h2 id="choose">{t("contracts.portal.chooseTitle")}</h2>
              <input type="hidden" name="caseId" value={c.id} />
            </ContractChoiceForm>
          ) : (
            <FormError message={actionData?.errors.form ?? actionData?.errors.choice} />
          )}

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
              <ContractTable
                rows={c.tasks}
                rowKey={(task, i) => `${task.kind}-${i}`}
                columns={[
                  { label: t("contracts.col.task"), cell: (task) => <TaskTitle title={task.title} subprocessorName={task.subprocessorName} /> },
                  {
                    label: t("contracts.col.status"),
                    cell: (task) => (
                      <>
                        <TaskStatusBadge status={task.status} />
                        {task.doneOnDisplay ? <span className="small"> {task.doneOnDisplay}</span> : null}
                      </>
                    ),
                  },
                  { label: t("contracts.col.due"), cell: (task) => task.dueDisplay || t("contracts.task.noDeadline") },
                ]}
              />
            )}
          </section>
        </>
      )}
    </>
  );
}
