import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { FormError, TextAreaField, useValidatedSubmit } from "~/components/form";
import { explainDeadline } from "~/domain/explain-deadline";
import { catalogueLabel } from "~/domain/processing-catalogue";
import { ResponseFormSchema, fieldErrors, formFields, type ResponseFormInput } from "~/domain/subprocessor-forms";
import { daysLeft, type NoticeState } from "~/domain/subprocessor-notice";
import { formatArticleRef } from "~/domain/terms";
import { useLocale, useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";
import { getPortalSubprocessors, respondToNotice, type PortalNotice } from "~/services/subprocessor-responses.server";
import { locationLabels } from "~/services/subprocessors.server";

export const meta = titleMeta("subprocessors.portal.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, customer, workspace } = await requirePortal(request);
  const locale = await resolveLocale(request);
  const now = nowIso();
  const view = await getPortalSubprocessors(actor, now, { pastAfter: new URL(request.url).searchParams.get("past") });
  const notice = (n: PortalNotice) => ({
    ...n,
    locations: locationLabels(n.newLocations ?? n.subprocessor.locations, locale),
    dataCategories: n.subprocessor.dataCategories.map((key) => catalogueLabel("dataCategory", key, locale).text),
    plannedStartDisplay: displayDate(n.plannedStart),
    sentDisplay: displayInstant(n.sentAt),
    windowEndDisplay: displayDate(n.windowEnd),
    respondedDisplay: displayInstant(n.respondedAt),
    resolvedDisplay: displayInstant(n.resolvedAt),
    daysLeft: n.closesAt ? daysLeft(now, n.closesAt) : null,
    explanation: n.windowDeadline ? explainDeadline(n.windowDeadline, locale) : null,
    article: n.regimeArticle ? formatArticleRef(n.regimeArticle, locale) : null,
  });
  return json({
    vendor: workspace.tradeName,
    customer: customer.name,
    current: view.current.map((s) => ({ ...s, locations: locationLabels(s.locations, locale), startDisplay: displayDate(s.startDate) })),
    pending: view.pending.map(notice),
    past: { next: view.past.next, items: view.past.items.map(notice) },
  });
}

type ActionData = { noticeId: string; errors?: Record<string, string>; done?: "approved" | "objected"; reasons?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requirePortal(request);
  const fields = formFields(await request.formData(), ["noticeId", "intent", "reasons"]);
  const parsed = ResponseFormSchema.safeParse(fields);
  if (!parsed.success) return json<ActionData>({ noticeId: fields.noticeId, reasons: fields.reasons, errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await respondToNotice(actor, parsed.data, nowIso());
  if (!result.ok) return json<ActionData>({ noticeId: fields.noticeId, reasons: fields.reasons, errors: { form: result.error } }, { status: 409 });
  return json<ActionData>({ noticeId: fields.noticeId, done: result.response });
}

type Notice = ReturnType<typeof useLoaderData<typeof loader>>["pending"][number];

const STATE_BADGE: Record<NoticeState, "ok" | "warn" | "danger" | "neutral"> = {
  awaiting_approval: "warn",
  approved: "ok",
  objected: "danger",
  window_open: "warn",
  accepted_by_silence: "ok",
  objection_open: "warn",
  no_objection: "ok",
  informed: "neutral",
  withdrawn: "ok",
  excluded: "neutral",
  terminating: "danger",
  cancelled: "neutral",
};

function StateBadge({ state }: { state: NoticeState }) {
  const t = useT();
  const kind = STATE_BADGE[state];
  return (
    <span className={`badge ${kind}`}>
      {kind === "ok" ? "✓" : kind === "warn" ? "◔" : kind === "danger" ? "⚠" : "•"} {t(`subprocessors.state.${state}`)}
    </span>
  );
}

function ResponseForms({ notice, vendor, serverErrors, typed }: { notice: Notice; vendor: string; serverErrors?: Record<string, string>; typed?: string }) {
  const t = useT();
  const navigation = useNavigation();
  const approval = notice.regime === "approval_required";
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<ResponseFormInput>({
    resolver: zodResolver(ResponseFormSchema),
    defaultValues: { noticeId: notice.noticeId, intent: "object", reasons: typed ?? "" },
    mode: "onSubmit",
  });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const reasonsError = errors.reasons?.message ?? serverErrors?.reasons;
  return (
    <>
      <FormError message={serverErrors?.form} />
      {notice.canApprove ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="noticeId" value={notice.noticeId} />
          <input type="hidden" name="intent" value="approve" />
          <input type="hidden" name="reasons" value="" />
          <span>{t("subprocessors.portal.approveIntro")}</span>
          <button type="submit" disabled={navigation.state === "submitting"}>
            {approval ? t("subprocessors.portal.approve") : t("subprocessors.portal.noObjection")}
          </button>
        </Form>
      ) : null}
      {notice.canObject ? (
        <Form
          method="post"
          noValidate
          onSubmit={onValidSubmit}
        >
          <input type="hidden" {...register("noticeId")} defaultValue={notice.noticeId} />
          <input type="hidden" {...register("intent")} defaultValue="object" />
          <TextAreaField
            label={t("subprocessors.portal.reasons")}
            hint={t("subprocessors.portal.reasonsHint", { vendor })}
            error={reasonsError}
            {...register("reasons")}
            defaultValue={typed ?? ""}
          />
          <div className="form-actions">
            <button type="submit" className="danger" disabled={navigation.state === "submitting"}>
              {approval ? t("subprocessors.portal.refuse") : t("subprocessors.portal.object")}
            </button>
          </div>
        </Form>
      ) : null}
    </>
  );
}

function NoticeCard({ notice, vendor, actionData }: { notice: Notice; vendor: string; actionData?: ActionData }) {
  const t = useT();
  const locale = useLocale();
  const s = notice.subprocessor;
  const mine = actionData && actionData.noticeId === notice.noticeId ? actionData : undefined;
  let regimeText: string;
  switch (notice.state) {
    case "window_open":
      regimeText = notice.daysLeft === 0 ? t("subprocessors.portal.lastDay") : t("subprocessors.portal.timeLeft", { days: notice.daysLeft ?? 0, date: notice.windowEndDisplay });
      break;
    case "objection_open":
      regimeText = t("subprocessors.portal.untilStart", { date: notice.plannedStartDisplay, days: notice.daysLeft ?? 0 });
      break;
    case "awaiting_approval":
      regimeText = t("subprocessors.portal.approvalNeeded");
      break;
    case "informed":
      regimeText = t("subprocessors.portal.informational");
      break;
    default:
      regimeText = "";
  }
  return (
    <section className="card" id={`notice-${notice.noticeId}`} aria-labelledby={`notice-title-${notice.noticeId}`}>
      <div className="page-header">
        <h3 id={`notice-title-${notice.noticeId}`}>
          {t(`subprocessors.kind.${notice.kind}`)}: {s.legalName}
          {notice.replaces ? ` (${t("subprocessors.change.replaces").toLowerCase()} ${notice.replaces})` : ""}
        </h3>
        <StateBadge state={notice.state} />
      </div>
      <p>{notice.description[locale]}</p>
      <dl className="facts">
        <dt>{t("subprocessors.col.service")}</dt>
        <dd>{s.service[locale]}</dd>
        <dt>{t("subprocessors.col.purpose")}</dt>
        <dd>{notice.newPurpose ? notice.newPurpose[locale] : s.purpose[locale]}</dd>
        <dt>{t("subprocessors.col.locations")}</dt>
        <dd>
          {notice.locations.map((l, i) => (
            <span key={l.code}>
              {i > 0 ? ", " : null}
              {l.name}
              {l.outsideEea ? ` (${t("subprocessors.outsideEea")})` : ""}
            </span>
          ))}
          {s.transferSafeguard ? <div className="muted small">{t(`subprocessors.safeguard.${s.transferSafeguard}`)}</div> : null}
        </dd>
        <dt>{t("subprocessors.detail.dataCategories")}</dt>
        <dd>{notice.dataCategories.join(", ")}</dd>
        <dt>{t("subprocessors.col.plannedStart")}</dt>
        <dd>
          <time dateTime={notice.plannedStart}>{notice.plannedStartDisplay}</time>
        </dd>
        <dt>{t("subprocessors.col.regime")}</dt>
        <dd>
          {t(`subprocessors.regime.${notice.regime}`)}
          {notice.article ? <div className="muted small">{t("subprocessors.portal.basis", { article: notice.article })}</div> : null}
        </dd>
      </dl>
      {regimeText ? <p className="notice">{regimeText}</p> : null}
      {notice.explanation ? <p className="muted small">{t("subprocessors.portal.explanation", { text: notice.explanation })}</p> : null}
      {mine?.done ? (
        <p className="notice ok" role="status">
          {mine.done === "approved" ? t("subprocessors.portal.done.approved") : t("subprocessors.portal.done.objected", { vendor })}
        </p>
      ) : null}
      {notice.response ? (
        <>
          <p>
            <strong>{t("subprocessors.portal.yourResponse", { date: notice.respondedDisplay, response: t(`subprocessors.response.${notice.response}`) })}</strong>
          </p>
          {notice.reasons ? (
            <>
              <h4>{t("subprocessors.portal.yourReasons")}</h4>
              <blockquote>{notice.reasons}</blockquote>
            </>
          ) : null}
        </>
      ) : null}
      {notice.resolution ? (
        <div className="notice">
          <strong>{t("subprocessors.portal.outcome")}:</strong> {t(`subprocessors.outcome.${notice.resolution}`)} ({notice.resolvedDisplay})
          {notice.resolutionNote ? (
            <p>
              {t("subprocessors.portal.outcomeNote", { vendor })}: {notice.resolutionNote}
            </p>
          ) : null}
        </div>
      ) : null}
      {notice.canApprove || notice.canObject ? <ResponseForms notice={notice} vendor={vendor} serverErrors={mine?.errors} typed={mine?.reasons} /> : mine?.errors ? <FormError message={mine.errors.form} /> : null}
      <details>
        <summary>{t("subprocessors.portal.noticeText")}</summary>
        <p className="muted small">{t("subprocessors.portal.sent", { date: notice.sentDisplay, to: notice.to.join(", ") })}</p>
        <pre className="mail">{notice.body}</pre>
        <p className="mono small">SHA-256: {notice.bodySha256}</p>
      </details>
    </section>
  );
}

export default function PortalSubprocessors() {
  const t = useT();
  const locale = useLocale();
  const { vendor, customer, current, pending, past } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <h1>{t("subprocessors.portal.title")}</h1>
      <p>{t("subprocessors.portal.intro", { vendor, customer })}</p>

      <section aria-labelledby="pending">
        <h2 id="pending">{t("subprocessors.portal.pending")}</h2>
        {pending.length === 0 ? (
          <p className="empty">{t("subprocessors.portal.noPending")}</p>
        ) : (
          pending.map((n) => <NoticeCard key={n.noticeId} notice={n} vendor={vendor} actionData={actionData} />)
        )}
      </section>

      <section aria-labelledby="current">
        <h2 id="current">{t("subprocessors.portal.current")}</h2>
        {current.length === 0 ? (
          <p className="empty">{t("subprocessors.portal.noCurrent")}</p>
        ) : (
          current.map((s) => (
            <article key={s.id} className="card" aria-labelledby={`sp-${s.id}`}>
              <h3 id={`sp-${s.id}`}>{s.legalName}</h3>
              <dl className="facts">
                <dt>{t("subprocessors.col.service")}</dt>
                <dd>{s.service[locale]}</dd>
                <dt>{t("subprocessors.col.purpose")}</dt>
                <dd>{s.purpose[locale]}</dd>
                <dt>{t("subprocessors.col.locations")}</dt>
                <dd>
                  {s.locations.map((l) => `${l.name}${l.outsideEea ? ` (${t("subprocessors.outsideEea")})` : ""}`).join(", ")}
                  {s.transferSafeguard ? <div className="muted small">{t(`subprocessors.safeguard.${s.transferSafeguard}`)}</div> : null}
                </dd>
                <dt>{t("subprocessors.col.services")}</dt>
                <dd>{s.serviceNames.map((n) => n[locale]).join(", ")}</dd>
                {s.startDate ? (
                  <>
                    <dt>{t("subprocessors.col.period")}</dt>
                    <dd>{t("subprocessors.since", { date: s.startDisplay })}</dd>
                  </>
                ) : null}
              </dl>
            </article>
          ))
        )}
      </section>

      <section aria-labelledby="past">
        <h2 id="past">{t("subprocessors.portal.past")}</h2>
        {past.items.length === 0 ? (
          <p className="empty">{t("subprocessors.portal.noPast")}</p>
        ) : (
          past.items.map((n) => <NoticeCard key={n.noticeId} notice={n} vendor={vendor} actionData={actionData} />)
        )}
        <nav className="pagination" aria-label={t("subprocessors.pagination")}>
          {searchParams.get("past") ? <Link to="?#past">{t("subprocessors.portal.firstPast")}</Link> : null}
          {past.next ? <Link to={`?past=${past.next}#past`}>{t("subprocessors.portal.morePast")} →</Link> : null}
        </nav>
      </section>
    </>
  );
}
