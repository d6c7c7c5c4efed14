import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { CheckboxGroup, Field, FormError, useValidatedSubmit } from "~/components/form";
import { useLocale, useT, type Translate } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import {
  createAuditorLink,
  expiryWindow,
  getAuditorLink,
  listAuditorLinks,
  MAX_LINK_DAYS,
  revokeAuditorLink,
  type AuditorLinkView,
} from "~/services/auditor-links.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { registerCatalog } from "~/services/registers/index.server";

export const meta = titleMeta("auditpack.links.title");

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const optionalDate = z.union([z.literal(""), z.string().regex(DATE, "auditpack.links.dateInvalid")]);

/** The create form, in the browser and (as the first check) on the server; the service checks the same rules again. */
function linkFormSchema(window: { today: string; latest: string }) {
  return z
    .object({
      label: z.string().trim().min(1, "auditpack.links.labelRequired").max(200, "auditpack.links.labelTooLong"),
      expiresOn: z
        .string()
        .min(1, "auditpack.links.expiryRequired")
        .regex(DATE, "auditpack.links.dateInvalid")
        .refine((v) => v >= window.today, "auditpack.links.expiryPast")
        .refine((v) => v <= window.latest, "auditpack.links.expiryTooFar"),
      registers: z.preprocess((v) => (Array.isArray(v) ? v : typeof v === "string" && v ? [v] : []), z.array(z.string())),
      fromDate: optionalDate,
      toDate: optionalDate,
    })
    .refine((v) => !v.fromDate || !v.toDate || v.fromDate <= v.toDate, { path: ["toDate"], message: "auditpack.links.rangeOrder" });
}

type LinkForm = { label: string; expiresOn: string; registers: string[]; fromDate: string; toDate: string };

/** The last day a link works: its expiry instant is the end of that Amsterdam day. */
function lastValidDay(expiresAt: string): string {
  return displayInstant(new Date(Date.parse(expiresAt) - 1).toISOString()).slice(0, 10);
}

function viewForPage(link: AuditorLinkView) {
  return {
    ...link,
    expiresDisplay: lastValidDay(link.expiresAt),
    expiresInstant: displayInstant(link.expiresAt),
    createdDisplay: displayInstant(link.createdAt),
    lastUsedDisplay: displayInstant(link.lastUsedAt),
    revokedDisplay: displayInstant(link.revokedAt),
    fromDisplay: displayDate(link.fromDate),
    toDisplay: displayDate(link.toDate),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const now = nowIso();
  const url = new URL(request.url);
  const { links, next } = await listAuditorLinks(actor, { after: url.searchParams.get("after") }, now);
  const confirmId = url.searchParams.get("revoke");
  const revokedId = url.searchParams.get("revoked");
  const confirm = confirmId ? viewForPage(await getAuditorLink(actor, confirmId, now)) : null;
  const revoked = revokedId ? await getAuditorLink(actor, revokedId, now) : null;
  return json({
    links: links.map(viewForPage),
    next,
    confirm,
    revokedLabel: revoked?.status === "revoked" ? revoked.label : null,
    window: expiryWindow(now),
    latestDisplay: displayDate(expiryWindow(now).latest),
    maxDays: MAX_LINK_DAYS,
    registers: registerCatalog().map((r) => ({ key: r.key, title: r.title })),
  });
}

type ActionData =
  | { intent: "create"; values: LinkForm; errors: Record<string, string> }
  | { intent: "create"; created: { url: string; label: string; expires: string } }
  | { intent: "revoke"; formError: string };

function formValues(form: FormData): LinkForm {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return {
    label: text("label"),
    expiresOn: text("expiresOn"),
    registers: form.getAll("registers").filter((v): v is string => typeof v === "string"),
    fromDate: text("fromDate"),
    toDate: text("toDate"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const form = await request.formData();
  const now = nowIso();
  if (form.get("intent") === "revoke") {
    const id = String(form.get("id") ?? "");
    const result = await revokeAuditorLink(actor, id, now);
    if (!result.ok) return json<ActionData>({ intent: "revoke", formError: result.error }, { status: 409 });
    return redirect(`/settings/auditor-links?revoked=${encodeURIComponent(id)}`);
  }
  const values = formValues(form);
  const parsed = linkFormSchema(expiryWindow(now)).safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return json<ActionData>({ intent: "create", values, errors }, { status: 400 });
  }
  const result = await createAuditorLink(actor, { ...parsed.data, fromDate: parsed.data.fromDate || null, toDate: parsed.data.toDate || null }, now);
  if (!result.ok) return json<ActionData>({ intent: "create", values, errors: result.errors }, { status: 400 });
  return json<ActionData>({ intent: "create", created: { url: result.url, label: parsed.data.label, expires: lastValidDay(result.expiresAt) } });
}

function scopeText(t: Translate, link: ReturnType<typeof viewForPage>, titleOf: (key: string) => string): string {
  const registers = link.registers === null ? t("auditpack.links.allRegisters") : link.registers.map(titleOf).join(", ");
  const period =
    link.fromDate && link.toDate
      ? t("auditpack.links.range", { from: link.fromDisplay, to: link.toDisplay })
      : link.fromDate
        ? t("auditpack.links.rangeFrom", { from: link.fromDisplay })
        : link.toDate
          ? t("auditpack.links.rangeTo", { to: link.toDisplay })
          : t("auditpack.links.allDates");
  return `${registers} · ${period}`;
}

const STATUS_BADGE = { active: "ok", expired: "neutral", revoked: "danger" } as const;

function CreatedLink({ url }: { url: string }) {
  const t = useT();
  const [hydrated, setHydrated] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <div className="auditor-link-url">
      <Field
        label={t("auditpack.links.url")}
        name="createdUrl"
        value={url}
        readOnly
        hint={t("auditpack.links.copyHint")}
        onFocus={(event) => event.currentTarget.select()}
      />
      {hydrated ? (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true));
          }}
        >
          {copied ? t("auditpack.links.copied") : t("auditpack.links.copy")}
        </button>
      ) : null}
    </div>
  );
}

export default function AuditorLinks() {
  const t = useT();
  const locale = useLocale();
  const { links, next, confirm, revokedLabel, window, latestDisplay, maxDays, registers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const schema = useMemo(() => linkFormSchema(window), [window]);
  const failed = actionData && "errors" in actionData ? actionData : null;
  const created = actionData && "created" in actionData ? actionData.created : null;
  const values: LinkForm = failed?.values ?? { label: "", expiresOn: "", registers: [], fromDate: "", toDate: "" };
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<LinkForm>({ resolver: zodResolver(schema), mode: "onSubmit", defaultValues: values });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const err = (name: keyof LinkForm) => errors[name]?.message ?? failed?.errors[name];
  const field = (name: Exclude<keyof LinkForm, "registers">) => ({ ...register(name), defaultValue: values[name] });
  const titleOf = (key: string) => registers.find((r) => r.key === key)?.title[locale] ?? key;
  const afterParam = searchParams.get("after");

  return (
    <>
      <h1>{t("auditpack.links.title")}</h1>
      <p>{t("auditpack.links.intro")}</p>

      {revokedLabel ? (
        <p className="notice ok" role="status">
          {t("auditpack.links.revoked", { label: revokedLabel })}
        </p>
      ) : null}

      {confirm ? (
        <section className="card" aria-labelledby="revoke-title">
          <h2 id="revoke-title">{t("auditpack.links.revokeTitle")}</h2>
          {confirm.status === "revoked" ? (
            <p className="notice">{t("auditpack.links.alreadyRevoked")}</p>
          ) : (
            <>
              <p>{t("auditpack.links.revokeText", { label: confirm.label })}</p>
              <dl className="facts">
                <dt>{t("auditpack.links.col.scope")}</dt>
                <dd>{scopeText(t, confirm, titleOf)}</dd>
                <dt>{t("auditpack.links.col.expires")}</dt>
                <dd>{confirm.expiresDisplay}</dd>
                <dt>{t("auditpack.links.col.uses")}</dt>
                <dd>{t("auditpack.links.uses", { count: confirm.useCount })}</dd>
              </dl>
              {actionData && "formError" in actionData ? <FormError message={actionData.formError} /> : null}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="id" value={confirm.id} />
                <button type="submit" className="danger">
                  {t("auditpack.links.revokeConfirm")}
                </button>
                <Link to="/settings/auditor-links">{t("common.cancel")}</Link>
              </Form>
            </>
          )}
        </section>
      ) : null}

      <section className="card" aria-labelledby="create-title">
        <h2 id="create-title">{t("auditpack.links.create")}</h2>
        {created ? (
          <div className="notice ok" role="status">
            <p>{t("auditpack.links.created", { label: created.label, expires: created.expires })}</p>
            <p>
              <strong>{t("auditpack.links.shownOnce")}</strong>
            </p>
            <CreatedLink url={created.url} />
          </div>
        ) : null}
        <Form method="post" noValidate onSubmit={onValidSubmit}>
          <input type="hidden" name="intent" value="create" />
          <FormError message={failed?.errors.form} />
          <Field label={t("auditpack.links.label")} hint={t("auditpack.links.labelHint")} error={err("label")} autoComplete="off" {...field("label")} />
          <Field
            label={t("auditpack.links.expiresOn")}
            type="date"
            min={window.today}
            max={window.latest}
            hint={t("auditpack.links.expiresOnHint", { latest: latestDisplay, days: maxDays })}
            error={err("expiresOn")}
            {...field("expiresOn")}
          />
          <CheckboxGroup
            legend={t("auditpack.links.registers")}
            error={err("registers")}
            options={registers.map((r) => ({ value: r.key, label: r.title[locale] }))}
            inputProps={(value) => ({ ...register("registers"), defaultChecked: values.registers.includes(value) })}
          />
          <p className="muted small">{t("auditpack.links.registersHint")}</p>
          <div className="form-grid">
            <Field label={t("auditpack.links.fromDate")} type="date" error={err("fromDate")} {...field("fromDate")} />
            <Field label={t("auditpack.links.toDate")} type="date" error={err("toDate")} {...field("toDate")} />
          </div>
          <p className="muted small">{t("auditpack.links.rangeHint")}</p>
          <button type="submit">{t("auditpack.links.submit")}</button>
        </Form>
      </section>

      <section aria-labelledby="list-title">
        <h2 id="list-title">{t("auditpack.links.list")}</h2>
        {links.length === 0 ? (
          <p className="empty">{t("auditpack.links.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("auditpack.links.col.label")}</th>
                  <th scope="col">{t("auditpack.links.col.scope")}</th>
                  <th scope="col">{t("auditpack.links.col.expires")}</th>
                  <th scope="col">{t("common.status")}</th>
                  <th scope="col">{t("auditpack.links.col.uses")}</th>
                  <th scope="col">{t("auditpack.links.col.lastUsed")}</th>
                  <th scope="col">{t("auditpack.links.col.created")}</th>
                  <th scope="col">{t("auditpack.links.col.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {links.map((link) => (
                  <tr key={link.id}>
                    <td>{link.label}</td>
                    <td>{scopeText(t, link, titleOf)}</td>
                    <td title={link.expiresInstant}>{link.expiresDisplay}</td>
                    <td>
                      <span className={`badge ${STATUS_BADGE[link.status]}`}>{t(`auditpack.links.status.${link.status}`)}</span>
                      {link.status === "revoked" ? (
                        <span className="muted small"> {t("auditpack.links.revokedBy", { at: link.revokedDisplay, name: link.revokedByName ?? "—" })}</span>
                      ) : null}
                    </td>
                    <td>{t("auditpack.links.uses", { count: link.useCount })}</td>
                    <td>{link.lastUsedDisplay || t("auditpack.links.never")}</td>
                    <td>{t("auditpack.links.createdBy", { at: link.createdDisplay, name: link.createdByName ?? "—" })}</td>
                    <td>
                      {link.status === "revoked" ? (
                        "—"
                      ) : (
                        <Link to={`/settings/auditor-links?revoke=${encodeURIComponent(link.id)}${afterParam ? `&after=${encodeURIComponent(afterParam)}` : ""}`}>
                          {t("auditpack.links.revoke")}
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="pagination" aria-label="Pagination">
          {afterParam ? <Link to="/settings/auditor-links">{t("common.first")}</Link> : null}
          {next ? <Link to={`/settings/auditor-links?after=${encodeURIComponent(next)}`}>{t("common.next")} →</Link> : null}
          <span className="muted small">{t("common.showing", { count: links.length })}</span>
        </nav>
      </section>
    </>
  );
}
