/**
 * The words of sub-processor notices, in the recipient's language: the notice to each customer
 * (whose exact text and SHA-256 are kept as proof), the cancellation and resolution messages, the
 * public change log entry, and the mails to subscribers of the public page. Public texts are built
 * only from public fields: never a customer name, never an internal note.
 */
import { catalogueLabel } from "~/domain/processing-catalogue";
import { explainDeadline } from "~/domain/explain-deadline";
import type { DateDeadline } from "~/domain/deadline";
import type { ChangeKind, NoticeRegime, ObjectionOutcome } from "~/domain/subprocessor-notice";
import { countryName, type TransferSafeguard } from "~/domain/subprocessor-register";
import { formatArticleRef } from "~/domain/terms";
import { formatDisplayDate, parsePlainDate } from "~/domain/time";
import { translator, type Locale, type Translate } from "~/i18n/i18n";

export type TextEntry = {
  legalName: string;
  tradeName: string | null;
  service: { nl: string; en: string };
  purpose: { nl: string; en: string };
  locations: string[];
  dataCategories: string[];
  transferSafeguard: TransferSafeguard | null;
};

export type TextChange = {
  kind: ChangeKind;
  plannedStart: string;
  description: { nl: string; en: string };
  newLocations: string[] | null;
  newTransferSafeguard: TransferSafeguard | null;
  newPurpose: { nl: string; en: string } | null;
};

export function displayDay(date: string): string {
  return formatDisplayDate(parsePlainDate(date, "date"));
}

function nameOf(entry: TextEntry): string {
  return entry.tradeName && entry.tradeName !== entry.legalName ? `${entry.legalName} (${entry.tradeName})` : entry.legalName;
}

export function locationsText(locations: readonly string[], locale: Locale): string {
  return locations.map((code) => `${countryName(code, locale)} (${code})`).join(", ");
}

function safeguardText(t: Translate, safeguard: TransferSafeguard | null): string {
  return safeguard ? t(`subprocessors.safeguard.${safeguard}`) : t("subprocessors.safeguard.none");
}

/** The facts of a change as lines "Label: value", in the given language. */
function changeLines(t: Translate, locale: Locale, change: TextChange, subject: TextEntry, replaced: TextEntry | null): string[] {
  const locations = change.kind === "location" && change.newLocations ? change.newLocations : subject.locations;
  const safeguard = change.kind === "location" ? change.newTransferSafeguard : subject.transferSafeguard;
  const purpose = change.kind === "purpose" && change.newPurpose ? change.newPurpose[locale] : subject.purpose[locale];
  const lines = [
    t("subprocessors.mail.line.kind", { value: t(`subprocessors.kind.${change.kind}`) }),
    t("subprocessors.mail.line.subprocessor", { value: nameOf(subject) }),
  ];
  if (replaced) lines.push(t("subprocessors.mail.line.replaces", { value: nameOf(replaced) }));
  lines.push(
    t("subprocessors.mail.line.service", { value: subject.service[locale] }),
    t("subprocessors.mail.line.purpose", { value: purpose }),
    t("subprocessors.mail.line.locations", { value: locationsText(locations, locale) }),
    t("subprocessors.mail.line.safeguard", { value: safeguardText(t, safeguard) }),
    t("subprocessors.mail.line.dataCategories", { value: subject.dataCategories.map((key) => catalogueLabel("dataCategory", key, locale).text).join(", ") }),
    t("subprocessors.mail.line.plannedStart", { value: displayDay(change.plannedStart) }),
    "",
    change.description[locale],
  );
  return lines;
}

export type RegimeText = { regime: NoticeRegime; article: string | null; assumed: boolean; windowEnd: string | null; deadline: DateDeadline | null };

/** What the customer may do, in one paragraph: approve, object until a date (with how it was computed), object, or nothing. */
export function regimeParagraph(t: Translate, locale: Locale, regime: RegimeText, plannedStart: string): string {
  const article = regime.article ? formatArticleRef(regime.article, locale) : "";
  switch (regime.regime) {
    case "approval_required":
      return regime.assumed ? t("subprocessors.mail.regime.approvalAssumed") : t("subprocessors.mail.regime.approval", { article });
    case "window":
      return t("subprocessors.mail.regime.window", {
        date: regime.windowEnd ? displayDay(regime.windowEnd) : "",
        explanation: regime.deadline ? explainDeadline(regime.deadline, locale) : article,
      });
    case "objection_without_window":
      return t("subprocessors.mail.regime.withoutWindow", { article, date: displayDay(plannedStart) });
    case "informational":
      return t("subprocessors.mail.regime.informational", { article });
  }
}

/**
 * The notices of one change for many customers: the parts that depend only on the language and the
 * regime are built once, the customer's name goes in last. Gives the same text as `noticeMail`.
 */
export function noticeTexts(input: { vendor: string; change: TextChange; subject: TextEntry; replaced: TextEntry | null; portalLink: string }) {
  const details = new Map<Locale, string>();
  const paragraphs = new Map<RegimeText, Map<Locale, string>>();
  return (locale: Locale, customerName: string, regime: RegimeText): { subject: string; body: string } => {
    const t = translator(locale);
    if (!details.has(locale)) details.set(locale, changeLines(t, locale, input.change, input.subject, input.replaced).join("\n"));
    const byLocale = paragraphs.get(regime) ?? new Map<Locale, string>();
    paragraphs.set(regime, byLocale);
    if (!byLocale.has(locale)) byLocale.set(locale, regimeParagraph(t, locale, regime, input.change.plannedStart));
    return {
      subject: t("subprocessors.mail.notice.subject", { vendor: input.vendor, subprocessor: input.subject.legalName }),
      body: t("subprocessors.mail.notice.body", {
        vendor: input.vendor,
        customer: customerName,
        details: details.get(locale)!,
        regime: byLocale.get(locale)!,
        link: input.portalLink,
      }),
    };
  };
}

/** The notice to one customer: subject and body. The body is what is hashed and kept as proof. */
export function noticeMail(input: {
  locale: Locale;
  vendor: string;
  customerName: string;
  change: TextChange;
  subject: TextEntry;
  replaced: TextEntry | null;
  regime: RegimeText;
  portalLink: string;
}): { subject: string; body: string } {
  const t = translator(input.locale);
  const details = changeLines(t, input.locale, input.change, input.subject, input.replaced).join("\n");
  return {
    subject: t("subprocessors.mail.notice.subject", { vendor: input.vendor, subprocessor: input.subject.legalName }),
    body: t("subprocessors.mail.notice.body", {
      vendor: input.vendor,
      customer: input.customerName,
      details,
      regime: regimeParagraph(t, input.locale, input.regime, input.change.plannedStart),
      link: input.portalLink,
    }),
  };
}

export function cancellationMail(input: { locale: Locale; vendor: string; customerName: string; kind: ChangeKind; subject: TextEntry; reason: string; portalLink: string }) {
  const t = translator(input.locale);
  return {
    subject: t("subprocessors.mail.cancel.subject", { vendor: input.vendor, subprocessor: input.subject.legalName }),
    body: t("subprocessors.mail.cancel.body", {
      vendor: input.vendor,
      customer: input.customerName,
      kind: t(`subprocessors.kind.${input.kind}`),
      subprocessor: nameOf(input.subject),
      reason: input.reason,
      link: input.portalLink,
    }),
  };
}

export function resolutionMail(input: { locale: Locale; vendor: string; customerName: string; subject: TextEntry; outcome: ObjectionOutcome; note: string; portalLink: string }) {
  const t = translator(input.locale);
  return {
    subject: t("subprocessors.mail.resolution.subject", { vendor: input.vendor, subprocessor: input.subject.legalName }),
    body: t("subprocessors.mail.resolution.body", {
      vendor: input.vendor,
      customer: input.customerName,
      subprocessor: nameOf(input.subject),
      outcome: t(`subprocessors.outcome.${input.outcome}`),
      note: input.note,
      link: input.portalLink,
    }),
  };
}

/** The change log entry of the public page and the feed: title and summary from public fields only. */
export function publicEntry(locale: Locale, change: TextChange, subject: TextEntry, replaced: TextEntry | null): { title: string; summary: string } {
  const t = translator(locale);
  const title = replaced
    ? t("subprocessors.public.entryTitleReplacement", { kind: t(`subprocessors.kind.${change.kind}`), subprocessor: subject.legalName, replaced: replaced.legalName })
    : t("subprocessors.public.entryTitle", { kind: t(`subprocessors.kind.${change.kind}`), subprocessor: subject.legalName });
  const locations = change.kind === "location" && change.newLocations ? change.newLocations : subject.locations;
  const summary = [
    change.description[locale],
    t("subprocessors.mail.line.locations", { value: locationsText(locations, locale) }),
    t("subprocessors.mail.line.plannedStart", { value: displayDay(change.plannedStart) }),
  ].join(" · ");
  return { title, summary };
}

export function subscriberChangeMail(input: {
  locale: Locale;
  vendor: string;
  change: TextChange;
  subject: TextEntry;
  replaced: TextEntry | null;
  pageLink: string;
  unsubscribeLink: string;
}) {
  const t = translator(input.locale);
  const details = changeLines(t, input.locale, input.change, input.subject, input.replaced).join("\n");
  return {
    subject: t("subprocessors.mail.subscriber.subject", { vendor: input.vendor, subprocessor: input.subject.legalName }),
    body: t("subprocessors.mail.subscriber.body", { vendor: input.vendor, details, link: input.pageLink, unsubscribe: input.unsubscribeLink }),
  };
}

export function subscriptionConfirmMail(input: { locale: Locale; vendor: string; confirmLink: string; unsubscribeLink: string; days: number }) {
  const t = translator(input.locale);
  return {
    subject: t("subprocessors.mail.confirm.subject", { vendor: input.vendor }),
    body: t("subprocessors.mail.confirm.body", { vendor: input.vendor, link: input.confirmLink, unsubscribe: input.unsubscribeLink, days: input.days }),
  };
}
