import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DpaStateBadge } from "~/components/dpa-state";
import { FormError } from "~/components/form";
import { useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { getCustomerDetail } from "~/services/customers.server";
import { displayInstant } from "~/services/display.server";
import { draftDpa, listCustomerDpas, MAX_UPLOAD_BYTES, uploadCustomerPaperDpa } from "~/services/dpas.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("dpas.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const customerId = params.customerId ?? "";
  const { customer } = await getCustomerDetail(actor, customerId);
  const list = await listCustomerDpas(actor, customerId);
  return json({
    customer: { id: customer.id, name: customer.name },
    canWrite: actor.role !== "auditor",
    dpas: list.map((d) => ({ ...d, createdDisplay: displayInstant(d.createdAt), inForceDisplay: displayInstant(d.inForceAt) })),
    notice: new URL(request.url).searchParams.get("notice"),
  });
}

type ActionData = { error?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const customerId = params.customerId ?? "";
  const now = nowIso();
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
    } catch {
      return json<ActionData>({ error: "dpas.error.too_large" }, { status: 413 });
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return json<ActionData>({ error: "dpas.error.not_a_pdf" }, { status: 400 });
    const result = await uploadCustomerPaperDpa(actor, customerId, { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, now);
    if (!result.ok) return json<ActionData>({ error: `dpas.error.${result.error}` }, { status: 400 });
    return redirect(`/customers/${customerId}/dpa?notice=uploaded`);
  }
  const result = await draftDpa(actor, customerId, now);
  if (!result.ok) return json<ActionData>({ error: `dpas.error.${result.error}` }, { status: 409 });
  return redirect(`/dpas/${result.dpaId}?notice=drafted`);
}

export default function CustomerDpas() {
  const t = useT();
  const { customer, dpas, canWrite, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <>
      <p>
        <Link to={`/customers/${customer.id}`}>← {customer.name}</Link>
      </p>
      <h1>{t("dpas.customerTitle", { customer: customer.name })}</h1>
      {notice === "uploaded" ? (
        <p className="notice ok" role="status">
          {t("dpas.notice.uploaded")}
        </p>
      ) : null}
      <FormError message={actionData?.error} />
      {dpas.length === 0 ? (
        <div className="card empty">
          <p>
            <strong>{t("dpas.none")}</strong>
          </p>
          <p>{t("dpas.noneHint")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("dpas.version")}</th>
                <th scope="col">{t("dpas.state")}</th>
                <th scope="col">{t("dpas.created")}</th>
                <th scope="col">{t("dpas.inForceAt")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {dpas.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.versionLabel}
                    <br />
                    <span className="muted small">{t(`dpas.kind.${d.kind}` as MessageKey)}</span>
                  </td>
                  <td>
                    <DpaStateBadge state={d.state} />
                  </td>
                  <td>{d.createdDisplay}</td>
                  <td>{d.inForceDisplay || "—"}</td>
                  <td>
                    <Link to={`/dpas/${d.id}`}>{t("dpas.view")}</Link>
                    {d.hasPdf ? (
                      <>
                        {" · "}
                        <a href={`/dpas/${d.id}.pdf`}>{t("dpas.downloadPdf")}</a>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite ? (
        <>
          <Form method="post" className="form-actions">
            <button type="submit" disabled={navigation.state === "submitting"}>
              {t("dpas.draft")}
            </button>
          </Form>
          <section className="card" aria-labelledby="upload">
            <h2 id="upload">{t("dpas.upload")}</h2>
            <p className="small">{t("dpas.uploadIntro")}</p>
            <Form method="post" encType="multipart/form-data">
              <div className="field">
                <label htmlFor="dpa-file">{t("dpas.uploadFile")}</label>
                <input id="dpa-file" type="file" name="file" accept="application/pdf,.pdf" required />
              </div>
              <button type="submit" className="secondary">
                {t("dpas.uploadSubmit")}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
