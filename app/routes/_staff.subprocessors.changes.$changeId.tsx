import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import type { FormEvent } from "react";
import { useForm, type FieldValues } from "react-hook-form";
import type { z } from "zod";
import { Field, FormError, TextAreaField, useErrorText } from "~/components/form";
import { explainDeadline } from "~/domain/explain-deadline";
import {
  AcceptStartSchema,
  CancelChangeSchema,
  DiscardDraftSchema,
  SelectionSchema,
  SendFormSchema,
  fieldErrors,
  formFields,
  selectionInput,
} from "~/domain/subprocessor-forms";
import type { NoticeRegime, NoticeState, StartConflict } from "~/domain/subprocessor-notice";
import { formatArticleRef } from "~/domain/terms";
import { useLocale, useT, type MessageKey, type Translate } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";
import { acceptStart, cancelChange, discardDraft, getChange, sendChange, updateDraftSelection } from "~/services/subprocessor-changes.server";
import { locationLabels } from "~/services/subprocessors.server";

export const meta = ({ data }: { data?: { title?: string } }) => [{ title: `${data?.title ?? ""} · DPA Desk` }];

type Conflict = StartConflict & { dateDisplay: string };

function withDisplay(conflicts: StartConflict[] | undefined): Conflict[] {
  return (conflicts ?? []).map((c) => ({
    ...c,
    dateDisplay: c.kind === "window_not_closed" ? displayDate(c.windowEnd) : c.kind === "objection_open" ? displayInstant(c.respondedAt) : "",
  }));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const locale = await resolveLocale(request);
  const url = new URL(request.url);
  const detail = await getChange(
    actor,
    params.changeId ?? "",
    { filter: url.searchParams.get("filter"), q: url.searchParams.get("q"), after: url.searchParams.get("after") },
    nowIso(),
    locale,
  );
  const c = detail.change;
  return json({
    ...detail,
    title: detail.public.title,
    filter: url.searchParams.get("filter") ?? (c.status === "draft" ? "selected" : "all"),
    q: url.searchParams.get("q") ?? "",
    change: {
      ...c,
      plannedStartDisplay: displayDate(c.plannedStart),
      sentDisplay: displayInstant(c.sentAt),
      createdDisplay: displayInstant(c.createdAt),
      acceptedDisplay: displayInstant(c.startAcceptedAt),
      cancelledDisplay: displayInstant(c.cancelledAt),
      appliedDisplay: displayInstant(c.appliedAt),
      newLocations: c.newLocations ? locationLabels(c.newLocations, locale) : null,
    },
    subprocessorLocations: locationLabels(detail.subprocessor.locations, locale),
    selection: detail.selection
      ? {
          ...detail.selection,
          rows: detail.selection.rows.map((r) => ({ ...r, windowEndDisplay: displayDate(r.windowEnd) })),
          preview: {
            ...detail.selection.preview,
            conflicts: withDisplay(detail.selection.preview.conflicts),
            earliestStartDisplay: displayDate(detail.selection.preview.earliestStart),
          },
        }
      : null,
    notices: detail.notices
      ? {
          ...detail.notices,
          acceptConflicts: withDisplay(detail.notices.acceptConflicts),
          rows: detail.notices.rows.map((n) => ({
            ...n,
            windowEndDisplay: displayDate(n.windowEnd),
            explanation: n.windowDeadline ? explainDeadline(n.windowDeadline, locale) : null,
            article: n.regimeArticle ? formatArticleRef(n.regimeArticle, locale) : null,
            sentDisplay: displayInstant(n.sentAt),
            respondedDisplay: displayInstant(n.respondedAt),
            resolvedDisplay: displayInstant(n.resolvedAt),
          })),
        }
      : null,
  });
}

type ActionResult = {
  intent: string;
  /** what was typed, so a refused post without JavaScript shows it again */
  values?: Record<string, string>;
  errors?: Record<string, string>;
  conflicts?: Conflict[];
  conflictCount?: number;
  earliestStartDisplay?: string;
  withoutAddress?: { customerId: string; name: string }[];
  notice?: MessageKey;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const id = params.changeId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const now = nowIso();
  const bad = (result: ActionResult) => json<ActionResult>(result, { status: 400 });

  if (["include", "exclude", "include_all", "exclude_all", "reset"].includes(intent)) {
    const parsed = SelectionSchema.safeParse(selectionInput(form));
    if (!parsed.success) return bad({ intent, errors: { selection: "subprocessors.error.invalid" } });
    const result = await updateDraftSelection(actor, id, parsed.data, now);
    if (!result.ok) return bad({ intent, errors: { selection: result.error } });
    return json<ActionResult>({ intent, notice: "subprocessors.selection.updated" });
  }
  if (intent === "discard") {
    const parsed = DiscardDraftSchema.safeParse(formFields(form, ["confirm"]));
    if (!parsed.success) return bad({ intent, errors: fieldErrors(parsed.error) });
    const result = await discardDraft(actor, id, now);
    if (!result.ok) return bad({ intent, errors: { form: result.error } });
    return redirect("/subprocessors/changes?discarded=1");
  }
  if (intent === "send") {
    const values = formFields(form, ["plannedStart", "confirm", "overrideReason"]);
    const parsed = SendFormSchema.safeParse(values);
    if (!parsed.success) return bad({ intent, values, errors: fieldErrors(parsed.error) });
    const result = await sendChange(actor, id, parsed.data, now);
    if (!result.ok) {
      return bad({
        intent,
        values,
        errors: result.errors,
        conflicts: withDisplay(result.conflicts),
        conflictCount: result.conflictCount,
        earliestStartDisplay: result.earliestStart ? displayDate(result.earliestStart) : undefined,
        withoutAddress: result.withoutAddress,
      });
    }
    return redirect(`/subprocessors/changes/${id}?sent=${result.sent}`);
  }
  if (intent === "accept") {
    const values = formFields(form, ["plannedStart", "overrideReason"]);
    const parsed = AcceptStartSchema.safeParse(values);
    if (!parsed.success) return bad({ intent, values, errors: fieldErrors(parsed.error) });
    const result = await acceptStart(actor, id, parsed.data, now);
    if (!result.ok) return bad({ intent, values, errors: result.errors, conflicts: withDisplay(result.conflicts), conflictCount: result.conflictCount });
    return redirect(`/subprocessors/changes/${id}?accepted=${result.status}`);
  }
  if (intent === "cancel") {
    const values = formFields(form, ["reason", "confirm"]);
    const parsed = CancelChangeSchema.safeParse(values);
    if (!parsed.success) return bad({ intent, values, errors: fieldErrors(parsed.error) });
    const result = await cancelChange(actor, id, parsed.data, now);
    if (!result.ok) return bad({ intent, values, errors: { form: result.error } });
    return redirect(`/subprocessors/changes/${id}?cancelled=1`);
  }
  return bad({ intent, errors: { form: "subprocessors.error.invalid" } });
}

/** react-hook-form with the route's zod schema, validating in the browser before the real form is posted. */
function useZodForm<S extends z.ZodTypeAny>(schema: S, defaultValues: z.input<S>) {
  const submit = useSubmit();
  const form = useForm<FieldValues>({ resolver: zodResolver(schema), defaultValues: defaultValues as FieldValues, mode: "onSubmit" });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const element = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    event.preventDefault();
    void form.handleSubmit(() => submit(submitter ?? element, { method: "post" }))(event);
  };
  // defaultValue as an attribute too: without JavaScript react-hook-form never fills the inputs
  const field = (name: string) => ({ ...form.register(name), defaultValue: (defaultValues as Record<string, string>)[name] });
  return { ...form, onSubmit, field };
}

const STATE_BADGE: Record<NoticeState | "not_notified", "ok" | "warn" | "danger" | "neutral"> = {
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
  not_notified: "neutral",
};

const STATE_ICON: Record<"ok" | "warn" | "danger" | "neutral", string> = { ok: "✓", warn: "◔", danger: "⚠", neutral: "•" };

function conflictText(t: Translate, c: Conflict): string {
  switch (c.kind) {
    case "window_not_closed":
      return t("subprocessors.conflict.window_not_closed", { customer: c.customerName, date: c.dateDisplay });
    case "approval_missing":
      return t("subprocessors.conflict.approval_missing", { customer: c.customerName });
    case "objection_open":
      return t("subprocessors.conflict.objection_open", { customer: c.customerName, date: c.dateDisplay });
  }
}

function ConflictList({ conflicts, total }: { conflicts: Conflict[]; total: number }) {
  const t = useT();
  return (
    <>
      <ul>
        {conflicts.map((c) => (
          <li key={`${c.kind}-${c.customerId}`}>
            <Link to={`/customers/${c.customerId}`}>{conflictText(t, c)}</Link>
          </li>
        ))}
      </ul>
      {total > conflicts.length ? <p className="muted small">{t("subprocessors.preview.more", { count: total - conflicts.length })}</p> : null}
    </>
  );
}

export default function ChangeDetail() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const { change, subprocessor, replaces, selection, notices, canWrite, subprocessorLocations, filter, q } = data;
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const banner: string | null = searchParams.get("sent")
    ? t("subprocessors.send.done", { count: searchParams.get("sent") ?? "" })
    : searchParams.get("accepted")
      ? t(searchParams.get("accepted") === "in_effect" ? "subprocessors.accept.doneInEffect" : "subprocessors.accept.done")
      : searchParams.get("cancelled")
        ? t("subprocessors.cancel.done")
        : actionData?.notice
          ? t(actionData.notice)
          : null;

  function linkWith(changes: Record<string, string | null>): string {
    const params = new URLSearchParams();
    for (const key of ["filter", "q", "after"]) {
      const value = searchParams.get(key);
      if (value) params.set(key, value);
    }
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) params.delete(k);
      else params.set(k, v);
    }
    const s = params.toString();
    return s ? `?${s}` : "?";
  }

  return (
    <>
      <p>
        <Link to="/subprocessors/changes">← {t("subprocessors.changes.title")}</Link>
      </p>
      {banner ? (
        <p className="notice ok" role="status">
          {banner}
        </p>
      ) : null}
      <div className="page-header">
        <h1>{data.public.title}</h1>
        <span className={`badge ${change.status === "awaiting_approval" ? "warn" : change.status === "cancelled" || change.status === "draft" ? "neutral" : "ok"}`}>
          {t(`subprocessors.changeStatus.${change.status}`)}
        </span>
      </div>
      {change.status === "draft" ? <p className="notice">{t("subprocessors.change.draftIntro")}</p> : null}

      <section className="card" aria-labelledby="change-summary">
        <h2 id="change-summary">{t("subprocessors.change.summary")}</h2>
        <dl className="facts">
          <dt>{t("subprocessors.col.kind")}</dt>
          <dd>{t(`subprocessors.kind.${change.kind}`)}</dd>
          <dt>{t("subprocessors.col.subprocessor")}</dt>
          <dd>
            <Link to={`/subprocessors/${subprocessor.id}`}>{subprocessor.legalName}</Link> · {subprocessor.service[locale]} ·{" "}
            {subprocessorLocations.map((l) => `${l.name} (${l.code})`).join(", ")}
          </dd>
          {replaces ? (
            <>
              <dt>{t("subprocessors.change.replaces")}</dt>
              <dd>
                <Link to={`/subprocessors/${replaces.id}`}>{replaces.legalName}</Link>
              </dd>
            </>
          ) : null}
          {change.newLocations ? (
            <>
              <dt>{t("subprocessors.change.newLocations")}</dt>
              <dd>
                {change.newLocations.map((l) => `${l.name} (${l.code})`).join(", ")}
                {change.newTransferSafeguard ? ` · ${t(`subprocessors.safeguard.${change.newTransferSafeguard}`)}` : ""}
              </dd>
            </>
          ) : null}
          {change.newPurpose ? (
            <>
              <dt>{t("subprocessors.change.newPurpose")}</dt>
              <dd>{change.newPurpose[locale]}</dd>
            </>
          ) : null}
          <dt>{t("subprocessors.col.plannedStart")}</dt>
          <dd>
            <time dateTime={change.plannedStart}>{change.plannedStartDisplay}</time>
          </dd>
          <dt>{t("subprocessors.change.description")}</dt>
          <dd>{change.description[locale]}</dd>
          {change.internalNote ? (
            <>
              <dt>{t("subprocessors.change.internalNote")}</dt>
              <dd>{change.internalNote}</dd>
            </>
          ) : null}
          <dt>{t("subprocessors.change.createdBy")}</dt>
          <dd>{change.createdBy ? `${change.createdBy} · ${change.createdDisplay}` : change.createdDisplay}</dd>
          {change.sentAt ? (
            <>
              <dt>{t("subprocessors.change.sentAt")}</dt>
              <dd>
                <time dateTime={change.sentAt}>{change.sentDisplay}</time>
                {change.sentBy ? ` · ${change.sentBy}` : ""} · {t("subprocessors.changes.notified", { count: change.notified })}
              </dd>
            </>
          ) : null}
          {change.sendOverrideReason ? (
            <>
              <dt>{t("subprocessors.change.sendOverride")}</dt>
              <dd>⚠ {change.sendOverrideReason}</dd>
            </>
          ) : null}
          {change.startAcceptedAt ? (
            <>
              <dt>{t("subprocessors.change.accepted")}</dt>
              <dd>{change.startAcceptedBy ? t("subprocessors.change.acceptedBy", { date: change.acceptedDisplay, name: change.startAcceptedBy }) : change.acceptedDisplay}</dd>
            </>
          ) : null}
          {change.startOverrideReason ? (
            <>
              <dt>{t("subprocessors.change.acceptOverride")}</dt>
              <dd>⚠ {change.startOverrideReason}</dd>
            </>
          ) : null}
          {change.appliedAt ? (
            <>
              <dt>{t("subprocessors.change.appliedAt")}</dt>
              <dd>{change.appliedDisplay}</dd>
            </>
          ) : null}
          {change.cancelledAt ? (
            <>
              <dt>{t("subprocessors.change.cancelledAt")}</dt>
              <dd>{change.cancelledDisplay}</dd>
              <dt>{t("subprocessors.change.cancelledReason")}</dt>
              <dd>{change.cancelledReason}</dd>
            </>
          ) : null}
        </dl>
        <h3>{t("subprocessors.change.publicText")}</h3>
        <p className="muted">{data.public.summary}</p>
      </section>

      {selection ? (
        <DraftSection
          selection={selection}
          plannedStart={change.plannedStart}
          canWrite={canWrite}
          filter={filter}
          q={q}
          linkWith={linkWith}
          actionData={actionData}
        />
      ) : null}
      {notices ? (
        <SentSection
          notices={notices}
          change={change}
          canWrite={canWrite}
          filter={filter}
          q={q}
          linkWith={linkWith}
          actionData={actionData}
        />
      ) : null}
    </>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = ReturnType<typeof useActionData<typeof action>>;

function DraftSection({
  selection,
  plannedStart,
  canWrite,
  filter,
  q,
  linkWith,
  actionData,
}: {
  selection: NonNullable<LoaderData["selection"]>;
  plannedStart: string;
  canWrite: boolean;
  filter: string;
  q: string;
  linkWith: (changes: Record<string, string | null>) => string;
  actionData: ActionData;
}) {
  const t = useT();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const preview = selection.preview;
  const sendErrors = actionData?.intent === "send" ? actionData.errors : undefined;
  const sent = actionData?.intent === "send" ? actionData.values : undefined;
  const send = useZodForm(SendFormSchema, { plannedStart: sent?.plannedStart ?? plannedStart, confirm: "" as unknown as "yes", overrideReason: sent?.overrideReason ?? "" });
  const discard = useZodForm(DiscardDraftSchema, { confirm: "" as unknown as "yes" });
  const sendErr = (name: string) => (send.formState.errors[name]?.message as string | undefined) ?? sendErrors?.[name];
  const regimes: NoticeRegime[] = ["approval_required", "window", "objection_without_window", "informational"];
  const selectionError = actionData?.intent !== "send" && actionData?.intent !== "discard" ? actionData?.errors?.selection : undefined;
  return (
    <>
      <section aria-labelledby="selection">
        <h2 id="selection">{t("subprocessors.selection.title")}</h2>
        <p className="muted">{t("subprocessors.selection.default")}</p>
        <p>
          <strong>{t("subprocessors.selection.count", { selected: selection.selected, total: selection.total })}</strong>
        </p>
        <nav className="inline-form" aria-label={t("subprocessors.notices.filter")}>
          {(
            [
              ["selected", "subprocessors.selection.filterSelected"],
              ["not_selected", "subprocessors.selection.filterNotSelected"],
              ["all", "subprocessors.selection.filterAll"],
            ] as const
          ).map(([value, label]) =>
            filter === value ? (
              <strong key={value} aria-current="page">
                {t(label)}
              </strong>
            ) : (
              <Link key={value} to={linkWith({ filter: value, after: null })}>
                {t(label)}
              </Link>
            ),
          )}
        </nav>
        <Form method="get" className="inline-form" role="search">
          <input type="hidden" name="filter" value={filter} />
          <div className="field">
            <label htmlFor="selection-search">{t("subprocessors.selection.search")}</label>
            <input id="selection-search" type="search" name="q" defaultValue={q} />
          </div>
          <button type="submit" className="secondary">
            {t("common.search")}
          </button>
        </Form>
        <FormError message={selectionError} />
        <Form method="post" id="selection-form">
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  {canWrite ? <th scope="col">{t("subprocessors.col.select")}</th> : null}
                  <th scope="col">{t("subprocessors.col.customer")}</th>
                  <th scope="col">{t("subprocessors.col.status")}</th>
                  <th scope="col">{t("subprocessors.selection.regimeIfNow")}</th>
                </tr>
              </thead>
              <tbody>
                {selection.rows.length === 0 ? (
                  <tr>
                    <td colSpan={canWrite ? 4 : 3} className="empty">
                      {t("subprocessors.selection.empty")}
                    </td>
                  </tr>
                ) : (
                  selection.rows.map((r) => (
                    <tr key={r.customerId}>
                      {canWrite ? (
                        <td>
                          <input type="checkbox" name="customerIds" value={r.customerId} aria-label={t("subprocessors.selection.checkCustomer", { name: r.name })} />
                        </td>
                      ) : null}
                      <td>
                        <Link to={`/customers/${r.customerId}`}>{r.name}</Link>
                        {r.city ? <span className="muted small"> · {r.city}</span> : null}
                        {r.usesRelatedService ? <div className="muted small">{t("subprocessors.selection.related")}</div> : null}
                      </td>
                      <td>
                        <span className={`badge ${r.included ? "ok" : "neutral"}`}>
                          {r.included ? `✓ ${t("subprocessors.selection.selected")}` : `– ${t("subprocessors.selection.notSelected")}`}
                        </span>
                      </td>
                      <td className="small">
                        {t(`subprocessors.regime.${r.regime}`)}
                        {r.windowEnd ? ` · ${t("subprocessors.until", { date: r.windowEndDisplay })}` : ""}
                        {r.regimeAssumed ? <div className="muted">{t("subprocessors.regime.assumed")}</div> : null}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          {canWrite ? (
            <div className="form-actions">
              <button type="submit" name="intent" value="include" className="secondary">
                {t("subprocessors.selection.include")}
              </button>
              <button type="submit" name="intent" value="exclude" className="secondary">
                {t("subprocessors.selection.exclude")}
              </button>
              <button type="submit" name="intent" value="include_all" className="secondary">
                {t("subprocessors.selection.includeAll")}
              </button>
              <button type="submit" name="intent" value="exclude_all" className="secondary">
                {t("subprocessors.selection.excludeAll")}
              </button>
              <button type="submit" name="intent" value="reset" className="secondary">
                {t("subprocessors.selection.reset")}
              </button>
            </div>
          ) : null}
        </Form>
        <nav className="pagination" aria-label={t("subprocessors.pagination")}>
          {selection.next ? <Link to={linkWith({ after: selection.next })}>{t("common.next")} →</Link> : null}
          <span className="muted small">{t("subprocessors.notices.matching", { count: selection.matching })}</span>
        </nav>
      </section>

      <section className="card" aria-labelledby="preview">
        <h2 id="preview">{t("subprocessors.preview.title")}</h2>
        <ul>
          {regimes
            .filter((r) => preview.byRegime[r] > 0)
            .map((r) => (
              <li key={r}>{t("subprocessors.preview.byRegime", { regime: t(`subprocessors.regime.${r}`), count: preview.byRegime[r] })}</li>
            ))}
        </ul>
        {preview.assumed > 0 ? <p className="notice">{t("subprocessors.preview.assumed", { count: preview.assumed })}</p> : null}
        {preview.byRegime.approval_required > 0 ? <p className="muted small">{t("subprocessors.preview.approvalNote")}</p> : null}
        <p>
          <strong>{t("subprocessors.preview.earliest", { date: preview.earliestStartDisplay })}</strong>
        </p>
        {preview.conflictCount > 0 ? (
          <div className="form-error" role="status">
            <p>{t("subprocessors.preview.conflicts")}</p>
            <ConflictList conflicts={preview.conflicts} total={preview.conflictCount} />
          </div>
        ) : null}
        {preview.withoutAddress.length > 0 ? (
          <div className="form-error">
            <p>{t("subprocessors.error.noAddress")}</p>
            <ul>
              {preview.withoutAddress.map((c) => (
                <li key={c.customerId}>
                  <Link to={`/customers/${c.customerId}`}>{c.name}</Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      {canWrite ? (
        <section className="card" aria-labelledby="send">
          <h2 id="send">{t("subprocessors.send.title")}</h2>
          {actionData?.intent === "send" && actionData.errors ? (
            <div className="form-error" role="alert">
              <p>
                <strong>{t("subprocessors.send.refused")}</strong> {errorText(actionData.errors.form ?? actionData.errors.plannedStart)}
              </p>
              {actionData.conflicts && actionData.conflicts.length > 0 ? (
                <>
                  <ConflictList conflicts={actionData.conflicts} total={actionData.conflictCount ?? actionData.conflicts.length} />
                  {actionData.earliestStartDisplay ? <p>{t("subprocessors.preview.earliest", { date: actionData.earliestStartDisplay })}</p> : null}
                </>
              ) : null}
              {actionData.withoutAddress && actionData.withoutAddress.length > 0 ? (
                <ul>
                  {actionData.withoutAddress.map((c) => (
                    <li key={c.customerId}>{c.name}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <Form method="post" noValidate onSubmit={send.onSubmit}>
            <input type="hidden" name="intent" value="send" />
            <Field label={t("subprocessors.send.plannedStart")} type="date" error={sendErr("plannedStart")} {...send.field("plannedStart")} />
            <TextAreaField
              label={t("subprocessors.send.override")}
              hint={t("subprocessors.send.overrideHint")}
              error={sendErr("overrideReason")}
              {...send.field("overrideReason")}
            />
            <label className="checkbox">
              <input type="checkbox" value="yes" {...send.register("confirm")} /> {t("subprocessors.send.confirm", { count: selection.selected })}
            </label>
            {sendErr("confirm") ? <p className="form-error">{errorText(sendErr("confirm"))}</p> : null}
            <div className="form-actions">
              <button type="submit" disabled={navigation.state === "submitting"}>
                {t("subprocessors.send.submit")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {canWrite ? (
        <section className="card" aria-labelledby="discard">
          <h2 id="discard">{t("subprocessors.discard.title")}</h2>
          <Form method="post" noValidate onSubmit={discard.onSubmit}>
            <input type="hidden" name="intent" value="discard" />
            <label className="checkbox">
              <input type="checkbox" value="yes" {...discard.register("confirm")} /> {t("subprocessors.discard.confirm")}
            </label>
            {(discard.formState.errors.confirm?.message as string | undefined) || (actionData?.intent === "discard" && actionData.errors?.confirm) ? (
              <p className="form-error">{errorText((discard.formState.errors.confirm?.message as string | undefined) ?? actionData?.errors?.confirm)}</p>
            ) : null}
            <div className="form-actions">
              <button type="submit" className="danger">
                {t("subprocessors.discard.submit")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}

function SentSection({
  notices,
  change,
  canWrite,
  filter,
  q,
  linkWith,
  actionData,
}: {
  notices: NonNullable<LoaderData["notices"]>;
  change: LoaderData["change"];
  canWrite: boolean;
  filter: string;
  q: string;
  linkWith: (changes: Record<string, string | null>) => string;
  actionData: ActionData;
}) {
  const t = useT();
  const errorText = useErrorText();
  const open = change.status === "awaiting_approval" || change.status === "scheduled";
  const accepted = actionData?.intent === "accept" ? actionData.values : undefined;
  const cancelled = actionData?.intent === "cancel" ? actionData.values : undefined;
  const accept = useZodForm(AcceptStartSchema, { plannedStart: accepted?.plannedStart ?? change.plannedStart, overrideReason: accepted?.overrideReason ?? "" });
  const cancel = useZodForm(CancelChangeSchema, { reason: cancelled?.reason ?? "", confirm: "" as unknown as "yes" });
  const acceptErrors = actionData?.intent === "accept" ? actionData.errors : undefined;
  const cancelErrors = actionData?.intent === "cancel" ? actionData.errors : undefined;
  const acceptErr = (name: string) => (accept.formState.errors[name]?.message as string | undefined) ?? acceptErrors?.[name];
  const cancelErr = (name: string) => (cancel.formState.errors[name]?.message as string | undefined) ?? cancelErrors?.[name];
  const filters = ["all", "attention", "open", "objected", "approved", "not_notified"] as const;
  const states = Object.entries(notices.counts) as [NoticeState | "not_notified", number][];
  return (
    <>
      <section aria-labelledby="per-customer">
        <h2 id="per-customer">{t("subprocessors.notices.title")}</h2>
        <p>
          {states.map(([state, n]) => (
            <span key={state}>
              <span className={`badge ${STATE_BADGE[state]}`}>
                {STATE_ICON[STATE_BADGE[state]]} {t(`subprocessors.state.${state}`)}: {n}
              </span>{" "}
            </span>
          ))}
        </p>
        <nav className="inline-form" aria-label={t("subprocessors.notices.filter")}>
          {filters.map((f) =>
            filter === f ? (
              <strong key={f} aria-current="page">
                {t(`subprocessors.notices.filter.${f}`)}
              </strong>
            ) : (
              <Link key={f} to={linkWith({ filter: f, after: null })}>
                {t(`subprocessors.notices.filter.${f}`)}
              </Link>
            ),
          )}
        </nav>
        <Form method="get" className="inline-form" role="search">
          <input type="hidden" name="filter" value={filter} />
          <div className="field">
            <label htmlFor="notice-search">{t("subprocessors.selection.search")}</label>
            <input id="notice-search" type="search" name="q" defaultValue={q} />
          </div>
          <button type="submit" className="secondary">
            {t("common.search")}
          </button>
        </Form>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("subprocessors.col.customer")}</th>
                <th scope="col">{t("subprocessors.col.regime")}</th>
                <th scope="col">{t("subprocessors.col.windowEnd")}</th>
                <th scope="col">{t("subprocessors.col.state")}</th>
                <th scope="col">{t("subprocessors.col.response")}</th>
                <th scope="col">{t("subprocessors.col.proof")}</th>
              </tr>
            </thead>
            <tbody>
              {notices.rows.length === 0 ? (
                <tr>
                  <td colSpan={6} className="empty">
                    {t("subprocessors.notices.empty")}
                  </td>
                </tr>
              ) : (
                notices.rows.map((n) => (
                  <tr key={n.noticeId}>
                    <td>
                      <Link to={`/customers/${n.customerId}`}>{n.name}</Link>
                    </td>
                    <td className="small">
                      {n.regime ? t(`subprocessors.regime.${n.regime}`) : t("subprocessors.none")}
                      {n.article ? <div className="muted">{n.article}</div> : null}
                    </td>
                    <td className="small">
                      {n.windowEnd ? <time dateTime={n.windowEnd}>{n.windowEndDisplay}</time> : t("subprocessors.none")}
                      {n.explanation ? (
                        <details>
                          <summary>{t("subprocessors.notices.explanation")}</summary>
                          {n.explanation}
                        </details>
                      ) : null}
                    </td>
                    <td>
                      <span className={`badge ${STATE_BADGE[n.state]}`}>
                        {STATE_ICON[STATE_BADGE[n.state]]} {t(`subprocessors.state.${n.state}`)}
                      </span>
                      {n.resolution ? (
                        <div className="small">
                          {t(`subprocessors.outcome.${n.resolution}`)}
                          {n.resolutionNote ? <div className="muted">{n.resolutionNote}</div> : null}
                        </div>
                      ) : null}
                    </td>
                    <td className="small">
                      {n.response ? (
                        <>
                          {t(`subprocessors.response.${n.response}`)} · <time dateTime={n.respondedAt ?? ""}>{n.respondedDisplay}</time>
                          {n.respondedByName ? <div className="muted">{t("subprocessors.notices.by", { name: n.respondedByName })}</div> : null}
                          {n.reasons ? <blockquote>{n.reasons}</blockquote> : null}
                        </>
                      ) : (
                        t("subprocessors.none")
                      )}
                    </td>
                    <td className="small">
                      {n.sentAt ? (
                        <details>
                          <summary>
                            <time dateTime={n.sentAt}>{n.sentDisplay}</time>
                          </summary>
                          <div>
                            {t("subprocessors.notices.to")}: {n.toAddresses.join(", ")}
                          </div>
                          <div className="mono">SHA-256 {n.bodySha256?.slice(0, 16)}…</div>
                          <Link to={`/subprocessors/changes/${change.id}/notices/${n.noticeId}`}>{t("subprocessors.notices.readText")}</Link>
                        </details>
                      ) : (
                        t("subprocessors.none")
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <nav className="pagination" aria-label={t("subprocessors.pagination")}>
          {notices.next ? <Link to={linkWith({ after: notices.next })}>{t("common.next")} →</Link> : null}
          <span className="muted small">{t("subprocessors.notices.matching", { count: notices.matching })}</span>
        </nav>
      </section>

      {open ? (
        <section className="card" aria-labelledby="accept">
          <h2 id="accept">{t("subprocessors.accept.title")}</h2>
          <p>{change.status === "scheduled" ? t("subprocessors.accept.rescheduleIntro") : t("subprocessors.accept.intro")}</p>
          {notices.acceptConflicts.length > 0 ? (
            <div className="notice">
              <p>{t("subprocessors.accept.blockers")}</p>
              <ConflictList conflicts={notices.acceptConflicts} total={notices.acceptConflicts.length} />
            </div>
          ) : (
            <p className="notice ok">✓ {t("subprocessors.accept.noBlockers")}</p>
          )}
          {actionData?.intent === "accept" && actionData.errors ? (
            <div className="form-error" role="alert">
              <p>
                <strong>{t("subprocessors.accept.refused")}</strong> {errorText(actionData.errors.form ?? actionData.errors.plannedStart)}
              </p>
              {actionData.conflicts && actionData.conflicts.length > 0 ? (
                <ConflictList conflicts={actionData.conflicts} total={actionData.conflictCount ?? actionData.conflicts.length} />
              ) : null}
            </div>
          ) : null}
          {canWrite ? (
            <Form method="post" noValidate onSubmit={accept.onSubmit}>
              <input type="hidden" name="intent" value="accept" />
              <Field label={t("subprocessors.col.plannedStart")} type="date" error={acceptErr("plannedStart")} {...accept.field("plannedStart")} />
              <TextAreaField
                label={t("subprocessors.accept.override")}
                hint={t("subprocessors.accept.overrideHint")}
                error={acceptErr("overrideReason")}
                {...accept.field("overrideReason")}
              />
              <div className="form-actions">
                <button type="submit">{change.status === "scheduled" ? t("subprocessors.accept.submitReschedule") : t("subprocessors.accept.submit")}</button>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}

      {open && canWrite ? (
        <section className="card" aria-labelledby="cancel">
          <h2 id="cancel">{t("subprocessors.cancel.title")}</h2>
          <p className="muted">{t("subprocessors.cancel.intro")}</p>
          <FormError message={cancelErrors?.form} />
          <Form method="post" noValidate onSubmit={cancel.onSubmit}>
            <input type="hidden" name="intent" value="cancel" />
            <TextAreaField label={t("subprocessors.cancel.reason")} error={cancelErr("reason")} {...cancel.field("reason")} />
            <label className="checkbox">
              <input type="checkbox" value="yes" {...cancel.register("confirm")} /> {t("subprocessors.cancel.confirm")}
            </label>
            {cancelErr("confirm") ? <p className="form-error">{errorText(cancelErr("confirm"))}</p> : null}
            <div className="form-actions">
              <button type="submit" className="danger">
                {t("subprocessors.cancel.submit")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}
