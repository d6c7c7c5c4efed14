/**
 * Small shared pieces of the end-of-contract pages (staff and portal): status badges, the label of
 * a choice, and a computed date with its explanation (the basis from the clock engine).
 */
import type { DeadlineBasis } from "~/domain/deadline";
import type { LocalizedText } from "~/domain/locale";
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
