/**
 * How breach clocks reach a page: the due instant for the live countdown, the moment it turns due
 * soon, the absolute time in Europe/Amsterdam ("29-03-2026 15:00 CEST") and the sentence that says
 * what the deadline counts from and on what basis, in the reader's language. Computed in loaders.
 */
import { dueSoonAt } from "~/domain/breach-obligations";
import type { InstantDeadline } from "~/domain/deadline";
import { describeBasis, explainDeadline } from "~/domain/explain-deadline";
import type { Locale } from "~/domain/locale";
import { displayInstant } from "./display.server";

export type ClockView = {
  due: string;
  soonAt: string;
  absolute: string;
  explanation: string;
  basis: string;
  basisKind: InstantDeadline["basis"]["kind"];
  hours: number;
};

export function clockView(deadline: InstantDeadline, locale: Locale): ClockView {
  return {
    due: deadline.due,
    soonAt: dueSoonAt(deadline.start.at, deadline.due),
    absolute: displayInstant(deadline.due),
    explanation: explainDeadline(deadline, locale),
    basis: describeBasis(deadline.basis, locale),
    basisKind: deadline.basis.kind,
    hours: deadline.amount,
  };
}
