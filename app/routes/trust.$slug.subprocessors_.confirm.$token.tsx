import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { LanguageSwitch } from "~/components/language-switch";
import { isLocale, translator, useT } from "~/i18n/i18n";
import { nowIso } from "~/services/http.server";
import { confirmSubscription, viewConfirmation } from "~/services/subprocessor-public.server";

/**
 * Double opt-in: the link from the confirmation mail shows one button; the POST confirms (so a mail
 * scanner that opens links does not subscribe anyone). The link works once.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const view = await viewConfirmation(params.slug ?? "", params.token ?? "", nowIso());
  return json({ ...view, slug: params.slug ?? "" });
}

export async function action({ params }: ActionFunctionArgs) {
  const result = await confirmSubscription(params.slug ?? "", params.token ?? "", nowIso());
  return json(result, { status: result.ok ? 200 : 410 });
}

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const t = translator(isLocale(root?.locale) ? root.locale : "nl");
  return [{ title: `${t("subprocessors.confirm.title")} · DPA Desk` }, { name: "robots", content: "noindex" }];
};

export default function ConfirmSubscription() {
  const t = useT();
  const { vendor, email, slug } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <header className="topbar">
        <span className="brand">{vendor}</span>
        <span className="spacer" />
        <LanguageSwitch />
      </header>
      <main id="main" className="auth-page">
        <h1>{t("subprocessors.confirm.title")}</h1>
        {result?.ok ? (
          <p className="notice ok" role="status">
            {t("subprocessors.confirm.done")}
          </p>
        ) : result || email === null ? (
          <p className="form-error" role="alert">
            {t("subprocessors.confirm.invalid")}
          </p>
        ) : (
          <>
            <p>{t("subprocessors.confirm.intro", { email, vendor })}</p>
            <Form method="post">
              <button type="submit">{t("subprocessors.confirm.submit")}</button>
            </Form>
          </>
        )}
        <p>
          <a href={`/trust/${slug}/subprocessors`}>{t("subprocessors.backToList")}</a>
        </p>
      </main>
    </>
  );
}
