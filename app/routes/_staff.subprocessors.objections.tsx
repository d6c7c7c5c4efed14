import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { FormError, TextAreaField, useErrorText, useValidatedSubmit } from "~/components/form";
import { ResolutionFormSchema, fieldErrors, formFields, type ResolutionFormInput } from "~/domain/subprocessor-forms";
import { OBJECTION_OUTCOMES } from "~/domain/subprocessor-notice";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { listObjections, resolveObjection } from "~/services/subprocessor-responses.server";

export const meta = titleMeta("subprocessors.objections.title");

const Query = z.object({ state: z.enum(["open", "resolved"]).catch("open").default("open"), after: z.string().max(500).optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listObjections(actor, query);
  return json({
    query,
    canWrite: actor.role !== "auditor",
    ...page,
    items: page.items.map((o) => ({
      ...o,
      respondedDisplay: displayInstant(o.respondedAt),
      resolvedDisplay: displayInstant(o.resolvedAt),
      windowEndDisplay: displayDate(o.windowEnd),
      plannedStartDisplay: displayDate(o.plannedStart),
    })),
  });
}

type ActionData = { noticeId: string; errors?: Record<string, string>; done?: boolean; values?: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const fields = formFields(await request.formData(), ["noticeId", "outcome", "note", "confirm"]);
  const parsed = ResolutionFormSchema.safeParse(fields);
  if (!parsed.success) return json<ActionData>({ noticeId: fields.noticeId, values: fields, errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await resolveObjection(actor, parsed.data, nowIso());
  if (!result.ok) return json<ActionData>({ noticeId: fields.noticeId, values: fields, errors: { form: result.error } }, { status: 409 });
  return json<ActionData>({ noticeId: fields.noticeId, done: true });
}

function ResolveForm({ noticeId, serverErrors, typed }: { noticeId: string; serverErrors?: Record<string, string>; typed?: Record<string, string> }) {
  const t = useT();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors },
  } = useForm<ResolutionFormInput>({ resolver: zodResolver(ResolutionFormSchema), defaultValues: { noticeId, outcome: typed?.outcome ?? "", note: typed?.note ?? "", confirm: "" }, mode: "onSubmit" });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const err = (name: keyof ResolutionFormInput) => errors[name]?.message ?? serverErrors?.[name];
  const outcome = watch("outcome");
  // without JavaScript the confirmation box always shows; once hydrated, only for "change cancelled"
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <Form
      method="post"
      noValidate
      onSubmit={onValidSubmit}
    >
      <FormError message={serverErrors?.form} />
      <input type="hidden" {...register("noticeId")} defaultValue={noticeId} />
      <fieldset aria-describedby={err("outcome") ? `${noticeId}-outcome-error` : undefined}>
        <legend>{t("subprocessors.objections.outcome")}</legend>
        {OBJECTION_OUTCOMES.map((o) => (
          <label key={o} className="checkbox">
            <input type="radio" value={o} {...register("outcome")} defaultChecked={typed?.outcome === o} /> <span>{t(`subprocessors.outcome.${o}`)}</span>
          </label>
        ))}
        {outcome === "terminates" ? <p className="muted small">{t("subprocessors.objections.terminatesHint")}</p> : null}
        {err("outcome") ? (
          <span id={`${noticeId}-outcome-error`} className="error" role="alert">
            {errorText(err("outcome"))}
          </span>
        ) : null}
      </fieldset>
      <TextAreaField label={t("subprocessors.objections.note")} error={err("note")} {...register("note")} defaultValue={typed?.note ?? ""} />
      <div hidden={hydrated && outcome !== "cancelled"}>
        <label className="checkbox">
          <input type="checkbox" value="yes" {...register("confirm")} /> {t("subprocessors.objections.confirmCancel")}
        </label>
        {err("confirm") ? <p className="form-error">{errorText(err("confirm"))}</p> : null}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("subprocessors.objections.submit")}
        </button>
      </div>
    </Form>
  );
}

export default function ObjectionQueue() {
  const t = useT();
  const { query, items, next, openCount, resolvedCount, canWrite } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("subprocessors.objections.title")}</h1>
      <p>{t("subprocessors.objections.intro")}</p>
      {actionData?.done ? (
        <p className="notice ok" role="status">
          {t("subprocessors.objections.done")}
        </p>
      ) : null}
      <nav className="inline-form" aria-label={t("subprocessors.notices.filter")}>
        {query.state === "open" ? (
          <strong aria-current="page">{t("subprocessors.objections.open", { count: openCount })}</strong>
        ) : (
          <Link to="?">{t("subprocessors.objections.open", { count: openCount })}</Link>
        )}
        {query.state === "resolved" ? (
          <strong aria-current="page">{t("subprocessors.objections.resolved", { count: resolvedCount })}</strong>
        ) : (
          <Link to="?state=resolved">{t("subprocessors.objections.resolved", { count: resolvedCount })}</Link>
        )}
      </nav>
      {items.length === 0 ? (
        <p className="empty">{query.state === "open" ? t("subprocessors.objections.emptyOpen") : t("subprocessors.objections.emptyResolved")}</p>
      ) : (
        items.map((o) => (
          <section key={o.noticeId} className="card" aria-labelledby={`objection-${o.noticeId}`}>
            <h2 id={`objection-${o.noticeId}`}>
              <Link to={`/customers/${o.customer.id}`}>{o.customer.name}</Link> · {o.subprocessor.legalName}
            </h2>
            <dl className="facts">
              <dt>{t("subprocessors.col.kind")}</dt>
              <dd>
                <Link to={`/subprocessors/changes/${o.changeId}`}>{t(`subprocessors.kind.${o.kind}`)}</Link> · {t(`subprocessors.changeStatus.${o.changeStatus}`)} ·{" "}
                {t("subprocessors.portal.plannedStart", { date: o.plannedStartDisplay })}
              </dd>
              <dt>{t("subprocessors.col.regime")}</dt>
              <dd>
                {t(`subprocessors.regime.${o.regime}`)}
                {o.windowEnd ? ` · ${t("subprocessors.until", { date: o.windowEndDisplay })}` : ""}
              </dd>
              <dt>{t("subprocessors.objections.objectedOn")}</dt>
              <dd>
                <time dateTime={o.respondedAt}>{o.respondedDisplay}</time>
                {o.respondedByName ? ` · ${t("subprocessors.notices.by", { name: o.respondedByName })}` : ""}
              </dd>
              <dt>{t("subprocessors.notices.reasons")}</dt>
              <dd>
                <blockquote>{o.reasons}</blockquote>
              </dd>
              {o.resolution ? (
                <>
                  <dt>{t("subprocessors.col.outcome")}</dt>
                  <dd>
                    <strong>{t(`subprocessors.outcome.${o.resolution}`)}</strong> · {t("subprocessors.objections.resolvedBy", { date: o.resolvedDisplay, name: o.resolvedBy ?? "—" })}
                    {o.resolutionNote ? <div>{o.resolutionNote}</div> : null}
                    {o.resolution === "terminates" && canWrite ? (
                      <div>
                        <Link to={`/customers/${o.customer.id}/terminate?source=${encodeURIComponent(`subprocessor_objection:${o.noticeId}`)}`}>{t("contracts.customer.recordEnd")}</Link>
                      </div>
                    ) : null}
                  </dd>
                </>
              ) : null}
            </dl>
            {!o.resolution && canWrite ? (
              <>
                <h3>{t("subprocessors.objections.resolve")}</h3>
                <ResolveForm
                  noticeId={o.noticeId}
                  serverErrors={actionData && !actionData.done && actionData.noticeId === o.noticeId ? actionData.errors : undefined}
                  typed={actionData && !actionData.done && actionData.noticeId === o.noticeId ? actionData.values : undefined}
                />
              </>
            ) : null}
          </section>
        ))
      )}
      <nav className="pagination" aria-label={t("subprocessors.pagination")}>
        {query.after ? <Link to={query.state === "open" ? "?" : "?state=resolved"}>{t("common.first")}</Link> : null}
        {next ? <Link to={`?state=${query.state}&after=${next}`}>{t("common.next")} →</Link> : null}
      </nav>
    </>
  );
}
