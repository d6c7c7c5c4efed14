import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Countdown } from "~/components/breach-countdown";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import { listPortalBreaches } from "~/services/breach-portal.server";
import { clockView } from "~/services/breach-views.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

export const meta = titleMeta("breaches.portal.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePortal(request);
  const locale = await resolveLocale(request);
  const list = await listPortalBreaches(actor, nowIso());
  return json({
    breaches: list.map((b) => ({
      ...b,
      firstNoticeDisplay: displayInstant(b.firstNoticeAt),
      authority: b.authority ? { ...b.authority, clock: clockView(b.authority.deadline, locale) } : null,
    })),
  });
}

export default function PortalBreaches() {
  const t = useT();
  const { breaches } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("breaches.portal.title")}</h1>
      <p className="muted">{t("breaches.portal.intro")}</p>
      {breaches.length === 0 ? (
        <p className="empty card">{t("breaches.portal.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("breaches.col.breach")}</th>
                <th scope="col">{t("breaches.portal.firstNotice")}</th>
                <th scope="col">{t("breaches.portal.yourDeadline")}</th>
                <th scope="col">{t("common.status")}</th>
              </tr>
            </thead>
            <tbody>
              {breaches.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/portal/breaches/${b.id}`}>
                      <span className="mono">{b.reference}</span> {b.title}
                    </Link>
                  </td>
                  <td>
                    <time dateTime={b.firstNoticeAt}>{b.firstNoticeDisplay}</time>
                    <br />
                    <span className="small">
                      {b.notices === 1 ? t("breaches.portal.noticeCountOne") : t("breaches.portal.noticeCount", { count: b.notices })}
                    </span>
                  </td>
                  <td>
                    {b.authority ? (
                      <Countdown
                        due={b.authority.clock.due}
                        soonAt={b.authority.clock.soonAt}
                        absolute={b.authority.clock.absolute}
                        remainingMs={b.authority.remainingMs}
                        state={b.authority.state}
                      />
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    {b.unacknowledged > 0 ? (
                      <span className="badge warn">{t("breaches.portal.toAcknowledge", { count: b.unacknowledged })}</span>
                    ) : (
                      <span className="badge ok">✔ {t("breaches.portal.allAcknowledged")}</span>
                    )}{" "}
                    {b.openQuestions > 0 ? <span className="badge neutral">{t("breaches.dashboard.openQuestions", { count: b.openQuestions })}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
