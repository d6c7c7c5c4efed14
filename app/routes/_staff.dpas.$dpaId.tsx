import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DpaCoverageTable, DpaDocument } from "~/components/dpa-document";
import { DpaStateBadge } from "~/components/dpa-state";
import { Field, FormError } from "~/components/form";
import { useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { countersignDpa, getDpaForStaff, sendDpa, withdrawDpa } from "~/services/dpas.server";
import { nowIso } from "~/services/http.server";
import { clientIp } from "~/services/request.server";

export const meta = titleMeta("dpas.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, workspace } = await requireStaff(request);
  const dpa = await getDpaForStaff(actor, params.dpaId ?? "");
  return json({
    dpa,
    display: {
      created: displayInstant(dpa.createdAt),
      sent: displayInstant(dpa.sentAt),
      customerSigned: displayInstant(dpa.customerSignedAt),
      countersigned: displayInstant(dpa.countersignedAt),
      inForce: displayInstant(dpa.inForceAt),
    },
    signatures: dpa.signatures.map((s) => ({ ...s, signedAtDisplay: displayInstant(s.signedAt) })),
    vendor: workspace.legalName,
    me: { name: actor.name },
    canWrite: actor.role !== "auditor",
    notice: new URL(request.url).searchParams.get("notice"),
  });
}

type ActionData = { error?: string; fieldErrors?: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const dpaId = params.dpaId ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  const now = nowIso();
  if (intent === "send") {
    const result = await sendDpa(actor, dpaId, now);
    return result.ok ? redirect(`/dpas/${dpaId}?notice=sent`) : json<ActionData>({ error: `dpas.error.${result.error}` }, { status: 409 });
  }
  if (intent === "withdraw") {
    if (form.get("confirm") !== "yes") return json<ActionData>({ error: "dpas.withdrawConfirm" }, { status: 400 });
    const result = await withdrawDpa(actor, dpaId, now);
    return result.ok ? redirect(`/dpas/${dpaId}?notice=withdrawn`) : json<ActionData>({ error: `dpas.error.${result.error}` }, { status: 409 });
  }
  if (intent === "countersign") {
    const fullName = String(form.get("fullName") ?? "");
    const roleTitle = String(form.get("roleTitle") ?? "");
    const result = await countersignDpa(actor, dpaId, { fullName, roleTitle, ip: clientIp(context), userAgent: request.headers.get("User-Agent") }, now);
    if (result.ok) return redirect(`/dpas/${dpaId}?notice=countersigned`);
    const field = result.error === "name_required" ? "fullName" : result.error === "role_required" ? "roleTitle" : null;
    return json<ActionData>(field ? { fieldErrors: { [field]: `dpas.error.${result.error}` } } : { error: `dpas.error.${result.error}` }, { status: 400 });
  }
  return json<ActionData>({ error: "error.generic" }, { status: 400 });
}

export default function DpaDetail() {
  const t = useT();
  const { dpa, display, signatures, vendor, me, canWrite, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <p>
        <Link to={`/customers/${dpa.customerId}/dpa`}>← {t("dpas.customerTitle", { customer: dpa.customerName })}</Link>
      </p>
      <div className="page-header">
        <h1>{dpa.versionLabel}</h1>
        <DpaStateBadge state={dpa.state} />
      </div>
      {notice ? (
        <p className="notice ok" role="status">
          {t(`dpas.notice.${notice}` as MessageKey)}
        </p>
      ) : null}
      <FormError message={actionData?.error} />
      <section className="card" aria-labelledby="facts">
        <h2 id="facts">{t("dpas.state")}</h2>
        <dl className="facts">
          <dt>{t("dpas.kind.standard").split(" ")[0]}</dt>
          <dd>{t(`dpas.kind.${dpa.kind}` as MessageKey)}</dd>
          <dt>{t("dpas.termsVersion")}</dt>
          <dd>v{dpa.termsVersion}</dd>
          <dt>{t("dpas.created")}</dt>
          <dd>{display.created}</dd>
          {display.sent ? (
            <>
              <dt>{t("dpas.sentAt")}</dt>
              <dd>{display.sent}</dd>
            </>
          ) : null}
          {display.customerSigned ? (
            <>
              <dt>{t("dpas.customerSignedAt")}</dt>
              <dd>{display.customerSigned}</dd>
            </>
          ) : null}
          {display.countersigned ? (
            <>
              <dt>{t("dpas.countersignedAt")}</dt>
              <dd>{display.countersigned}</dd>
            </>
          ) : null}
          {display.inForce ? (
            <>
              <dt>{t("dpas.inForceAt")}</dt>
              <dd>{display.inForce}</dd>
            </>
          ) : null}
          <dt>{t("dpas.textHash")}</dt>
          <dd className="mono">{dpa.textHash}</dd>
        </dl>
        {dpa.hasPdf ? (
          <p>
            <a className="button secondary" href={`/dpas/${dpa.id}.pdf`}>
              {t("dpas.downloadPdf")}
            </a>
          </p>
        ) : null}
      </section>
      {signatures.length > 0 ? (
        <section className="card" aria-labelledby="signatures">
          <h2 id="signatures">{t("dpas.signatures")}</h2>
          <ul>
            {signatures.map((s) => (
              <li key={s.party}>
                <strong>{t(`dpas.party.${s.party}` as MessageKey)}</strong>: {s.fullName}
                {s.roleTitle ? `, ${s.roleTitle}` : ""} · {s.signedAtDisplay}
                {s.automatic ? ` (${t("dpas.automatic")})` : s.ip ? ` · IP ${s.ip}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {canWrite ? (
        <div className="cards">
          {dpa.state === "draft" ? (
            <Form method="post" className="card">
              <input type="hidden" name="intent" value="send" />
              <button type="submit" disabled={busy}>
                {t("dpas.send")}
              </button>
            </Form>
          ) : null}
          {dpa.state === "signed" ? (
            <section className="card" aria-labelledby="countersign">
              <h2 id="countersign">{t("dpas.countersign")}</h2>
              <p className="small">{t("dpas.countersignIntro", { vendor })}</p>
              <Form method="post">
                <input type="hidden" name="intent" value="countersign" />
                <Field label={t("dpas.fullName")} name="fullName" defaultValue={me.name} required error={actionData?.fieldErrors?.fullName} />
                <Field label={t("dpas.roleTitle")} name="roleTitle" required error={actionData?.fieldErrors?.roleTitle} />
                <button type="submit" disabled={busy}>
                  {t("dpas.countersign")}
                </button>
              </Form>
            </section>
          ) : null}
          {dpa.state === "draft" || dpa.state === "sent" ? (
            <Form method="post" className="card">
              <input type="hidden" name="intent" value="withdraw" />
              <label className="checkbox">
                <input type="checkbox" name="confirm" value="yes" required /> {t("dpas.withdrawConfirm")}
              </label>
              <div className="form-actions">
                <button type="submit" className="danger" disabled={busy}>
                  {t("dpas.withdraw")}
                </button>
              </div>
            </Form>
          ) : null}
        </div>
      ) : null}
      {dpa.negotiated && dpa.state === "signed" ? <p className="notice">{t("dpas.negotiated")}</p> : null}
      {dpa.coverage ? <DpaCoverageTable coverage={dpa.coverage} /> : null}
      {dpa.rendered ? <DpaDocument rendered={dpa.rendered} /> : null}
    </>
  );
}
