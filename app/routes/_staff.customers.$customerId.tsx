import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { ContractDates } from "~/components/contract-dates";
import { Field, FormError } from "~/components/form";
import { catalogueLabel } from "~/domain/processing-catalogue";
import { auditActionLabel, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { invitePortalUser } from "~/services/accounts.server";
import { InvitePortalSchema, type InvitePortalForm } from "~/services/auth.schemas";
import { requireStaff } from "~/services/auth.server";
import { getCustomerDetail, setCustomerArchived } from "~/services/customers.server";
import { customerSubprocessorsFor } from "~/services/dpas.server";
import { displayDate, displayInstant } from "~/services/display.server";
import { getContractOverview } from "~/services/end-of-contract.server";
import { nowIso } from "~/services/http.server";

type InviteActionData = { errors: Record<string, unknown>; formError?: string; invited?: string; notice?: MessageKey };

const resolver = zodResolver(InvitePortalSchema);

export const meta = ({ data }: { data?: { customer?: { name: string } } }) => [{ title: `${data?.customer?.name ?? ""} · DPA Desk` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const detail = await getCustomerDetail(actor, params.customerId ?? "");
  return json({
    ...detail,
    subprocessors: await customerSubprocessorsFor(actor, detail.customer.id),
    contract: await getContractOverview(actor, detail.customer.id, nowIso()),
    canWrite: actor.role !== "auditor",
    contractStartDisplay: displayDate(detail.customer.contractStart),
    timeline: detail.timeline.map((e) => ({ ...e, atDisplay: displayInstant(e.at) })),
    portalUsers: detail.portalUsers.map((u) => ({ ...u, lastLoginDisplay: displayInstant(u.lastLoginAt) })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "archive" || intent === "restore") {
    if (intent === "archive" && form.get("confirm") !== "yes") return json<InviteActionData>({ errors: {}, formError: "customerForm.archiveConfirmRequired" }, { status: 400 });
    await setCustomerArchived(actor, params.customerId ?? "", intent === "archive", nowIso());
    return json<InviteActionData>({ errors: {}, notice: intent === "archive" ? "customerForm.archived" : "customerForm.restored" });
  }
  const { errors, data } = await getValidatedFormData<InvitePortalForm>(form, resolver, true);
  if (errors) return json<InviteActionData>({ errors }, { status: 400 });
  const result = await invitePortalUser(actor, { customerId: params.customerId ?? "", email: data.email }, nowIso());
  if (!result.ok) return json<InviteActionData>({ errors: {}, formError: result.error }, { status: 409 });
  return json<InviteActionData>({ errors: {}, invited: result.email });
}

export default function CustomerDetail() {
  const t = useT();
  const locale = useLocale();
  const { customer, services, subprocessors, portalUsers, timeline, terms, canWrite, contractStartDisplay, contract } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { handleSubmit, register, formState } = useRemixForm<InvitePortalForm>({ resolver, defaultValues: { email: "" }, stringifyAllValues: false });
  const notice: MessageKey | undefined =
    actionData?.notice ?? (searchParams.get("created") ? "customerForm.created" : searchParams.get("saved") ? "customerForm.saved" : undefined);
  return (
    <>
      <p>
        <Link to="/customers">← {t("customers.title")}</Link>
      </p>
      {notice ? (
        <p className="notice ok" role="status">
          {t(notice)}
        </p>
      ) : null}
      <div className="page-header">
        <h1>{customer.name}</h1>
        <span>
          {customer.archivedAt ? <span className="badge neutral">🗄 {t("customers.archived")}</span> : null}{" "}
          <span className={`badge ${customer.status === "active" ? "ok" : "warn"}`}>{t(`customers.status.${customer.status}`)}</span>{" "}
          {canWrite ? (
            <Link className="button secondary" to={`/customers/${customer.id}/edit`}>
              {t("customerForm.edit")}
            </Link>
          ) : null}
        </span>
      </div>
      <div className="cards">
        <section className="card" aria-labelledby="company">
          <h2 id="company">{t("customers.detail.company")}</h2>
          <dl className="facts">
            <dt>{t("customers.kvk")}</dt>
            <dd className="mono">{customer.registrationNumber ?? "—"}</dd>
            <dt>{t("customers.address")}</dt>
            <dd>
              {customer.address}, {customer.postcode} {customer.city} ({customer.country})
            </dd>
            <dt>{t("customers.language")}</dt>
            <dd>{t(`lang.${customer.language}`)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="contacts">
          <h2 id="contacts">{t("customers.detail.contacts")}</h2>
          <dl className="facts">
            <dt>{t("customers.detail.signatory")}</dt>
            <dd>
              {customer.signatoryName}, {customer.signatoryRole} · {customer.signatoryEmail}
            </dd>
            <dt>{t("customers.detail.privacyContact")}</dt>
            <dd>
              {customer.privacyContactName} · {customer.privacyContactEmail}
            </dd>
            <dt>{t("customers.detail.dpo")}</dt>
            <dd>{customer.dpoName ? `${customer.dpoName} · ${customer.dpoEmail ?? ""}` : t("common.none")}</dd>
            <dt>{t("customers.detail.notificationEmails")}</dt>
            <dd>{customer.notificationEmails.join(", ") || t("common.none")}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="contract">
          <h2 id="contract">{t("customers.detail.contract")}</h2>
          <dl className="facts">
            <dt>{t("customers.contractStart")}</dt>
            <dd>
              <time dateTime={customer.contractStart}>{contractStartDisplay}</time>
            </dd>
            <dt>{t("customers.detail.termMonths")}</dt>
            <dd>{t("customers.detail.months", { count: customer.contractTermMonths })}</dd>
            <dt>{t("customers.detail.termsVersion")}</dt>
            <dd>
              {terms ? `v${terms.version}` : t("common.none")} · <Link to={`/customers/${customer.id}/terms`}>{t("customers.detail.effectiveTerms")}</Link>
            </dd>
            <dt>{t("nav.dpas")}</dt>
            <dd>
              <Link to={`/customers/${customer.id}/dpa`}>{t("dpas.customerTitle", { customer: customer.name })}</Link>
            </dd>
          </dl>
          <ContractDates overview={contract} />
        </section>
      </div>
      <section className="card" aria-labelledby="processing">
        <h2 id="processing">{t("customers.detail.processing")}</h2>
        <dl className="facts">
          <dt>{t("customers.detail.subjectMatter")}</dt>
          <dd>{customer.subjectMatter}</dd>
          <dt>{t("customers.detail.purposes")}</dt>
          <dd>
            <ul>
              {customer.purposes.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </dd>
          <dt>{t("customers.detail.dataCategories")}</dt>
          <dd className="badges">
            {customer.dataCategories.map((key) => {
              const label = catalogueLabel("dataCategory", key, locale);
              return (
                <span key={key} className={`badge ${label.special ? "warn" : "neutral"}`}>
                  {label.special ? "⚠ " : ""}
                  {label.text}
                </span>
              );
            })}
          </dd>
          <dt>{t("customers.detail.dataSubjects")}</dt>
          <dd>{customer.dataSubjects.map((key) => catalogueLabel("dataSubject", key, locale).text).join(", ")}</dd>
          <dt>{t("customers.detail.services")}</dt>
          <dd>{services.map((s) => (locale === "en" ? s.nameEn : s.nameNl)).join(", ") || t("common.none")}</dd>
          <dt>{t("nav.subprocessors")}</dt>
          <dd>
            {subprocessors.length === 0 ? (
              t("common.none")
            ) : (
              <ul>
                {subprocessors.map((sp) => (
                  <li key={sp.id}>
                    <Link to={`/subprocessors/${sp.id}`}>{sp.legalName}</Link> · {locale === "en" ? sp.serviceEn : sp.serviceNl} ({sp.locations.join(", ")})
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t("customers.detail.transfers")}</dt>
          <dd>{customer.transfersOutsideEea ? t("common.yes") : t("common.no")}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="portal-users">
        <h2 id="portal-users">{t("customers.detail.portalUsers")}</h2>
        {portalUsers.length === 0 ? (
          <p className="muted">{t("customers.detail.noPortalUsers")}</p>
        ) : (
          <ul>
            {portalUsers.map((u) => (
              <li key={u.id}>
                {u.name} · {u.email} · {u.invited ? t("users.status.invited") : `${t("users.lastLogin")}: ${u.lastLoginDisplay || t("users.never")}`}
              </li>
            ))}
          </ul>
        )}
        {canWrite ? (
          <>
            <h3>{t("customers.detail.invitePortal")}</h3>
            {actionData?.invited ? <p className="notice ok">{t("users.invited", { email: actionData.invited })}</p> : null}
            <FormError message={actionData?.formError} />
            <Form method="post" onSubmit={handleSubmit} noValidate className="inline-form">
              <Field label={t("common.email")} type="email" error={formState.errors.email} {...register("email")} />
              <button type="submit">{t("users.inviteSubmit")}</button>
            </Form>
          </>
        ) : null}
      </section>
      {canWrite ? (
        <section className="card" aria-labelledby="archive">
          <h2 id="archive">{customer.archivedAt ? t("customerForm.restore") : t("customerForm.archive")}</h2>
          <Form method="post">
            {customer.archivedAt ? (
              <input type="hidden" name="intent" value="restore" />
            ) : (
              <>
                <input type="hidden" name="intent" value="archive" />
                <label className="checkbox">
                  <input type="checkbox" name="confirm" value="yes" required /> {t("customerForm.archiveConfirm")}
                </label>
              </>
            )}
            <div className="form-actions">
              <button type="submit" className={customer.archivedAt ? "secondary" : "danger"}>
                {customer.archivedAt ? t("customerForm.restore") : t("customerForm.archive")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="timeline">
        <h2 id="timeline">{t("customers.detail.timeline")}</h2>
        <ul className="timeline">
          {timeline.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{e.atDisplay}</time> · <span title={e.action}>{auditActionLabel(t, e.action)}</span> · {e.actorLabel}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
