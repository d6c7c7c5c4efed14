/**
 * The contract part of a customer's page: current term end, tacit renewal and the last day to give
 * notice (each with its basis from the clock engine), and the way to record the end of the contract
 * or to open the case that is already running. The clock part (ContractClockView) also serves the
 * termination page and the portal.
 */
import { Link } from "@remix-run/react";
import type { LocalizedText } from "~/domain/locale";
import type { DeadlineBasis } from "~/domain/deadline";
import { useT } from "~/i18n/i18n";
import { BasisBadge, CaseStatusBadge, ExplainedDateFact, useLocalizedText, type CaseStatus } from "./contracts";

type Explained = { date: string; display: string; explanation: LocalizedText; basis: DeadlineBasis };

export type ContractClockData =
  | { kind: "running"; termEnd: Explained; renewal: { explanation: LocalizedText; basis: DeadlineBasis }; lastNoticeDay: Explained | null }
  | { kind: "ended"; endedOnDisplay: string }
  | { kind: "unavailable"; message: LocalizedText };

/**
 * The contract clock: while the contract runs, the end of the current term, tacit renewal and the
 * last day to give notice, each with its basis (optionally preceded by the contract start); else
 * the date it ended, or why the dates cannot be computed.
 */
export function ContractClockView({
  clock,
  contractStart,
  unavailableClassName = "form-error",
}: {
  clock: ContractClockData;
  contractStart?: { date: string; display: string };
  unavailableClassName?: string;
}) {
  const t = useT();
  const l = useLocalizedText();
  if (clock.kind === "ended") return <p>{t("contracts.clock.ended", { date: clock.endedOnDisplay })}</p>;
  if (clock.kind === "unavailable") return <p className={unavailableClassName}>{l(clock.message)}</p>;
  return (
    <dl className="facts">
      {contractStart ? (
        <>
          <dt>{t("contracts.clock.contractStart")}</dt>
          <dd>
            <time dateTime={contractStart.date}>{contractStart.display}</time>
          </dd>
        </>
      ) : null}
      <ExplainedDateFact label={t("contracts.clock.termEnd")} value={clock.termEnd} />
      <dt>{t("contracts.clock.renewal")}</dt>
      <dd>
        {l(clock.renewal.explanation)} <BasisBadge basis={clock.renewal.basis} />
      </dd>
      <ExplainedDateFact label={t("contracts.clock.lastNoticeDay")} value={clock.lastNoticeDay} />
    </dl>
  );
}

export type ContractDatesOverview = {
  customer: { id: string; archived: boolean; status: string };
  clock: ContractClockData;
  activeCase: { id: string; reference: string; status: CaseStatus; endDisplay: string } | null;
  pastCases: { id: string; reference: string; status: CaseStatus; endDisplay: string }[];
  canWrite: boolean;
};

export function ContractDates({ overview }: { overview: ContractDatesOverview }) {
  const t = useT();
  const { clock, activeCase, pastCases, customer, canWrite } = overview;
  return (
    <div className="eoc-contract-dates">
      <h3>{t("contracts.customer.title")}</h3>
      <ContractClockView clock={clock} />
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
