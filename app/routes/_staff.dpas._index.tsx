import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DpaStateBadge } from "~/components/dpa-state";
import { FormError } from "~/components/form";
import { useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { dpaStateCounts, sendDpasToUnsigned, type BulkSendReport } from "~/services/dpas.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("dpas.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  return json({ counts: await dpaStateCounts(actor), canWrite: actor.role !== "auditor" });
}

type ActionData = { report?: BulkSendReport; error?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const form = await request.formData();
  if (form.get("confirm") !== "yes") return json<ActionData>({ error: "dpas.bulkConfirm" }, { status: 400 });
  return json<ActionData>({ report: await sendDpasToUnsigned(actor, nowIso()) });
}

const order = ["none", "draft", "sent", "signed", "in_force", "superseded", "ended"] as const;

export default function DpaOverview() {
  const t = useT();
  const { counts, canWrite } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const report = actionData?.report;
  return (
    <>
      <h1>{t("dpas.title")}</h1>
      <section className="card" aria-labelledby="counts">
        <h2 id="counts">{t("dpas.counts")}</h2>
        <dl className="facts">
          {order.map((state) => (
            <div key={state} className="contents">
              <dt>
                <DpaStateBadge state={state} />
              </dt>
              <dd>{counts[state]}</dd>
            </div>
          ))}
        </dl>
      </section>
      {canWrite ? (
        <section className="card" aria-labelledby="bulk">
          <h2 id="bulk">{t("dpas.bulk")}</h2>
          <p className="small">{t("dpas.bulkIntro")}</p>
          <FormError message={actionData?.error} />
          <Form method="post">
            <label className="checkbox">
              <input type="checkbox" name="confirm" value="yes" required /> {t("dpas.bulkConfirm")}
            </label>
            <div className="form-actions">
              <button type="submit" disabled={navigation.state === "submitting"} aria-describedby="bulk-progress">
                {t("dpas.bulk")}
              </button>
              <span id="bulk-progress" role="status" className="muted small">
                {navigation.state === "submitting" ? "…" : ""}
              </span>
            </div>
          </Form>
          {report ? (
            <div role="status">
              <p className={`notice ${report.failed.length === 0 ? "ok" : ""}`}>
                {t("dpas.bulkReport", { sent: report.sent.length, considered: report.considered, failed: report.failed.length })}
              </p>
              {report.failed.length > 0 ? (
                <>
                  <h3>{t("dpas.bulkFailed")}</h3>
                  <ul>
                    {report.failed.map((f) => (
                      <li key={f.customerId}>
                        <Link to={`/customers/${f.customerId}`}>{f.customerName}</Link>: {t(`dpas.error.${f.error}` as MessageKey)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
