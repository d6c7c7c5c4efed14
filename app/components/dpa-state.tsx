import { useT, type MessageKey } from "~/i18n/i18n";

const stateBadge: Record<string, { cls: string; icon: string }> = {
  draft: { cls: "neutral", icon: "✎" },
  sent: { cls: "warn", icon: "✉" },
  signed: { cls: "warn", icon: "✍" },
  in_force: { cls: "ok", icon: "✓" },
  superseded: { cls: "neutral", icon: "↺" },
  ended: { cls: "neutral", icon: "■" },
  none: { cls: "danger", icon: "⚠" },
};

/** A DPA state as text with an icon and colour (readable without colour and on paper). */
export function DpaStateBadge({ state }: { state: string }) {
  const t = useT();
  const badge = stateBadge[state] ?? stateBadge.none;
  return (
    <span className={`badge ${badge.cls}`}>
      {badge.icon} {t(`dpas.state.${state}` as MessageKey)}
    </span>
  );
}
