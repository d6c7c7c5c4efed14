import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PublicPageFormSchema, formFields } from "~/domain/subprocessor-forms";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { getConfig } from "~/config.server";
import { nowIso } from "~/services/http.server";
import { getPublicPageSettings, setPublicPage } from "~/services/subprocessors.server";

export const meta = titleMeta("subprocessors.publicPage.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const settings = await getPublicPageSettings(actor);
  const url = `${getConfig().appUrl}/trust/${settings.slug}/subprocessors`;
  return json({ ...settings, url, feedUrl: `${url}.atom` });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const parsed = PublicPageFormSchema.safeParse(formFields(await request.formData(), ["enabled"]));
  if (!parsed.success) return json({ saved: false }, { status: 400 });
  await setPublicPage(actor, parsed.data.enabled === "yes", nowIso());
  return json({ saved: true });
}

export default function PublicPageSettings() {
  const t = useT();
  const { enabled, url, feedUrl, subscribers, canAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("subprocessors.publicPage.title")}</h1>
      <p>{t("subprocessors.publicPage.intro")}</p>
      {actionData?.saved ? (
        <p className="notice ok" role="status">
          {t("subprocessors.publicPage.saved")}
        </p>
      ) : null}
      <section className="card" aria-labelledby="public-status">
        <h2 id="public-status">{t("common.status")}</h2>
        <p>
          <span className={`badge ${enabled ? "ok" : "neutral"}`}>{enabled ? `✓ ${t("subprocessors.publicPage.on")}` : `– ${t("subprocessors.publicPage.off")}`}</span>
        </p>
        <dl className="facts">
          <dt>{t("subprocessors.publicPage.address")}</dt>
          <dd className="mono">{enabled ? <a href={url}>{url}</a> : url}</dd>
          <dt>{t("subprocessors.publicPage.feed")}</dt>
          <dd className="mono">{enabled ? <a href={feedUrl}>{feedUrl}</a> : feedUrl}</dd>
          <dt>{t("subprocessors.public.subscribe")}</dt>
          <dd>{t("subprocessors.publicPage.subscribers", { confirmed: subscribers.confirmed, pending: subscribers.pending })}</dd>
          <dt>{t("subprocessors.publicPage.contents")}</dt>
          <dd>{t("subprocessors.publicPage.contentsList")}</dd>
        </dl>
        {canAdmin ? (
          <Form method="post">
            <input type="hidden" name="enabled" value={enabled ? "no" : "yes"} />
            <div className="form-actions">
              <button type="submit" className={enabled ? "danger" : undefined}>
                {enabled ? t("subprocessors.publicPage.disable") : t("subprocessors.publicPage.enable")}
              </button>
            </div>
          </Form>
        ) : (
          <p className="muted">{t("subprocessors.publicPage.notAdmin")}</p>
        )}
      </section>
    </>
  );
}
