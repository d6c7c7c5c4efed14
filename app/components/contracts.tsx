/**
 * Small shared pieces of the end-of-contract pages (staff and portal): status badges, the label of
 * a choice, a computed date with its explanation (the basis from the clock engine), and the facts
 * built from them (a date as `dt`/`dd`, the choice and its default, a task's title and due date).
 */
import type { DeadlineBasis } from "~/domain/deadline";
import type { LocalizedText } from "~/domain/locale";
import type { ReactNode } from "react";
import { useLocale, useT } from "~/i18n/i18n";

export type CaseStatus = "scheduled" | "open" | "closed" | "withdrawn";
export type TaskStatus = "open" | "done" | "not_applicable";
export type Choice = "return" | "delete" | "return_then_delete";

const CASE_TONE: Record<CaseStatus, string> = { scheduled: "warn", open: "danger", closed: "ok", withdrawn: "neutral" };
const TASK_TONE: Record<TaskStatus, string> = { open: "warn", done: "ok", not_applicable: "neutral" };

export function useLocalizedText(): (text: LocalizedText | null | undefined) => string {
  const locale = useLocale();
  return (text) => (text ? text[locale] : "");
}

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const t = useT();
  return <span className={`badge ${CASE_TONE[status]}`}>{t(`contracts.caseStatus.${status}`)}</span>;
}

export function TaskStatusBadge({ status, overdue = false }: { status: TaskStatus; overdue?: boolean }) {
  const t = useT();
  if (overdue && status === "open") return <span className="badge danger">{t("contracts.task.overdue")}</span>;
  return <span className={`badge ${TASK_TONE[status]}`}>{t(`contracts.taskStatus.${status}`)}</span>;
}

/** Where a date's rule comes from: the contract (article), the law, or the workspace's own target. */
export function BasisBadge({ basis }: { basis: DeadlineBasis | null | undefined }) {
  const t = useT();
  if (!basis) return null;
  if (basis.kind === "internal") return <span className="badge warn">{t("contracts.basis.internal")}</span>;
  if (basis.kind === "contractual" && basis.source === "negotiated") return <span className="badge warn">{t("contracts.basis.negotiated")}</span>;
  if (basis.kind === "statutory") return <span className="badge neutral">{t("contracts.basis.statutory")}</span>;
  return null;
}

/** A computed date, bold, with its badge and the sentence that explains it. */
export function ExplainedDateView({
  date,
  display,
  explanation,
  basis,
}: {
  date: string;
  display: string;
  explanation: LocalizedText;
  basis?: DeadlineBasis | null;
}) {
  const l = useLocalizedText();
  return (
    <>
      <strong>
        <time dateTime={date}>{display}</time>
      </strong>{" "}
      <BasisBadge basis={basis} />
      <br />
      <span className="small">{l(explanation)}</span>
    </>
  );
}

type Explained = { date: string; display: string; explanation: LocalizedText; basis?: DeadlineBasis | null };

/** A `dt`/`dd` pair with a computed date and its basis; nothing when there is no such date. */
export function ExplainedDateFact({ label, value }: { label: string; value: Explained | null | undefined }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <ExplainedDateView {...value} />
      </dd>
    </>
  );
}

/** A choice (return, deletion, return then deletion), bold, with a line below saying who made it or why. */
export function ChoiceValue({ choice, children }: { choice: Choice; children: ReactNode }) {
  const t = useT();
  return (
    <>
      <strong>{t(`contracts.choice.${choice}`)}</strong>
      <br />
      <span className="small">{children}</span>
    </>
  );
}

export function NoChoiceBadge() {
  const t = useT();
  return <span className="badge warn">{t("contracts.choice.none")}</span>;
}

/** While no choice is made: by when the customer should answer, and what happens without an answer (with why). */
export function DefaultChoiceFacts({
  deadlineLabel,
  deadline,
  defaultLabel,
  defaultChoice,
  explanation,
}: {
  deadlineLabel: string;
  deadline: Explained | null;
  defaultLabel: string;
  defaultChoice: Choice;
  explanation: LocalizedText;
}) {
  const l = useLocalizedText();
  return (
    <>
      <ExplainedDateFact label={deadlineLabel} value={deadline} />
      <dt>{defaultLabel}</dt>
      <dd>
        <ChoiceValue choice={defaultChoice}>{l(explanation)}</ChoiceValue>
      </dd>
    </>
  );
}

/** A task's title, with the sub-processor it is about. */
export function TaskTitle({ title, subprocessorName }: { title: LocalizedText; subprocessorName?: string | null }) {
  const l = useLocalizedText();
  return (
    <>
      {l(title)}
      {subprocessorName ? ` · ${subprocessorName}` : ""}
    </>
  );
}

/** A task's due date with its basis and the rule behind it; in a table a missing date is muted and the badge always shown. */
export function TaskDueView({
  dueDate,
  dueDisplay,
  basis,
  explanation,
  inTable = false,
}: {
  dueDate: string | null;
  dueDisplay: string;
  basis: DeadlineBasis | null;
  explanation: LocalizedText;
  inTable?: boolean;
}) {
  const t = useT();
  const l = useLocalizedText();
  const date = dueDate ? (
    <strong>
      <time dateTime={dueDate}>{dueDisplay}</time>
    </strong>
  ) : null;
  return (
    <>
      {inTable ? (
        <>
          {date ?? <span className="muted">{t("contracts.task.noDeadline")}</span>} <BasisBadge basis={basis} />
        </>
      ) : date ? (
        <>
          {date} <BasisBadge basis={basis} />
        </>
      ) : (
        t("contracts.task.noDeadline")
      )}
      <br />
      <span className="small">{l(explanation)}</span>
    </>
  );
}
