import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { LanguageSwitch } from "~/components/language-switch";
import { isLocale, translator, useT } from "~/i18n/i18n";
import { nowIso } from "~/services/http.server";
import { unsubscribe, viewUnsubscribe } from "~/services/subprocessor-public.server";

/**
 * One-click unsubscribe. The link in every mail opens this page with one button; a POST to the same
 * address unsubscribes at once, which is also what an RFC 8058 "List-Unsubscribe=One-Click" POST from
 * a mail client does (for when the outbox can send that header).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const view = await viewUnsubscribe(params.slug ?? "", params.token ?? "");
  return json({ ...view, slug: params.slug ?? "" });
}

export async function action({ params }: ActionFunctionArgs) {
  const result = await unsubscribe(params.slug ?? "", params.token ?? "", nowIso());
  return json(result, { status: result.ok ? 200 : 400 });
}

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const t = translator(isLocale(root?.locale) ? root.locale : "nl");
  return [{ title: `${t("subprocessors.unsubscribe.title")} · DPA Desk` }, { name: "robots", content: "noindex" }];
};

export default function Unsubscribe() {
  const t = useT();
  const { vendor, email, alreadyUnsubscribed, slug } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <header className="topbar">
        <span className="brand">{vendor}</span>
        <span className="spacer" />
        <LanguageSwitch />
      </header>
      <main id="main" className="auth-page">
        <h1>{t("subprocessors.unsubscribe.title")}</h1>
        {result?.ok ? (
          <p className="notice ok" role="status">
            {t("subprocessors.unsubscribe.done")}
          </p>
        ) : result || email === null ? (
          <p className="form-error" role="alert">
            {t("subprocessors.unsubscribe.invalid")}
          </p>
        ) : alreadyUnsubscribed ? (
          <p className="notice">{t("subprocessors.unsubscribe.already")}</p>
        ) : (
          <>
            <p>{t("subprocessors.unsubscribe.intro", { email, vendor })}</p>
            <Form method="post">
              <button type="submit">{t("subprocessors.unsubscribe.submit")}</button>
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
