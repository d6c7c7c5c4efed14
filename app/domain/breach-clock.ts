/**
 * Breach clocks, in elapsed hours (through nights, weekends, holidays and DST changes):
 * - the processor → customer notice, from the customer's effective terms;
 * - the customer → authority (AP) notification that the customer sees in the portal.
 */
import type { Temporal } from "temporal-polyfill";
import { assertPositiveHours, basisOfField, hoursDeadline, STATUTORY_AUTHORITY_BASIS, type InstantDeadline } from "./deadline";
import { DomainError } from "./errors";
import type { EffectiveTerms } from "./terms";
import { parseInstant } from "./time";

export type BreachTiming = {
  /** when the processor discovered the breach (ISO instant) */
  discoveredAt: string;
  /** when the processor could reasonably have known (Leadcube VO 7.5); defaults to discoveredAt */
  shouldHaveKnownAt?: string;
  /** the breach happened at a third party the processor engaged (PureDigital 6.6) */
  atThirdParty: boolean;
};

const STATUTORY_AUTHORITY_HOURS = 72;

/**
 * When the processor must have told this customer. In order:
 * 1. breach at a third party and the terms set a third-party limit → that limit from discovery;
 * 2. the terms set an hour limit → from discovery or from when it should have been known;
 * 3. otherwise the workspace's internal target from discovery, labelled internal.
 */
export function customerNoticeDeadline(input: { terms: EffectiveTerms; breach: BreachTiming; internalTargetHours: number }): InstantDeadline {
  const { terms, breach } = input;
  assertPositiveHours(input.internalTargetHours, "internalTargetHours");
  const discoveredAt = parseInstant(breach.discoveredAt, "discoveredAt");

  const thirdParty = terms.thirdPartyBreachNoticeHours;
  if (breach.atThirdParty && thirdParty.value !== null) {
    return hoursDeadline({
      event: "breach_discovered",
      from: discoveredAt,
      hours: thirdParty.value,
      basis: basisOfField(thirdParty, "third-party breach notice limit"),
    });
  }

  const limit = terms.breachNoticeHours;
  if (limit.value !== null) {
    const fromShouldHaveKnown = terms.breachClockStart.value === "should_have_known";
    return hoursDeadline({
      event: fromShouldHaveKnown ? "breach_should_have_known" : "breach_discovered",
      from: fromShouldHaveKnown ? shouldHaveKnownAt(breach, discoveredAt) : discoveredAt,
      hours: limit.value,
      basis: basisOfField(limit, "breach notice limit"),
    });
  }

  return hoursDeadline({
    event: "breach_discovered",
    from: discoveredAt,
    hours: input.internalTargetHours,
    basis: { kind: "internal", note: "workspace internal breach notice target; the terms set no hour limit" },
  });
}

function shouldHaveKnownAt(breach: BreachTiming, discoveredAt: Temporal.Instant): Temporal.Instant {
  if (breach.shouldHaveKnownAt === undefined) return discoveredAt;
  const known = parseInstant(breach.shouldHaveKnownAt, "shouldHaveKnownAt");
  if (known.epochMilliseconds > discoveredAt.epochMilliseconds) {
    throw new DomainError("invalid_order", "shouldHaveKnownAt", {
      nl: "Het moment van redelijkerwijs kunnen weten ligt na de ontdekking; dat kan niet.",
      en: "The moment the processor could reasonably have known is after the discovery; that cannot be.",
    });
  }
  return known;
}

/**
 * The customer's deadline to notify the authority, counted from the processor's notice to
 * the customer (the moment the customer became aware): the contractual limit where the
 * terms set one (Leadcube VO 7.5: 48 h), else the statutory 72 h of art. 33(1) GDPR.
 */
export function authorityDeadline(input: { terms: EffectiveTerms; notifiedAt: string }): InstantDeadline {
  const notifiedAt = parseInstant(input.notifiedAt, "notifiedAt");
  const contractual = input.terms.authorityDeadlineHours;
  if (contractual.value !== null) {
    return hoursDeadline({
      event: "customer_notified",
      from: notifiedAt,
      hours: contractual.value,
      basis: basisOfField(contractual, "authority notification limit"),
    });
  }
  return hoursDeadline({
    event: "customer_notified",
    from: notifiedAt,
    hours: STATUTORY_AUTHORITY_HOURS,
    basis: STATUTORY_AUTHORITY_BASIS,
  });
}
