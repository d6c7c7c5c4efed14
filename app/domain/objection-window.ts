/**
 * The customer's objection window after a sub-processor change notice. What it is depends on
 * the regime in the customer's effective terms:
 * - specific prior authorisation (Leadcube VO 6): nothing runs; the customer must approve first;
 * - general authorisation with objection and a window (Lai Media B1 4.2: 2 weeks after sending):
 *   a date in Europe/Amsterdam, moved by the Algemene termijnenwet only when the profile says so;
 * - general authorisation with objection but no window (Elementon 30.5.1): objection possible, no end;
 * - general authorisation without objection right, or not regulated: the notice is informational.
 */
import { basisOfField, calendarDeadlineAfter, type DateDeadline } from "./deadline";
import type { EffectiveTerms } from "./terms";
import { amsterdamDateOf, parseInstant, toIsoInstant } from "./time";

export type ObjectionWindowResult =
  | { kind: "window"; deadline: DateDeadline }
  | { kind: "approval_required"; article?: string }
  | { kind: "objection_without_window"; article?: string }
  | { kind: "informational"; article?: string };

export function objectionWindowEnd(input: { terms: EffectiveTerms; noticeSentAt: string }): ObjectionWindowResult {
  const { terms } = input;
  const sentAt = parseInstant(input.noticeSentAt, "noticeSentAt");
  const regime = terms.subprocessorRegime;
  const article = regime.article;
  switch (regime.value) {
    case "specific_prior_authorisation":
      return { kind: "approval_required", article };
    case "general_no_objection":
    case "not_regulated":
      return { kind: "informational", article };
    case "general_with_objection": {
      const window = terms.objectionWindow;
      if (window.value === null) return { kind: "objection_without_window", article };
      const deadline = calendarDeadlineAfter({
        event: "notice_sent",
        startAt: toIsoInstant(sentAt),
        from: amsterdamDateOf(sentAt),
        period: { amount: window.value.amount, unit: window.value.unit },
        basis: basisOfField(window, "sub-processor objection window"),
        termijnenwet: terms.objectionWindowTermijnenwet.value,
      });
      return { kind: "window", deadline };
    }
  }
}
