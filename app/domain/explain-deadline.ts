/**
 * Human sentences for deadlines, in Dutch and English:
 *   "24 uur na 28-03-2026 14:00 CET (art. 7.5 verwerkersovereenkomst) → 29-03-2026 15:00 CEST"
 *   "2 weeks after 18-04-2026 10:00 CEST (Art. 4.2 Annex 1) → 02-05-2026; moved to 04-05-2026 under …"
 */
import type { Deadline, DeadlineAdjustment, DeadlineBasis, DeadlineStartEvent } from "./deadline";
import type { Locale, LocalizedText } from "./locale";
import { formatArticleRef } from "./terms";
import { formatAmount, formatDisplayDate, formatDisplayInstant, parseInstant, parsePlainDate } from "./time";

export const START_EVENT_LABELS: Record<DeadlineStartEvent, LocalizedText> = {
  breach_discovered: { nl: "ontdekking van het datalek", en: "discovery of the breach" },
  breach_should_have_known: {
    nl: "moment waarop de verwerker redelijkerwijs op de hoogte had kunnen zijn",
    en: "moment the processor could reasonably have known",
  },
  customer_notified: { nl: "melding aan de klant", en: "notice to the customer" },
  notice_sent: { nl: "verzending van de kennisgeving", en: "notice sent" },
  term_end: { nl: "laatste dag van de looptijd", en: "last day of the term" },
  contract_end: { nl: "laatste dag van de overeenkomst", en: "last day of the contract" },
  data_deleted: { nl: "verwijdering van de gegevens", en: "deletion of the data" },
  deletion_due: { nl: "uiterste verwijderdatum", en: "deletion deadline" },
};

export function describeBasis(basis: DeadlineBasis, locale: Locale): string {
  switch (basis.kind) {
    case "contractual":
      if (basis.source === "negotiated") return `${locale === "nl" ? "onderhandeld" : "negotiated"}: ${basis.clause ?? basis.article}`;
      return formatArticleRef(basis.article, locale);
    case "statutory":
      return basis.label[locale];
    case "internal":
      return locale === "nl" ? "interne norm, geen contractuele termijn" : "internal target, not contractual";
    case "none":
      return locale === "nl" ? "geen grondslag vastgelegd" : "no basis recorded";
  }
}

/** A start or due value for display: a date as "28-03-2026", an instant with time and zone. */
function displayMoment(value: string): string {
  return value.length === 10 ? formatDisplayDate(parsePlainDate(value, "date")) : formatDisplayInstant(parseInstant(value, "instant"));
}

function describeCount(deadline: Deadline, locale: Locale): string {
  const start = displayMoment(deadline.start.at);
  if (deadline.direction === "on") return locale === "nl" ? `uiterlijk op ${start}` : `by ${start}`;
  const amount = formatAmount(deadline.amount, deadline.unit, locale);
  const word = deadline.direction === "after" ? (locale === "nl" ? "na" : "after") : locale === "nl" ? "vóór" : "before";
  return `${amount} ${word} ${start}`;
}

function describeAdjustment(adjustment: DeadlineAdjustment, locale: Locale): string {
  if (adjustment.kind === "month_end_clamped") {
    return locale === "nl"
      ? ` (geen ${adjustment.requestedDay}e in die maand: laatste dag van de maand)`
      : ` (no day ${adjustment.requestedDay} in that month: last day of the month)`;
  }
  const skipped = adjustment.skipped
    .map((day) => `${day.name[locale]} ${formatDisplayDate(parsePlainDate(day.date, "date"))}`)
    .join(", ");
  const to = formatDisplayDate(parsePlainDate(adjustment.to, "date"));
  return locale === "nl"
    ? `; verschoven naar ${to} volgens de Algemene termijnenwet (${skipped})`
    : `; moved to ${to} under the Dutch Algemene termijnenwet (${skipped})`;
}

/** One sentence: count, basis, due date/time, and why the date moved. */
export function explainDeadline(deadline: Deadline, locale: Locale): string {
  const termijnenwet = deadline.adjustments.find((adjustment) => adjustment.kind === "termijnenwet");
  const unmovedDue = termijnenwet ? termijnenwet.from : deadline.due;
  const adjustments = deadline.adjustments.map((adjustment) => describeAdjustment(adjustment, locale)).join("");
  return `${describeCount(deadline, locale)} (${describeBasis(deadline.basis, locale)}) → ${displayMoment(unmovedDue)}${adjustments}`;
}
