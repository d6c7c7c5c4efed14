/**
 * Judges the measurements against their goals and prints them: a table for people, one JSON
 * object (on the last line) for machines.
 */
import type { Measurement } from "./measure";
import type { Goals, Scenario } from "./scenario";

export type GoalCheck = { goal: "ratio" | "p95" | "rss"; limit: number; value: number; pass: boolean };

export type ScenarioReport = Measurement & {
  /** throughput relative to the baseline scenario (HTTP only) */
  ratioToBaseline: number | null;
  goals: GoalCheck[];
  pass: boolean;
};

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);

export function judge(scenarios: Scenario[], measurements: Measurement[]): ScenarioReport[] {
  const baselineName = scenarios.find((s) => s.kind === "http" && s.baseline)?.name;
  const baseline = measurements.find((m) => m.name === baselineName && !m.error);
  return measurements.map((m) => {
    const goals: Goals = scenarios.find((s) => s.name === m.name)?.goals ?? {};
    const ratio = m.kind === "http" && baseline && m.name !== baseline.name ? m.perSecond / baseline.perSecond : null;
    const checks: GoalCheck[] = [];
    if (!m.error) {
      if (goals.minRatioToBaseline !== undefined && ratio !== null)
        checks.push({ goal: "ratio", limit: goals.minRatioToBaseline, value: ratio, pass: ratio >= goals.minRatioToBaseline });
      if (goals.maxP95Ms !== undefined) checks.push({ goal: "p95", limit: goals.maxP95Ms, value: m.p95Ms, pass: m.p95Ms < goals.maxP95Ms });
      if (goals.maxRssMb !== undefined)
        checks.push({ goal: "rss", limit: goals.maxRssMb, value: m.maxRssMb, pass: m.maxRssMb < goals.maxRssMb });
    }
    return { ...m, ratioToBaseline: ratio, goals: checks, pass: !m.error && m.failedRequests === 0 && checks.every((c) => c.pass) };
  });
}

function describeMiss(r: ScenarioReport, c: GoalCheck): string {
  switch (c.goal) {
    case "ratio":
      return `${r.name}: throughput is ${(c.value * 100).toFixed(0)}% of the bare route (goal: at least ${(c.limit * 100).toFixed(0)}%)`;
    case "p95":
      return `${r.name}: p95 latency ${c.value.toFixed(1)} ms (goal: under ${c.limit} ms)`;
    case "rss":
      return `${r.name}: ${r.kind === "http" ? "server" : "process"} RSS ${c.value.toFixed(0)} MB (goal: under ${c.limit} MB)`;
  }
}

/** The server as a whole: its peak RSS (VmHWM) over every HTTP scenario, against the goal. */
export type ServerReport = { peakRssMb: number; limitMb: number; pass: boolean } | null;

export function judgeServer(peakRssMb: number | null, limitMb: number): ServerReport {
  return peakRssMb === null ? null : { peakRssMb, limitMb, pass: peakRssMb < limitMb };
}

export function misses(reports: ScenarioReport[], server: ServerReport): string[] {
  return [
    ...(server && !server.pass
      ? [`server: peak RSS ${server.peakRssMb.toFixed(0)} MB over the HTTP scenarios (goal: under ${server.limitMb} MB)`]
      : []),
    ...reports.flatMap((r) => [
      ...(r.error ? [`${r.name}: not measured properly: ${r.error}`] : []),
      ...(r.failedRequests > 0
        ? [`${r.name}: ${r.failedRequests} requests got no answer within 10 s (counted as failed, not in the latencies)`]
        : []),
      ...r.goals.filter((c) => !c.pass).map((c) => describeMiss(r, c)),
    ]),
  ];
}

export function renderServerLine(server: ServerReport): string {
  if (!server) return "server: not started (no HTTP scenario selected)";
  const verdict = server.pass ? "ok" : "MISS";
  return `server peak RSS (VmHWM) over all HTTP scenarios: ${server.peakRssMb.toFixed(0)} MB, goal under ${server.limitMb} MB: ${verdict}`;
}

function fmt(n: number | null, digits = 1): string {
  return n === null || !Number.isFinite(n) ? "-" : n.toFixed(digits);
}

export function renderTable(reports: ScenarioReport[]): string {
  const header = ["scenario", "kind", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs bare", "cpu ms/req", "max RSS MB", "result"];
  const rows = reports.map((r) => {
    const missed: string[] = r.goals.filter((c) => !c.pass).map((c) => c.goal);
    if (r.failedRequests > 0) missed.push("timeouts");
    const result = r.error ? "ERROR" : missed.length > 0 ? `MISS (${missed.join(", ")})` : r.goals.length > 0 ? "ok" : "(no goal)";
    return [
      r.name,
      r.kind,
      fmt(r.perSecond, 0),
      fmt(r.p50Ms, 2),
      fmt(r.p95Ms, 2),
      fmt(r.p99Ms, 2),
      r.ratioToBaseline === null ? "-" : `${(r.ratioToBaseline * 100).toFixed(0)}%`,
      fmt(r.cpuMsPer, 2),
      fmt(r.maxRssMb, 0),
      result,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The JSON form: the same figures, rounded, with the goals each scenario was held to. */
export function toJson(reports: ScenarioReport[], server: ServerReport, meta: Record<string, unknown>): string {
  const missed = misses(reports, server);
  return JSON.stringify({
    ...meta,
    server: server && { peakRssMb: round(server.peakRssMb), goalMb: server.limitMb, pass: server.pass },
    scenarios: reports.map((r) => ({
      name: r.name,
      kind: r.kind,
      path: r.path,
      perSecond: round(r.perSecond),
      count: r.count,
      p50Ms: round(r.p50Ms, 2),
      p95Ms: round(r.p95Ms, 2),
      p99Ms: round(r.p99Ms, 2),
      maxMs: round(r.maxMs, 2),
      failedRequests: r.failedRequests,
      ratioToBaseline: r.ratioToBaseline === null ? null : round(r.ratioToBaseline, 3),
      cpuMsPer: round(r.cpuMsPer, 3),
      maxRssMb: round(r.maxRssMb),
      error: r.error,
      goals: r.goals.map((c) => ({ ...c, value: round(c.value, 3) })),
      pass: r.pass,
    })),
    misses: missed,
    pass: missed.length === 0,
  });
}
