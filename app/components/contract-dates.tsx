/**
 * The contract part of a customer's page: current term end, tacit renewal and the last day to give
 * notice (each with its basis from the clock engine), and the way to record the end of the contract
 * or to open the case that is already running.
 */
import { Link } from "@remix-run/react";
import type { LocalizedText } from "~/domain/locale";
import type { DeadlineBasis } from "~/domain/deadline";
import { useT } from "~/i18n/i18n";
import { BasisBadge, CaseStatusBadge, ExplainedDateView, useLocalizedText, type CaseStatus } from "./contracts";

type Explained = { date: string; display: string; explanation: LocalizedText; basis: DeadlineBasis };

export type ContractDatesOverview = {
  customer: { id: string; archived: boolean; status: string };
  clock:
    | { kind: "running"; termEnd: Explained; renewal: { explanation: LocalizedText; basis: DeadlineBasis }; lastNoticeDay: Explained | null }
    | { kind: "ended"; endedOnDisplay: string }
    | { kind: "unavailable"; message: LocalizedText };
  activeCase: { id: string; reference: string; status: CaseStatus; endDisplay: string } | null;
  pastCases: { id: string; reference: string; status: CaseStatus; endDisplay: string }[];
  canWrite: boolean;
};

export function ContractDates({ overview }: { overview: ContractDatesOverview }) {
  const t = useT();
  const l = useLocalizedText();
  const { clock, activeCase, pastCases, customer, canWrite } = overview;
  return (
    <div className="eoc-contract-dates">
      <h3>{t("contracts.customer.title")}</h3>
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
        <p className="form-error">{l(clock.message)}</p>
      )}
      {activeCase ? (
        <p>
          <CaseStatusBadge status={activeCase.status} />{" "}
          <Link to={`/contracts/${activeCase.id}`}>{t("contracts.customer.caseLink", { reference: activeCase.reference, date: activeCase.endDisplay })}</Link>
        </p>
      ) : canWrite && !customer.archived && customer.status === "active" ? (
        <p>
          <Link className="button secondary" to={`/customers/${customer.id}/terminate`}>
            {t("contracts.customer.recordEnd")}
          </Link>
        </p>
      ) : null}
      {pastCases.length > 0 ? (
        <ul className="small">
          {pastCases.map((c) => (
            <li key={c.id}>
              <Link to={`/contracts/${c.id}`} className="mono">
                {c.reference}
              </Link>{" "}
              <CaseStatusBadge status={c.status} /> · {c.endDisplay}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
