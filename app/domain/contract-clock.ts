/**
 * The main contract's clock: which term is running, when it renews tacitly, the last day
 * the customer can give notice, and when a contract ends after a notice.
 *
 * Dates are calendar dates in Europe/Amsterdam. Period boundaries are counted from the
 * contract start (start + term + n × renewal months), so month ends clamp without drifting:
 * a contract from 31-01 with 1-month periods renews on 28-02, 31-03, 30-04, …
 * A term's "last day" is the day before the next boundary; notice must be received by the
 * last day of the notice period counted back from the boundary.
 */
import { Temporal } from "temporal-polyfill";
import { basisOfField, calendarDeadlineBefore, onDateDeadline, type DateDeadline } from "./deadline";
import { DomainError } from "./errors";
import { noticeMonthsFor, type EffectiveTerms } from "./terms";
import { parsePlainDate } from "./time";

export type ContractInput = {
  terms: EffectiveTerms;
  /** first day of the contract, "YYYY-MM-DD" */
  contractStart: string;
  /** the term agreed in this customer's contract; falls back to the profile's term */
  contractTermMonths?: number;
};

export type ContractTerm = {
  /** 1 for the initial term, 2 for the first renewal, … */
  period: number;
  termStart: string;
  termLastDay: string;
  /** first day of the next period when the contract renews tacitly, else null */
  renewsOn: string | null;
  periodMonths: number;
  /** last day to give notice against the end of this term; null without tacit renewal */
  lastNoticeDay: DateDeadline | null;
};

export type ContractTermStatus = ({ kind: "running" } & ContractTerm) | { kind: "ended"; endedOn: string };

type Schedule = { start: Temporal.PlainDate; termMonths: number; renewalMonths: number; tacitRenewal: boolean };

function wholeMonths(months: number, field: string): number {
  if (Number.isInteger(months) && months >= 1) return months;
  throw new DomainError("invalid_period", field, {
    nl: `De looptijd moet een heel aantal maanden van minstens 1 zijn (nu ${months}).`,
    en: `The term must be a whole number of months, at least 1 (got ${months}).`,
  });
}

function scheduleOf(input: ContractInput): Schedule {
  const contract = input.terms.mainContract;
  const term = input.contractTermMonths ?? contract.termMonths.value;
  if (term === null) {
    throw new DomainError("contract_term_missing", "contractTermMonths", {
      nl: "De looptijd staat niet in de voorwaarden; vul de looptijd uit het contract van de klant in.",
      en: "The terms leave the term to the contract; enter the term from the customer's contract.",
    });
  }
  const termMonths = wholeMonths(term, "contractTermMonths");
  return {
    start: parsePlainDate(input.contractStart, "contractStart"),
    termMonths,
    renewalMonths: wholeMonths(contract.renewalMonths.value ?? termMonths, "mainContract.renewalMonths"),
    tacitRenewal: contract.tacitRenewal.value,
  };
}

/** Boundary n: the first day after period n (boundary 0 is the contract start). */
function boundary(schedule: Schedule, n: number): Temporal.PlainDate {
  if (n === 0) return schedule.start;
  const months = schedule.termMonths + (n - 1) * schedule.renewalMonths;
  return schedule.start.add({ months }, { overflow: "constrain" });
}

/** The period that contains `date` (period 1 for dates before the start). */
function periodContaining(schedule: Schedule, date: Temporal.PlainDate): number {
  if (Temporal.PlainDate.compare(date, schedule.start) < 0) return 1;
  const monthsSinceStart = schedule.start.until(date, { largestUnit: "months" }).months;
  let n =
    monthsSinceStart < schedule.termMonths
      ? 1
      : 2 + Math.floor((monthsSinceStart - schedule.termMonths) / schedule.renewalMonths);
  while (n > 1 && Temporal.PlainDate.compare(boundary(schedule, n - 1), date) > 0) n--;
  while (Temporal.PlainDate.compare(boundary(schedule, n), date) <= 0) n++;
  return n;
}

/**
 * The last day the customer can give notice against the end of a term. Without a notice
 * period in the terms, notice is accepted up to the term's last day (internal reading).
 */
export function lastNoticeDay(input: { terms: EffectiveTerms; termLastDay: string; periodMonths: number }): DateDeadline {
  const contract = input.terms.mainContract;
  const termLastDay = parsePlainDate(input.termLastDay, "termLastDay");
  const rule = contract.notice.value;
  if (rule === null) {
    return onDateDeadline({
      event: "term_end",
      date: termLastDay,
      basis: { kind: "internal", note: "the terms set no notice period; notice is accepted up to the last day of the term" },
    });
  }
  return calendarDeadlineBefore({
    event: "term_end",
    termLastDay,
    period: { amount: noticeMonthsFor(rule, input.periodMonths), unit: "months" },
    basis: basisOfField(contract.notice, "notice period"),
    termijnenwet: contract.noticeTermijnenwet.value,
  });
}

function termOf(input: ContractInput, schedule: Schedule, period: number): ContractTerm {
  const termStart = boundary(schedule, period - 1);
  const next = boundary(schedule, period);
  const termLastDay = next.subtract({ days: 1 }).toString();
  const periodMonths = period === 1 ? schedule.termMonths : schedule.renewalMonths;
  return {
    period,
    termStart: termStart.toString(),
    termLastDay,
    renewsOn: schedule.tacitRenewal ? next.toString() : null,
    periodMonths,
    lastNoticeDay: schedule.tacitRenewal ? lastNoticeDay({ terms: input.terms, termLastDay, periodMonths }) : null,
  };
}

/** The term running on `today`, or that the contract ended (no tacit renewal, term over). */
export function currentTermEnd(input: ContractInput & { today: string }): ContractTermStatus {
  const schedule = scheduleOf(input);
  const today = parsePlainDate(input.today, "today");
  const period = periodContaining(schedule, today);
  if (!schedule.tacitRenewal && period > 1) {
    return { kind: "ended", endedOn: boundary(schedule, 1).subtract({ days: 1 }).toString() };
  }
  return { kind: "running", ...termOf(input, schedule, period) };
}

export type TerminationOutcome = {
  /** last day of the contract */
  endsOn: string;
  /** whether the notice came by the last notice day of the term it was received in */
  inTime: boolean;
  /** the notice deadline of the term the notice was received in; null when the contract does not renew */
  noticeDeadline: DateDeadline | null;
  /** how many more periods the contract runs because the notice came too late (0 when in time) */
  periodsAdded: number;
};

/** More periods than this between a notice and the end would mean a notice rule longer than any term. */
const MAX_PERIODS_AHEAD = 24;

/**
 * When the contract ends after the customer's notice received on `noticeReceivedOn`: at the
 * end of the running term when the notice was in time, else at the end of the first later
 * term whose last notice day the notice still meets.
 */
export function effectiveEndAfterTermination(input: ContractInput & { noticeReceivedOn: string }): TerminationOutcome {
  const schedule = scheduleOf(input);
  const received = parsePlainDate(input.noticeReceivedOn, "noticeReceivedOn");
  if (!schedule.tacitRenewal) {
    const endsOn = boundary(schedule, 1).subtract({ days: 1 }).toString();
    return { endsOn, inTime: true, noticeDeadline: null, periodsAdded: 0 };
  }
  const current = termOf(input, schedule, periodContaining(schedule, received));
  for (let added = 0; added <= MAX_PERIODS_AHEAD; added++) {
    const term = added === 0 ? current : termOf(input, schedule, current.period + added);
    if (Temporal.PlainDate.compare(received, parsePlainDate(term.lastNoticeDay!.due, "due")) <= 0) {
      return { endsOn: term.termLastDay, inTime: added === 0, noticeDeadline: current.lastNoticeDay, periodsAdded: added };
    }
  }
  throw new DomainError("invalid_period", "mainContract.notice", {
    nl: "De opzegtermijn is langer dan de looptijd; het einde van de overeenkomst is niet te bepalen.",
    en: "The notice period is longer than the term; the end of the contract cannot be determined.",
  });
}
