import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { getNoticeProof } from "~/services/subprocessor-changes.server";

export const meta = titleMeta("subprocessors.proof.title");

/** The exact text one customer was sent, with where it went and whether it still matches its recorded SHA-256. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const changeId = params.changeId ?? "";
  const proof = await getNoticeProof(actor, changeId, params.noticeId ?? "");
  return json({ changeId, ...proof, sentDisplay: displayInstant(proof.sentAt) });
}

export default function NoticeProof() {
  const t = useT();
  const proof = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={`/subprocessors/changes/${proof.changeId}`}>← {t("subprocessors.proof.back")}</Link>
      </p>
      <h1>
        {t("subprocessors.proof.title")}: {proof.customerName}
      </h1>
      <p className="muted">{t("subprocessors.proof.intro")}</p>
      <dl className="facts">
        <dt>{t("subprocessors.col.sent")}</dt>
        <dd>
          <time dateTime={proof.sentAt}>{proof.sentDisplay}</time>
        </dd>
        <dt>{t("subprocessors.notices.to")}</dt>
        <dd>{proof.to.join(", ")}</dd>
        <dt>{t("subprocessors.proof.subject")}</dt>
        <dd>{proof.subject}</dd>
        <dt>SHA-256</dt>
        <dd className="mono">{proof.sha256}</dd>
      </dl>
      <p className={proof.matches ? "notice ok" : "form-error"}>{proof.matches ? `✓ ${t("subprocessors.proof.hashOk")}` : `⚠ ${t("subprocessors.proof.hashBad")}`}</p>
      <pre className="mail">{proof.body}</pre>
    </>
  );
}
