/**
 * One end-of-contract case: the facts (who gave notice, when, the computed end date with its basis,
 * an override with its reason), the customer's choice and what happens without one, and the tasks
 * generated from the customer's terms version, each with its due date and basis. Staff assign tasks,
 * complete them with evidence (a note and optionally one file: a multipart post), mark one not
 * applicable with a reason, record the choice on the customer's behalf, withdraw a termination that
 * has not taken effect (with confirmation), and download the signed certificate once issued.
 * Every form works without JavaScript; with it, react-hook-form checks the same rules first.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ContractTable } from "~/components/contract-table";
import { CaseStatusBadge, ChoiceValue, DefaultChoiceFacts, ExplainedDateFact, ExplainedDateView, NoChoiceBadge, TaskDueView, TaskStatusBadge, TaskTitle, useLocalizedText } from "~/components/contracts";
import { ChoiceFieldsSchema, confirmedField, ContractChoiceForm } from "~/components/contract-choice";
import { ConfirmCheckbox, FieldErrorText } from "~/components/contract-form";
import { FormError, useErrorText, useValidatedSubmit } from "~/components/form";
import { useT, type MessageKey } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { EVIDENCE_ACCEPT, EVIDENCE_FILE_TYPES, MAX_EVIDENCE_BYTES, readEvidenceForm } from "~/services/end-of-contract-files.server";
import {
  assignTask,
  completeTask,
  getCase,
  issueCertificate,
  listAssignableStaff,
  markNotApplicable,
  recordChoice,
  withdrawTermination,
  type EocChoice,
} from "~/services/end-of-contract.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { notFound, nowIso } from "~/services/http.server";
import { amsterdamToday } from "~/services/subprocessors.server";

export const meta = ({ data }: { data?: { detail?: { reference: string; customerName: string } } }) => [
  { title: `${data?.detail?.reference ?? ""} ${data?.detail?.customerName ?? ""} · DPA Desk` },
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const CompleteSchema = z
  .object({
    taskId: z.string().min(1),
    evidenceRequired: z.enum(["1", "0"]),
    note: z.string().trim().max(5000, "contracts.error.too_long"),
    doneOn: z.string().regex(DATE, "contracts.error.date_invalid"),
    backupsExpireOn: z.string().trim().refine((v) => v === "" || DATE.test(v), "contracts.error.date_invalid"),
  })
  .superRefine((v, ctx) => {
    if (v.evidenceRequired === "1" && v.note === "") ctx.addIssue({ code: "custom", path: ["note"], message: "contracts.error.evidence_required" });
  });
type CompleteInput = z.infer<typeof CompleteSchema>;

const ReasonSchema = z.object({ reason: z.string().trim().min(1, "contracts.error.reason_required").max(2000, "contracts.error.too_long") });
const WithdrawSchema = ReasonSchema.extend({ confirm: confirmedField });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const now = nowIso();
  const detail = await getCase(actor, params.caseId ?? "", now);
  const staff = detail.canWrite ? await listAssignableStaff(actor) : [];
  return json({
    detail: { ...detail, tasks: detail.tasks.map((task) => ({ ...task, backupsExpireOnDisplay: displayDate(task.backupsExpireOn) })) },
    staff,
    today: amsterdamToday(now),
    computedEndDisplay: displayDate(detail.computedEndDate),
    withdrawnDisplay: displayInstant(detail.withdrawnAt),
    fileLimits: { maxMb: Math.round(MAX_EVIDENCE_BYTES / (1024 * 1024)), types: EVIDENCE_FILE_TYPES.join(", "), accept: EVIDENCE_ACCEPT },
  });
}

type ActionData = { intent: string; taskId?: string; errors: Record<string, string>; values?: Record<string, string>; notice?: MessageKey };

function zodErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const caseId = params.caseId ?? "";
  const now = nowIso();
  const { form, file, fileError } = await readEvidenceForm(request);
  const field = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  const intent = field("intent");
  const taskId = field("taskId");
  const fail = (errors: Record<string, string>, values?: Record<string, string>) => json<ActionData>({ intent, taskId, errors, values }, { status: 400 });
  const done = (notice: MessageKey) => json<ActionData>({ intent, taskId, errors: {}, notice });
  switch (intent) {
    case "complete": {
      const values = { taskId, evidenceRequired: field("evidenceRequired"), note: field("note"), doneOn: field("doneOn"), backupsExpireOn: field("backupsExpireOn") };
      const parsed = CompleteSchema.safeParse(values);
      if (!parsed.success || fileError) return fail({ ...(parsed.success ? {} : zodErrors(parsed.error)), ...(fileError ? { file: fileError } : {}) }, values);
      const result = await completeTask(actor, taskId, { note: parsed.data.note, doneOn: parsed.data.doneOn, backupsExpireOn: parsed.data.backupsExpireOn || null, file }, now);
      if (!result.ok) return fail(result.errors, values);
      return done(result.caseClosed ? "contracts.notice.caseClosed" : "contracts.notice.taskCompleted");
    }
    case "not_applicable": {
      const values = { reason: field("reason") };
      const parsed = ReasonSchema.safeParse(values);
      if (!parsed.success) return fail(zodErrors(parsed.error), values);
      const result = await markNotApplicable(actor, taskId, parsed.data.reason, now);
      if (!result.ok) return fail(result.errors, values);
      return done(result.caseClosed ? "contracts.notice.caseClosed" : "contracts.notice.taskNotApplicable");
    }
    case "assign": {
      const assignee = field("assigneeUserId");
      const result = await assignTask(actor, taskId, assignee === "" ? null : assignee, now);
      if (!result.ok) return fail(result.errors);
      return done("contracts.notice.assigned");
    }
    case "choice": {
      const values = { choice: field("choice"), confirm: field("confirm") };
      const parsed = ChoiceFieldsSchema.safeParse(values);
      if (!parsed.success) return fail(zodErrors(parsed.error), values);
      const result = await recordChoice(actor, caseId, parsed.data.choice as EocChoice, now);
      if (!result.ok) return fail(result.errors, values);
      return done("contracts.notice.choiceRecorded");
    }
    case "withdraw": {
      const values = { reason: field("reason"), confirm: field("confirm") };
      const parsed = WithdrawSchema.safeParse(values);
      if (!parsed.success) return fail(zodErrors(parsed.error), values);
      const result = await withdrawTermination(actor, caseId, parsed.data.reason, now);
      if (!result.ok) return fail(result.errors, values);
      return done("contracts.notice.withdrawn");
    }
    case "certificate": {
      const result = await issueCertificate(actor, caseId, now);
      if (!result.ok) return fail(result.errors);
      return done("contracts.notice.certificateIssued");
    }
    default:
      throw notFound();
  }
}

type Detail = ReturnType<typeof useLoaderData<typeof loader>>["detail"];
type FileLimits = ReturnType<typeof useLoaderData<typeof loader>>["fileLimits"];
type Task = Detail["tasks"][number];

export default function CasePage() {
  const t = useT();
  const l = useLocalizedText();
  const { detail, staff, today, computedEndDisplay, withdrawnDisplay, fileLimits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const recorded = searchParams.get("recorded");
  const caseErrors = actionData && !actionData.taskId ? actionData : undefined;
  const openTasks = detail.tasks.filter((task) => task.status === "open").length;
  return (
    <>
      <p>
        <Link to="/contracts">← {t("contracts.title")}</Link> · <Link to={`/contracts/tasks?customerId=${detail.customerId}`}>{t("contracts.tasks.title")}</Link>
      </p>
      {!actionData && (recorded === "opened" || recorded === "scheduled") ? (
        <p className="notice ok" role="status">
          {t(recorded === "opened" ? "contracts.notice.recordedOpened" : "contracts.notice.recordedScheduled", { date: detail.endDisplay })}
        </p>
      ) : null}
      {actionData?.notice ? (
        <p className="notice ok" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      <div className="page-header">
        <h1>
          <span className="mono">{detail.reference}</span> {detail.customerName}
        </h1>
        <span>
          <CaseStatusBadge status={detail.status} />{" "}
          {detail.certificateIssuedAt ? (
            <a className="button" href={`/contracts/${detail.id}/certificate.pdf`}>
              {t("contracts.certificate.download")}
            </a>
          ) : null}
        </span>
      </div>

      <div className="cards">
        <section className="card" aria-labelledby="facts">
          <h2 id="facts">{t("contracts.case.facts")}</h2>
          <dl className="facts">
            <dt>{t("contracts.case.customer")}</dt>
            <dd>
              <Link to={`/customers/${detail.customerId}`}>{detail.customerName}</Link>
            </dd>
            <dt>{t("contracts.terminate.kind")}</dt>
            <dd>{t(`contracts.kind.${detail.kind}`)}</dd>
            <dt>{t("contracts.terminate.givenBy")}</dt>
            <dd>{t(`contracts.givenBy.${detail.noticeGivenBy}`)}</dd>
            <dt>{t("contracts.terminate.receivedOn")}</dt>
            <dd>
              <time dateTime={detail.noticeReceivedOn}>{detail.noticeReceivedDisplay}</time>
            </dd>
            <dt>{t("contracts.case.endDate")}</dt>
            <dd>
              <ExplainedDateView date={detail.endDate} display={detail.endDisplay} explanation={detail.endExplanation} basis={detail.endBasis} />
            </dd>
            {detail.overrideReason ? (
              <>
                <dt>{t("contracts.case.computedEnd")}</dt>
                <dd>
                  <time dateTime={detail.computedEndDate}>{computedEndDisplay}</time> · <span className="badge warn">{t("contracts.terminate.overridden")}</span>
                  <br />
                  <span className="small">
                    {t("contracts.case.overrideReason")}: {detail.overrideReason}
                  </span>
                </dd>
              </>
            ) : null}
            {detail.sourceRef ? (
              <>
                <dt>{t("contracts.terminate.source")}</dt>
                <dd>
                  <Link to="/subprocessors/objections?state=resolved">{t("contracts.case.fromObjection")}</Link>
                </dd>
              </>
            ) : null}
            {detail.note ? (
              <>
                <dt>{t("contracts.terminate.note")}</dt>
                <dd>{detail.note}</dd>
              </>
            ) : null}
            <dt>{t("contracts.case.termsVersion")}</dt>
            <dd>{detail.termsVersion === null ? t("common.none") : `v${detail.termsVersion}`}</dd>
            <ExplainedDateFact label={t("contracts.case.exitRequest")} value={detail.exitRequest} />
            {detail.closedAt ? (
              <>
                <dt>{t("contracts.case.certificate")}</dt>
                <dd>
                  {detail.certificateIssuedDisplay}
                  {detail.certificateSha256 ? (
                    <>
                      <br />
                      <span className="mono small">SHA-256 {detail.certificateSha256}</span>
                    </>
                  ) : null}
                </dd>
              </>
            ) : null}
          </dl>
        </section>

        <section className="card" aria-labelledby="choice">
          <h2 id="choice">{t("contracts.choice.title")}</h2>
          {detail.choice ? (
            <p>
              <ChoiceValue choice={detail.choice}>
                {t(`contracts.choiceSource.${detail.choiceSource ?? "staff"}`, { date: detail.choiceMadeDisplay, name: detail.choiceMadeBy ?? "—" })}
              </ChoiceValue>
            </p>
          ) : (
            <p>
              <NoChoiceBadge />
            </p>
          )}
          <dl className="facts">
            <DefaultChoiceFacts
              deadlineLabel={t("contracts.choice.deadline")}
              deadline={detail.choiceDeadline}
              defaultLabel={t("contracts.choice.default")}
              defaultChoice={detail.defaultChoice}
              explanation={detail.defaultChoiceExplanation}
            />
          </dl>
          {detail.canWrite && !detail.choice && (detail.status === "scheduled" || detail.status === "open") ? (
            <ContractChoiceForm
              legend={t("contracts.choice.onBehalf")}
              confirmLabel={t("contracts.choice.staffConfirm")}
              submitLabel={t("contracts.choice.record")}
              submitClassName="secondary"
              errorId="staff-choice-error"
              serverErrors={caseErrors?.intent === "choice" ? caseErrors.errors : undefined}
            >
              <input type="hidden" name="intent" value="choice" />
            </ContractChoiceForm>
          ) : null}
        </section>
      </div>

      {detail.status === "scheduled" ? (
        <section className="card" aria-labelledby="planned">
          <h2 id="planned">{t("contracts.case.planned")}</h2>
          <p className="muted">{t("contracts.case.plannedIntro", { date: detail.endDisplay })}</p>
          {detail.plannedTasks.length === 0 ? (
            <p className="empty">{t("contracts.case.noPlanned")}</p>
          ) : (
            <ContractTable
              rows={detail.plannedTasks}
              rowKey={(p, i) => `${p.kind}-${i}`}
              columns={[
                {
                  label: t("contracts.col.task"),
                  cell: (p) => (
                    <>
                      <TaskTitle title={p.title} subprocessorName={p.subprocessorName} />
                      {!p.applies ? (
                        <>
                          {" "}
                          <span className="badge neutral">{t("contracts.taskStatus.not_applicable")}</span>
                        </>
                      ) : null}
                    </>
                  ),
                },
                { label: t("contracts.col.due"), cell: (p) => (p.dueDate ? <time dateTime={p.dueDate}>{p.dueDisplay}</time> : t("contracts.task.noDeadline")) },
                { label: t("contracts.col.basis"), className: "small", cell: (p) => l(p.explanation) },
              ]}
            />
          )}
        </section>
      ) : null}

      {detail.tasks.length > 0 ? (
        <section aria-labelledby="tasks">
          <h2 id="tasks">{t("contracts.case.tasks", { open: openTasks, total: detail.tasks.length })}</h2>
          {detail.tasks.map((task, index) => (
            <TaskCard
              key={task.id}
              number={index + 1}
              task={task}
              staff={staff}
              today={today}
              fileLimits={fileLimits}
              canWrite={detail.canWrite}
              result={actionData && actionData.taskId === task.id ? actionData : undefined}
            />
          ))}
        </section>
      ) : detail.status === "open" ? (
        <p className="empty">{t("contracts.case.noTasks")}</p>
      ) : null}

      {detail.canWrite && detail.status === "open" && !detail.certificateIssuedAt ? (
        <section className="card" aria-labelledby="issue">
          <h2 id="issue">{t("contracts.certificate.title")}</h2>
          <p className="muted small">{t("contracts.certificate.hint")}</p>
          <FormError message={caseErrors?.intent === "certificate" ? caseErrors.errors.form : undefined} />
          <Form method="post">
            <input type="hidden" name="intent" value="certificate" />
            <button type="submit" className="secondary">
              {t("contracts.certificate.issue")}
            </button>
          </Form>
        </section>
      ) : null}

      {detail.canWithdraw ? (
        <section className="card" aria-labelledby="withdraw">
          <h2 id="withdraw">{t("contracts.withdraw.title")}</h2>
          <p className="muted small">{t("contracts.withdraw.hint")}</p>
          <ReasonConfirmForm
            intent="withdraw"
            confirmLabel={t("contracts.withdraw.confirm", { name: detail.customerName })}
            submitLabel={t("contracts.withdraw.submit")}
            serverErrors={caseErrors?.intent === "withdraw" ? caseErrors.errors : undefined}
            typed={caseErrors?.intent === "withdraw" ? caseErrors.values : undefined}
          />
        </section>
      ) : null}
      {detail.status === "withdrawn" ? <p className="notice">{t("contracts.withdraw.done", { date: withdrawnDisplay })}</p> : null}
    </>
  );
}

function ReasonConfirmForm({
  intent,
  confirmLabel,
  submitLabel,
  serverErrors,
  typed,
}: {
  intent: "withdraw";
  confirmLabel: string;
  submitLabel: string;
  serverErrors?: Record<string, string>;
  typed?: Record<string, string>;
}) {
  const t = useT();
  const errorText = useErrorText();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<z.infer<typeof WithdrawSchema>>({ resolver: zodResolver(WithdrawSchema), defaultValues: { reason: typed?.reason ?? "" } });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const reasonError = errorText(errors.reason?.message ?? serverErrors?.reason);
  const confirmError = errorText(errors.confirm?.message ?? serverErrors?.confirm);
  return (
    <Form method="post" noValidate onSubmit={onValidSubmit}>
      <input type="hidden" name="intent" value={intent} />
      <FormError message={serverErrors?.form} />
      <div className="field">
        <label htmlFor={`${intent}-reason`}>{t("contracts.reason")}</label>
        <textarea id={`${intent}-reason`} rows={3} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? `${intent}-reason-error` : undefined} {...register("reason")} defaultValue={typed?.reason ?? ""} />
        <FieldErrorText id={`${intent}-reason-error`} error={reasonError} />
      </div>
      <ConfirmCheckbox label={confirmLabel} inputProps={register("confirm")} error={confirmError} />
      <div className="form-actions">
        <button type="submit" className="danger">
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} B`;
}

function TaskCard({
  number,
  task,
  staff,
  today,
  fileLimits,
  canWrite,
  result,
}: {
  number: number;
  task: Task;
  staff: { id: string; name: string; email: string }[];
  today: string;
  fileLimits: FileLimits;
  canWrite: boolean;
  result?: ActionData;
}) {
  const t = useT();
  const l = useLocalizedText();
  const errorText = useErrorText();
  const headingId = `task-${task.id}`;
  return (
    <article className={`card eoc-task${task.overdue ? " eoc-overdue" : ""}`} aria-labelledby={headingId} id={`t-${task.id}`}>
      <div className="page-header">
        <h3 id={headingId}>
          {number}. <TaskTitle title={task.title} subprocessorName={task.subprocessor?.name} />
        </h3>
        <TaskStatusBadge status={task.status} overdue={task.overdue} />
      </div>
      <p className="small">{l(task.instruction)}</p>
      <dl className="facts">
        <dt>{t("contracts.col.due")}</dt>
        <dd>
          <TaskDueView dueDate={task.dueDate} dueDisplay={task.dueDisplay} basis={task.basis} explanation={task.explanation} />
        </dd>
        {task.subprocessor ? (
          <>
            <dt>{t("contracts.task.subprocessor")}</dt>
            <dd>
              <Link to={`/subprocessors/${task.subprocessor.id}`}>{task.subprocessor.name}</Link> ({task.subprocessor.locations.join(", ")})
            </dd>
          </>
        ) : null}
        <dt>{t("contracts.col.assignee")}</dt>
        <dd>{task.assignee?.name ?? t("contracts.task.unassigned")}</dd>
        <dt>{t("contracts.task.evidence")}</dt>
        <dd>{task.evidenceRequired ? t("contracts.task.evidenceRequired") : t("contracts.task.evidenceOptional")}</dd>
        {task.status !== "open" ? (
          <>
            <dt>{task.status === "done" ? t("contracts.task.doneBy") : t("contracts.task.notApplicableBy")}</dt>
            <dd>
              {task.completedBy ?? "—"} · {task.completedDisplay}
              {task.doneOn ? (
                <>
                  <br />
                  {t("contracts.task.doneOnValue", { date: task.doneOnDisplay })}
                </>
              ) : null}
            </dd>
            {task.evidenceNote ? (
              <>
                <dt>{task.status === "done" ? t("contracts.task.note") : t("contracts.reason")}</dt>
                <dd className="eoc-note">{task.evidenceNote}</dd>
              </>
            ) : null}
            {task.backupsExpireOn ? (
              <>
                <dt>{t("contracts.task.backupsExpireOn")}</dt>
                <dd>
                  <time dateTime={task.backupsExpireOn}>{task.backupsExpireOnDisplay}</time>
                </dd>
              </>
            ) : null}
          </>
        ) : null}
        {task.files.length > 0 ? (
          <>
            <dt>{t("contracts.task.files")}</dt>
            <dd>
              <ul>
                {task.files.map((f) => (
                  <li key={f.id}>
                    <a href={`/contracts/${task.caseId}/evidence/${f.id}`}>{f.filename}</a> · {formatBytes(f.sizeBytes)} · {f.uploadedDisplay}
                    {f.uploadedBy ? ` · ${f.uploadedBy}` : ""}
                    <br />
                    <span className="mono small">SHA-256 {f.sha256}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {result?.errors.form ? <FormError message={result.errors.form} /> : null}
      {canWrite && task.status === "open" ? (
        <>
          {staff.length > 0 ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="assign" />
              <input type="hidden" name="taskId" value={task.id} />
              <div className="field">
                <label htmlFor={`assign-${task.id}`}>{t("contracts.col.assignee")}</label>
                <select id={`assign-${task.id}`} name="assigneeUserId" defaultValue={task.assignee?.id ?? ""}>
                  <option value="">{t("contracts.task.unassigned")}</option>
                  {staff.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
                <FieldErrorText error={result?.intent === "assign" ? errorText(result.errors.assigneeUserId) : undefined} />
              </div>
              <button type="submit" className="secondary">
                {t("contracts.task.assign")}
              </button>
            </Form>
          ) : null}
          {task.canComplete ? (
            <details open={result?.intent === "complete" || undefined}>
              <summary>{t("contracts.task.complete")}</summary>
              <CompleteForm task={task} today={today} fileLimits={fileLimits} result={result?.intent === "complete" ? result : undefined} />
            </details>
          ) : null}
          {task.canMarkNotApplicable ? (
            <details open={result?.intent === "not_applicable" || undefined}>
              <summary>{t("contracts.task.markNotApplicable")}</summary>
              <NotApplicableForm taskId={task.id} result={result?.intent === "not_applicable" ? result : undefined} />
            </details>
          ) : null}
          {!task.canComplete && task.kind === "customer_choice" ? <p className="muted small">{t("contracts.task.choiceHint")}</p> : null}
          {!task.canComplete && task.kind === "certificate" ? <p className="muted small">{t("contracts.error.certificate_automatic")}</p> : null}
        </>
      ) : null}
    </article>
  );
}

function CompleteForm({ task, today, fileLimits, result }: { task: Task; today: string; fileLimits: FileLimits; result?: ActionData }) {
  const t = useT();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const typed = result?.values;
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<CompleteInput>({
    resolver: zodResolver(CompleteSchema),
    defaultValues: {
      taskId: task.id,
      evidenceRequired: task.evidenceRequired ? "1" : "0",
      note: typed?.note ?? "",
      doneOn: typed?.doneOn ?? today,
      backupsExpireOn: typed?.backupsExpireOn ?? "",
    },
  });
  const onValidSubmit = useValidatedSubmit(handleSubmit, { encType: "multipart/form-data" });
  const id = `complete-${task.id}`;
  const err = (name: "note" | "doneOn" | "backupsExpireOn" | "file") => errorText((name === "file" ? undefined : errors[name]?.message) ?? result?.errors[name]);
  const described = (name: string, hint: boolean) => [hint ? `${id}-${name}-hint` : null, err(name as "note") ? `${id}-${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <Form method="post" encType="multipart/form-data" noValidate onSubmit={onValidSubmit}>
      <input type="hidden" name="intent" value="complete" />
      <input type="hidden" {...register("taskId")} defaultValue={task.id} />
      <input type="hidden" {...register("evidenceRequired")} defaultValue={task.evidenceRequired ? "1" : "0"} />
      <div className="field">
        <label htmlFor={`${id}-note`}>
          {t("contracts.task.note")} {task.evidenceRequired ? <span className="muted small">({t("common.required")})</span> : null}
        </label>
        <span id={`${id}-note-hint`} className="muted small">
          {t("contracts.task.noteHint")}
        </span>
        <textarea id={`${id}-note`} rows={4} aria-invalid={err("note") ? true : undefined} aria-describedby={described("note", true)} {...register("note")} defaultValue={typed?.note ?? ""} />
        <FieldErrorText id={`${id}-note-error`} error={err("note")} />
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-doneOn`}>{t("contracts.task.doneOn")}</label>
          <input id={`${id}-doneOn`} type="date" max={today} aria-invalid={err("doneOn") ? true : undefined} aria-describedby={described("doneOn", false)} {...register("doneOn")} defaultValue={typed?.doneOn ?? today} />
          <FieldErrorText id={`${id}-doneOn-error`} error={err("doneOn")} />
        </div>
        {task.kind === "backup_expiry" ? (
          <div className="field">
            <label htmlFor={`${id}-backupsExpireOn`}>{t("contracts.task.backupsExpireOn")}</label>
            <span id={`${id}-backupsExpireOn-hint`} className="muted small">
              {t("contracts.task.backupsHint")}
            </span>
            <input
              id={`${id}-backupsExpireOn`}
              type="date"
              aria-invalid={err("backupsExpireOn") ? true : undefined}
              aria-describedby={described("backupsExpireOn", true)}
              {...register("backupsExpireOn")}
              defaultValue={typed?.backupsExpireOn ?? ""}
            />
            <FieldErrorText id={`${id}-backupsExpireOn-error`} error={err("backupsExpireOn")} />
          </div>
        ) : (
          <input type="hidden" {...register("backupsExpireOn")} defaultValue="" />
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t("contracts.task.file")}</label>
        <span id={`${id}-file-hint`} className="muted small">
          {t("contracts.task.fileHint", { mb: fileLimits.maxMb, types: fileLimits.types })}
        </span>
        <input id={`${id}-file`} type="file" name="file" accept={fileLimits.accept} aria-invalid={err("file") ? true : undefined} aria-describedby={described("file", true)} />
        <FieldErrorText id={`${id}-file-error`} error={err("file")} />
      </div>
      <div className="form-actions">
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("contracts.task.completeSubmit")}
        </button>
      </div>
    </Form>
  );
}

function NotApplicableForm({ taskId, result }: { taskId: string; result?: ActionData }) {
  const t = useT();
  const errorText = useErrorText();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<z.infer<typeof ReasonSchema>>({ resolver: zodResolver(ReasonSchema), defaultValues: { reason: result?.values?.reason ?? "" } });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const id = `na-${taskId}`;
  const reasonError = errorText(errors.reason?.message ?? result?.errors.reason);
  return (
    <Form method="post" noValidate onSubmit={onValidSubmit}>
      <input type="hidden" name="intent" value="not_applicable" />
      <input type="hidden" name="taskId" value={taskId} />
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t("contracts.reason")}</label>
        <span id={`${id}-hint`} className="muted small">
          {t("contracts.task.notApplicableHint")}
        </span>
        <textarea
          id={`${id}-reason`}
          rows={3}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={[`${id}-hint`, reasonError ? `${id}-error` : null].filter(Boolean).join(" ")}
          {...register("reason")}
          defaultValue={result?.values?.reason ?? ""}
        />
        <FieldErrorText id={`${id}-error`} error={reasonError} />
      </div>
      <div className="form-actions">
        <button type="submit" className="secondary">
          {t("contracts.task.notApplicableSubmit")}
        </button>
      </div>
    </Form>
  );
}
