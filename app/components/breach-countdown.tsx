import { useEffect, useState } from "react";
import { useT, type Translate } from "~/i18n/i18n";

/** The states a breach clock can be in, for the badge (text, icon and colour). */
export type ClockState =
  | "on_time"
  | "due_soon"
  | "overdue"
  | "notified_on_time"
  | "notified_late"
  | "removed"
  | "reported_on_time"
  | "reported_late"
  | "not_notifying";

const BADGE: Record<ClockState, { tone: "ok" | "warn" | "danger" | "neutral"; icon: string }> = {
  on_time: { tone: "ok", icon: "◷" },
  due_soon: { tone: "warn", icon: "⚠" },
  overdue: { tone: "danger", icon: "⛔" },
  notified_on_time: { tone: "ok", icon: "✔" },
  notified_late: { tone: "danger", icon: "✖" },
  removed: { tone: "neutral", icon: "–" },
  reported_on_time: { tone: "ok", icon: "✔" },
  reported_late: { tone: "danger", icon: "✖" },
  not_notifying: { tone: "neutral", icon: "∅" },
};

/** A clock's state as a badge: colour, icon and words, so it survives colour blindness and printing. */
export function StateBadge({ state }: { state: ClockState }) {
  const t = useT();
  const { tone, icon } = BADGE[state];
  return (
    <span className={`badge ${tone}`}>
      <span aria-hidden="true">{icon}</span> {t(`breaches.state.${state}`)}
    </span>
  );
}

/** "1 d 13 u 42 min" (with seconds when asked); the sign is left to the caller. */
export function formatDuration(t: Translate, ms: number, withSeconds: boolean): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} ${t("breaches.unit.days")}`);
  if (days > 0 || hours > 0) parts.push(`${hours} ${t("breaches.unit.hours")}`);
  parts.push(`${String(minutes).padStart(days > 0 || hours > 0 ? 2 : 1, "0")} ${t("breaches.unit.minutes")}`);
  if (withSeconds) parts.push(`${String(seconds).padStart(2, "0")} ${t("breaches.unit.seconds")}`);
  return parts.join(" ");
}

function remainingText(t: Translate, ms: number, withSeconds: boolean): string {
  const time = formatDuration(t, ms, withSeconds);
  return ms >= 0 ? t("breaches.countdown.left", { time }) : t("breaches.countdown.overdue", { time });
}

/** The state of a running clock at a moment, from its due instant and the moment it turns due soon. */
function runningState(nowMs: number, dueMs: number, soonMs: number): ClockState {
  if (nowMs > dueMs) return "overdue";
  if (nowMs > soonMs) return "due_soon";
  return "on_time";
}

/**
 * Time left until a deadline. The server renders the state, the time left (to the minute) and the
 * absolute time, so the page is right without JavaScript; in the browser it ticks every second
 * from the due instant, and the state changes when the clock crosses 25% or the deadline.
 */
export function Countdown({
  due,
  soonAt,
  absolute,
  remainingMs,
  state,
  showBadge = true,
}: {
  due: string;
  soonAt: string | null;
  absolute: string;
  remainingMs: number;
  state: ClockState;
  showBadge?: boolean;
}) {
  const t = useT();
  const running = state === "on_time" || state === "due_soon" || state === "overdue";
  const [live, setLive] = useState<{ ms: number; state: ClockState } | null>(null);
  useEffect(() => {
    if (!running) return;
    const dueMs = Date.parse(due);
    const soonMs = soonAt ? Date.parse(soonAt) : dueMs;
    const tick = () => {
      const now = Date.now();
      setLive({ ms: dueMs - now, state: runningState(now, dueMs, soonMs) });
    };
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [due, soonAt, running]);
  const shownState = live?.state ?? state;
  return (
    <span className="countdown">
      {showBadge ? (
        <>
          <StateBadge state={shownState} />{" "}
        </>
      ) : null}
      {running ? (
        <strong className="mono" aria-live="off">
          {remainingText(t, live?.ms ?? remainingMs, live !== null)}
        </strong>
      ) : null}
      <br />
      <span className="small muted">
        <time dateTime={due}>{absolute}</time>
      </span>
    </span>
  );
}
