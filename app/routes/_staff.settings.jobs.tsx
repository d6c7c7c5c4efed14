import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { getDb } from "~/db.server";
import { isMessageKey, useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { isJobName, type JobName } from "~/jobs/registry";
import { listJobStatus, requestJobRun, type JobState } from "~/jobs/status.server";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("reminders.jobs.title");

const RunNowSchema = z.object({ job: z.string().refine(isJobName, "reminders.jobs.unknownJob") });

type ActionData = { requested?: JobName; formError?: MessageKey };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const now = nowIso();
  const jobs = await listJobStatus(getDb(), actor, now);
  return json({
    now,
    jobs: jobs.map((job) => ({
      ...job,
      lastStartedDisplay: displayInstant(job.lastStartedAt),
      lastFinishedDisplay: displayInstant(job.lastFinishedAt),
      lastSucceededDisplay: displayInstant(job.lastSucceededAt),
      nextRunDisplay: displayInstant(job.nextRunAt),
      runningSinceDisplay: displayInstant(job.runningSince),
      lastErrorDisplay: displayInstant(job.lastErrorAt),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const form = await request.formData();
  const parsed = RunNowSchema.safeParse({ job: String(form.get("job") ?? "") });
  if (!parsed.success) return json<ActionData>({ formError: "reminders.jobs.unknownJob" }, { status: 400 });
  const { name } = await requestJobRun(getDb(), actor, parsed.data.job, nowIso());
  return json<ActionData>({ requested: name });
}

const STATE_BADGE: Record<JobState, string> = { ok: "ok", failing: "danger", new: "neutral" };
const STATE_ICON: Record<JobState, string> = { ok: "✓", failing: "✗", new: "○" };

function intervalText(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

export default function Jobs() {
  const t = useT();
  const { jobs, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <>
      <h1>{t("reminders.jobs.title")}</h1>
      <p>{t("reminders.jobs.intro")}</p>
      {actionData?.requested ? (
        <p className="notice ok" role="status">
          {t("reminders.jobs.requested", { job: t(`reminders.job.${actionData.requested}`) })}
        </p>
      ) : null}
      <FormError message={actionData?.formError} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("reminders.jobs.job")}</th>
              <th scope="col">{t("reminders.jobs.lastRun")}</th>
              <th scope="col">{t("reminders.jobs.lastSuccess")}</th>
              <th scope="col">{t("reminders.jobs.nextRun")}</th>
              <th scope="col">{t("reminders.jobs.lease")}</th>
              <th scope="col">{t("reminders.jobs.counts")}</th>
              <th scope="col">{t("reminders.jobs.lastError")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("reminders.jobs.runNow")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.name}>
                <td>
                  <strong>{t(`reminders.job.${job.name}`)}</strong>
                  <br />
                  <span className="small muted mono">{job.name}</span> ·{" "}
                  <span className="small muted">{t("reminders.jobs.every", { interval: intervalText(job.intervalMs) })}</span>
                  <br />
                  <span className={`badge ${STATE_BADGE[job.state]}`}>
                    {STATE_ICON[job.state]} {t(`reminders.jobs.state.${job.state}`)}
                  </span>
                </td>
                <td>
                  {job.lastStartedAt ? <time dateTime={job.lastStartedAt}>{job.lastStartedDisplay}</time> : t("reminders.jobs.never")}
                  {job.lastResult && Object.keys(job.lastResult).length > 0 ? (
                    <>
                      <br />
                      <span className="small muted">
                        {t("reminders.jobs.lastResult")}:{" "}
                        {Object.entries(job.lastResult)
                          .map(([key, value]) => {
                            const label = `reminders.jobs.result.${key}`;
                            return isMessageKey(label) ? t(label, { n: value }) : `${key} ${value}`;
                          })
                          .join(", ")}
                      </span>
                    </>
                  ) : null}
                </td>
                <td>{job.lastSucceededAt ? <time dateTime={job.lastSucceededAt}>{job.lastSucceededDisplay}</time> : t("reminders.jobs.never")}</td>
                <td>
                  {job.nextRunAt === null ? (
                    t("reminders.jobs.idle")
                  ) : job.nextRunAt <= now ? (
                    t("reminders.jobs.due")
                  ) : (
                    <time dateTime={job.nextRunAt}>{job.nextRunDisplay}</time>
                  )}
                </td>
                <td>
                  {job.runningOn ? (
                    <>
                      <span className="mono small">{job.runningOn}</span>
                      <br />
                      <span className="small muted">{t("reminders.jobs.running", { since: job.runningSinceDisplay })}</span>
                    </>
                  ) : (
                    t("reminders.jobs.idle")
                  )}
                </td>
                <td>
                  {job.runCount} / {job.failureCount}
                </td>
                <td>
                  {job.lastError ? (
                    <>
                      <span className="small">{job.lastError}</span>
                      <br />
                      <time className="small muted" dateTime={job.lastErrorAt ?? undefined}>
                        {job.lastErrorDisplay}
                      </time>
                    </>
                  ) : (
                    t("reminders.jobs.idle")
                  )}
                </td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="job" value={job.name} />
                    <button type="submit" className="secondary small" disabled={navigation.state === "submitting"}>
                      {t("reminders.jobs.runNow")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
