import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Field, FormError, useValidatedSubmit } from "~/components/form";
import { LanguageSwitch } from "~/components/language-switch";
import { SubscribeFormSchema, fieldErrors, formFields, type SubscribeFormInput } from "~/domain/subprocessor-forms";
import { isLocale, translator, useLocale, useT } from "~/i18n/i18n";
import { displayDate, displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";
import { clientIp } from "~/services/request.server";
import { getPublicSubprocessorPage, requestSubscription } from "~/services/subprocessor-public.server";
import { amsterdamToday, locationLabels } from "~/services/subprocessors.server";

/** The public sub-processor list of a workspace (404 unless switched on): no account, no customer data. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request);
  const page = await getPublicSubprocessorPage(params.slug ?? "", nowIso(), locale);
  return json({
    vendor: page.vendor,
    current: page.current.map((s) => ({ ...s, locations: locationLabels(s.locations, locale), startDisplay: displayDate(s.startDate) })),
    log: page.log.map((e) => ({
      ...e,
      sentDisplay: displayDate(amsterdamToday(e.sentAt)),
      sentInstant: displayInstant(e.sentAt),
      plannedStartDisplay: displayDate(e.plannedStart),
      cancelledDisplay: displayInstant(e.cancelledAt),
      appliedDisplay: displayDate(e.appliedAt ? e.plannedStart : null),
    })),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches, params }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const t = translator(isLocale(root?.locale) ? root.locale : "nl");
  const title = t("subprocessors.public.title", { vendor: data?.vendor.tradeName ?? "" });
  return [
    { title: `${title} · DPA Desk` },
    { tagName: "link", rel: "alternate", type: "application/atom+xml", title, href: `/trust/${params.slug}/subprocessors.atom` },
  ];
};

type ActionData = { sent?: boolean; errors?: Record<string, string>; email?: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const fields = formFields(await request.formData(), ["email"]);
  const parsed = SubscribeFormSchema.safeParse(fields);
  if (!parsed.success) return json<ActionData>({ email: fields.email, errors: fieldErrors(parsed.error) }, { status: 400 });
  const locale = await resolveLocale(request);
  const result = await requestSubscription(params.slug ?? "", { email: parsed.data.email, ip: clientIp(context), locale }, nowIso());
  if (!result.ok) return json<ActionData>({ errors: { form: "subprocessors.error.throttled" } }, { status: 429 });
  return json<ActionData>({ sent: true });
}

export default function PublicSubprocessors() {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const { vendor, current, log } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<SubscribeFormInput>({ resolver: zodResolver(SubscribeFormSchema), defaultValues: { email: actionData?.email ?? "" }, mode: "onSubmit" });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <header className="topbar">
        <span className="brand">{vendor.tradeName}</span>
        <span className="spacer" />
        <LanguageSwitch />
      </header>
      <main id="main">
        <h1>{t("subprocessors.public.title", { vendor: vendor.tradeName })}</h1>
        <p>{t("subprocessors.public.intro", { vendor: vendor.legalName })}</p>
        <p>
          <a href={`/trust/${vendor.slug}/subprocessors.atom`} type="application/atom+xml">
            {t("subprocessors.public.feed")}
          </a>
        </p>

        <section aria-labelledby="public-current">
          <h2 id="public-current">{t("subprocessors.public.current")}</h2>
          {current.length === 0 ? (
            <p className="empty">{t("subprocessors.public.none")}</p>
          ) : (
            current.map((s) => (
              <article key={s.id} className="card" aria-labelledby={`sp-${s.id}`}>
                <h3 id={`sp-${s.id}`}>
                  {s.legalName}
                  {s.tradeName && s.tradeName !== s.legalName ? <span className="muted small"> · {s.tradeName}</span> : null}
                </h3>
                <dl className="facts">
                  <dt>{t("subprocessors.col.service")}</dt>
                  <dd>{s.service[locale]}</dd>
                  <dt>{t("subprocessors.col.purpose")}</dt>
                  <dd>{s.purpose[locale]}</dd>
                  <dt>{t("subprocessors.col.locations")}</dt>
                  <dd>
                    {s.locations.map((l, i) => (
                      <span key={l.code}>
                        {i > 0 ? ", " : null}
                        {l.name}
                        {l.outsideEea ? ` (${t("subprocessors.outsideEea")})` : ""}
                      </span>
                    ))}
                  </dd>
                  <dt>{t("subprocessors.col.safeguard")}</dt>
                  <dd>{s.transferSafeguard ? t(`subprocessors.safeguard.${s.transferSafeguard}`) : t("subprocessors.safeguard.none")}</dd>
                  <dt>{t("subprocessors.col.services")}</dt>
                  <dd>{s.serviceNames.map((n) => n[locale]).join(", ")}</dd>
                  {s.startDate ? (
                    <>
                      <dt>{t("subprocessors.col.period")}</dt>
                      <dd>{t("subprocessors.public.since", { date: s.startDisplay })}</dd>
                    </>
                  ) : null}
                </dl>
              </article>
            ))
          )}
        </section>

        <section aria-labelledby="public-log">
          <h2 id="public-log">{t("subprocessors.public.log")}</h2>
          {log.length === 0 ? (
            <p className="empty">{t("subprocessors.public.logEmpty")}</p>
          ) : (
            <ul className="timeline">
              {log.map((e) => (
                <li key={e.id} id={`change-${e.id}`}>
                  <strong>{e.title}</strong>
                  {e.status === "cancelled" ? (
                    <>
                      {" "}
                      <span className="badge neutral">{t("subprocessors.changeStatus.cancelled")}</span>
                    </>
                  ) : e.status === "in_effect" ? (
                    <>
                      {" "}
                      <span className="badge ok">✓ {t("subprocessors.changeStatus.in_effect")}</span>
                    </>
                  ) : null}
                  <div>{e.description}</div>
                  <div className="muted small">
                    <time dateTime={e.sentAt}>{t("subprocessors.public.announced", { date: e.sentDisplay })}</time> ·{" "}
                    <time dateTime={e.plannedStart}>{t("subprocessors.public.plannedStart", { date: e.plannedStartDisplay })}</time>
                    {e.appliedAt ? ` · ${t("subprocessors.public.inEffect", { date: e.appliedDisplay })}` : ""}
                    {e.cancelledAt ? ` · ${t("subprocessors.public.cancelled", { date: e.cancelledDisplay })}` : ""}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="public-subscribe">
          <h2 id="public-subscribe">{t("subprocessors.public.subscribe")}</h2>
          <p>{t("subprocessors.public.subscribeIntro")}</p>
          {actionData?.sent ? (
            <p className="notice ok" role="status">
              {t("subprocessors.public.subscribeSent")}
            </p>
          ) : null}
          <FormError message={actionData?.errors?.form} />
          <Form
            method="post"
            noValidate
            className="inline-form"
            onSubmit={onValidSubmit}
          >
            <Field label={t("subprocessors.public.email")} type="email" autoComplete="email" error={errors.email?.message ?? actionData?.errors?.email} {...register("email")} defaultValue={actionData?.email ?? ""} />
            <button type="submit" disabled={navigation.state === "submitting"}>
              {t("subprocessors.public.subscribeSubmit")}
            </button>
          </Form>
        </section>
      </main>
      <footer className="site">
        {t("subprocessors.public.poweredBy", { vendor: vendor.legalName })} · {t("time.amsterdam")}
      </footer>
    </>
  );
}
