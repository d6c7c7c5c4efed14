import { useRef, useState, type MouseEvent } from "react";
import { useLocale, useT } from "~/i18n/i18n";

type Progress =
  | { state: "idle" }
  | { state: "running"; bytes: number; rows: number; total: number | null }
  | { state: "done"; bytes: number }
  | { state: "failed"; message: string }
  | { state: "cancelled" };

function size(bytes: number, locale: string): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

function filenameOf(disposition: string | null, fallback: string): string {
  const match = disposition ? /filename="?([^";]+)"?/.exec(disposition) : null;
  return match?.[1] ?? fallback;
}

/**
 * A download link that, with JavaScript, fetches the export itself and shows how far it is: rows
 * received against the server's estimate (X-Row-Estimate; rows are counted by line ends in CSV and
 * JSON), or bytes for XLSX and PDF, then saves the file. Without JavaScript it is the plain link.
 */
export function DownloadLink({ href, label, className, countLines }: { href: string; label: string; className?: string; countLines: boolean }) {
  const t = useT();
  const locale = useLocale() === "nl" ? "nl-NL" : "en-GB";
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  const abort = useRef<AbortController | null>(null);

  async function start(event: MouseEvent<HTMLAnchorElement>) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    if (typeof ReadableStream === "undefined" || typeof URL.createObjectURL !== "function") return;
    event.preventDefault();
    if (progress.state === "running") return;
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ state: "running", bytes: 0, rows: 0, total: null });
    try {
      const response = await fetch(href, { signal: controller.signal, credentials: "same-origin" });
      if (!response.ok || !response.body) {
        const message = (await response.text()).trim() || `${response.status} ${response.statusText}`;
        setProgress({ state: "failed", message: message.slice(0, 400) });
        return;
      }
      const estimate = Number(response.headers.get("X-Row-Estimate"));
      const total = Number.isFinite(estimate) && estimate > 0 ? estimate : null;
      const reader = response.body.getReader();
      const parts: Uint8Array[] = [];
      let bytes = 0;
      let lines = 0;
      let last = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        if (countLines) for (let i = 0; i < value.length; i++) if (value[i] === 10) lines += 1;
        const now = performance.now();
        if (now - last > 100) {
          last = now;
          // the header line (CSV) or the opening bracket line (JSON) is not a row
          setProgress({ state: "running", bytes, rows: Math.max(0, lines - 1), total });
        }
      }
      const blob = new Blob(parts as BlobPart[], { type: response.headers.get("Content-Type") ?? "application/octet-stream" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameOf(response.headers.get("Content-Disposition"), href.split("/").pop()?.split("?")[0] ?? "export");
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setProgress({ state: "done", bytes });
    } catch (error) {
      if (controller.signal.aborted) setProgress({ state: "cancelled" });
      else setProgress({ state: "failed", message: error instanceof Error ? error.message : String(error) });
    } finally {
      abort.current = null;
    }
  }

  return (
    <span className="download">
      <a href={href} className={className} download onClick={start} aria-busy={progress.state === "running"}>
        {label}
      </a>
      <span className="download-status small" role="status" aria-live="polite">
        {progress.state === "running" ? (
          <>
            {progress.total && countLines ? (
              <progress max={progress.total} value={Math.min(progress.rows, progress.total)} aria-label={t("registers.progress.label")} />
            ) : (
              <progress aria-label={t("registers.progress.label")} />
            )}{" "}
            {progress.total && countLines
              ? t("registers.progress.rows", {
                  received: progress.rows.toLocaleString(locale),
                  total: progress.total.toLocaleString(locale),
                  percent: Math.min(99, Math.floor((progress.rows / progress.total) * 100)),
                  size: size(progress.bytes, locale),
                })
              : t("registers.progress.bytes", { size: size(progress.bytes, locale) })}{" "}
            <button type="button" className="link" onClick={() => abort.current?.abort()}>
              {t("registers.progress.cancel")}
            </button>
          </>
        ) : progress.state === "done" ? (
          t("registers.progress.done", { size: size(progress.bytes, locale) })
        ) : progress.state === "failed" ? (
          <span className="form-error">{t("registers.progress.failed", { message: progress.message })}</span>
        ) : progress.state === "cancelled" ? (
          t("registers.progress.cancelled")
        ) : null}
      </span>
    </span>
  );
}
