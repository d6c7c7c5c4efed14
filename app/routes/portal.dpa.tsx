import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { useForm } from "react-hook-form";
import { DpaDocument } from "~/components/dpa-document";
import { DpaStateBadge } from "~/components/dpa-state";
import { Field, FormError, useValidatedSubmit } from "~/components/form";
import { useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import { SignDpaSchema, signDpaInput, type SignDpaInput } from "~/services/dpa-sign-form";
import { displayInstant } from "~/services/display.server";
import { getPortalDpas, signDpaAsCustomer } from "~/services/dpas.server";
import { nowIso } from "~/services/http.server";
import { clientIp } from "~/services/request.server";

export const meta = titleMeta("dpas.portal.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, customer, workspace } = await requirePortal(request);
  const { offer, inForce, history } = await getPortalDpas(actor);
  return json({
    offer,
    inForce,
    history: history.map((h) => ({ ...h, inForceDisplay: displayInstant(h.inForceAt) })),
    offerSignedDisplay: displayInstant(offer?.customerSignedAt),
    inForceDisplay: displayInstant(inForce?.inForceAt),
    customerName: customer.name,
    vendor: workspace.legalName,
    me: { name: actor.name },
    notice: new URL(request.url).searchParams.get("notice"),
  });
}

type ActionData = { errors?: Record<string, string>; error?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor } = await requirePortal(request);
  const parsed = SignDpaSchema.safeParse(signDpaInput(await request.formData()));
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    if (errors.dpaId || errors.textHash) return json<ActionData>({ error: "dpas.error.text_changed" }, { status: 400 });
    return json<ActionData>({ errors }, { status: 400 });
  }
  const { dpaId, ...input } = parsed.data;
  const result = await signDpaAsCustomer(actor, dpaId, { ...input, ip: clientIp(context), userAgent: request.headers.get("User-Agent") }, nowIso());
  if (!result.ok) return json<ActionData>({ error: `dpas.error.${result.error}` }, { status: 409 });
  const { inForce } = await getPortalDpas(actor);
  return redirect(`/portal/dpa?notice=${inForce?.id === dpaId ? "signedInForce" : "signed"}`);
}

function SignForm({ dpaId, textHash, customerName, defaultName, serverErrors }: { dpaId: string; textHash: string; customerName: string; defaultName: string; serverErrors?: Record<string, string> }) {
  const t = useT();
  const navigation = useNavigation();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<SignDpaInput>({
    resolver: zodResolver(SignDpaSchema),
    defaultValues: { fullName: defaultName, roleTitle: "", authorised: false as unknown as true, dpaId, textHash },
  });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const authorisedError = errors.authorised?.message ?? serverErrors?.authorised;
  const errorId = useId();
  return (
    <Form
      method="post"
      noValidate
      className="card"
      onSubmit={onValidSubmit}
    >
      <input type="hidden" {...register("dpaId")} defaultValue={dpaId} />
      <input type="hidden" {...register("textHash")} defaultValue={textHash} />
      <Field label={t("dpas.fullName")} autoComplete="name" error={errors.fullName?.message ?? serverErrors?.fullName} {...register("fullName")} defaultValue={defaultName} />
      <Field label={t("dpas.roleTitle")} autoComplete="organization-title" error={errors.roleTitle?.message ?? serverErrors?.roleTitle} {...register("roleTitle")} />
      <label className="checkbox">
        <input
          type="checkbox"
          aria-invalid={authorisedError ? true : undefined}
          aria-describedby={authorisedError ? errorId : undefined}
          {...register("authorised")}
        /> {t("dpas.authorised", { customer: customerName })}
      </label>
      {authorisedError ? (
        <p id={errorId} className="error form-error" role="alert">
          {t(authorisedError as MessageKey)}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("dpas.signSubmit")}
        </button>
      </div>
    </Form>
  );
}

export default function PortalDpa() {
  const t = useT();
  const { offer, inForce, history, offerSignedDisplay, inForceDisplay, customerName, vendor, me, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("dpas.portal.title")}</h1>
      {notice ? (
        <p className="notice ok" role="status">
          {t(`dpas.notice.${notice}` as MessageKey)}
        </p>
      ) : null}
      <FormError message={actionData?.error} />
      {inForce ? (
        <section className="card" aria-labelledby="in-force">
          <h2 id="in-force">
            <DpaStateBadge state="in_force" /> {inForce.versionLabel}
          </h2>
          <p>{t("dpas.portal.inForce", { date: inForceDisplay })}</p>
          <p>
            <a className="button" href="/portal/dpa.pdf">
              {t("dpas.downloadPdf")}
            </a>
          </p>
        </section>
      ) : null}
      {offer ? (
        <section aria-labelledby="offer">
          <h2 id="offer">{offer.versionLabel}</h2>
          {offer.state === "sent" ? (
            <p>{t("dpas.portal.offerIntro", { vendor })}</p>
          ) : (
            <p className="notice">{t("dpas.portal.waiting", { date: offerSignedDisplay, vendor })}</p>
          )}
          {offer.rendered ? <DpaDocument rendered={offer.rendered} /> : null}
          {offer.state === "sent" ? (
            <SignForm dpaId={offer.id} textHash={offer.textHash} customerName={customerName} defaultName={me.name} serverErrors={actionData?.errors} />
          ) : null}
        </section>
      ) : null}
      {!offer && !inForce ? <p className="empty">{t("dpas.portal.none")}</p> : null}
      {inForce?.rendered && !offer ? <DpaDocument rendered={inForce.rendered} /> : null}
      {history.filter((h) => h.state === "superseded").length > 0 ? (
        <section aria-labelledby="history">
          <h2 id="history">{t("dpas.portal.history")}</h2>
          <ul>
            {history
              .filter((h) => h.state === "superseded")
              .map((h) => (
                <li key={h.id}>
                  {h.versionLabel} · {h.inForceDisplay}
                  {h.hasPdf ? (
                    <>
                      {" · "}
                      <a href={`/portal/dpa.pdf?id=${h.id}`}>{t("dpas.downloadPdf")}</a>
                    </>
                  ) : null}
                </li>
              ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
