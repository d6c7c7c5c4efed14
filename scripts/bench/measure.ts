/**
 * Runs one scenario and returns its figures. Latency percentiles are computed from every response
 * time (autocannon's own summary stops at p97.5 and rounds to whole milliseconds).
 */
import autocannon, { type Instance, type Result } from "autocannon";
import { readCpuMs, readMemory, sampleMax, type ServerHandle } from "./server";
import type { BenchContext, HttpScenario, TimingScenario } from "./scenario";

export type Measurement = {
  name: string;
  kind: "http" | "timing";
  description: string;
  /** request path for HTTP scenarios */
  path: string | null;
  /** completed requests (HTTP) or calls (timing) per second */
  perSecond: number;
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time per request (the server's) or per call (this process's), in ms: steadier than latency on a busy machine */
  cpuMsPer: number;
  /** requests that got no answer: connection errors and timeouts (10 s) */
  failedRequests: number;
  /** largest RSS sampled during the run: the server's for HTTP, this process's for timing */
  maxRssMb: number;
  /** why the figures are missing or not to be trusted: a failed check before the run, or answers other than 200 */
  error: string | null;
};

/** Nearest-rank percentile of ascending `sorted` values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summarize(times: number[]) {
  const sorted = Float64Array.from(times).sort();
  const list = Array.from(sorted);
  return { p50Ms: percentile(list, 50), p95Ms: percentile(list, 95), p99Ms: percentile(list, 99), maxMs: list[list.length - 1] ?? NaN };
}

/** The autocannon run in flight, so Ctrl-C can stop it. */
let current: Instance | null = null;

export function stopCurrentLoad(): void {
  current?.stop();
}

function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
  onTime?: (ms: number) => void,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, timeout: 10, headers }, (error, result) => {
      current = null;
      if (error) reject(error);
      else resolve(result);
    });
    current = instance;
    if (onTime) instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => onTime(ms));
  });
}

export async function runHttp(s: HttpScenario, ctx: BenchContext, server: ServerHandle, warmupSeconds: number): Promise<Measurement> {
  const path = s.path(ctx);
  const url = `${ctx.baseUrl}${path}`;
  const headers: Record<string, string> = s.signedIn === false ? {} : { cookie: ctx.cookie };
  const base = { name: s.name, kind: "http" as const, description: s.description, path };
  const failed = (error: string): Measurement => ({
    ...base,
    perSecond: 0,
    count: 0,
    p50Ms: NaN,
    p95Ms: NaN,
    p99Ms: NaN,
    maxMs: NaN,
    cpuMsPer: NaN,
    failedRequests: 0,
    maxRssMb: NaN,
    error,
  });

  const res = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  const body = await res.text();
  if (res.status !== 200)
    return failed(`GET ${path} answered ${res.status}${res.headers.get("location") ? ` -> ${res.headers.get("location")}` : ""}`);
  const problem = s.check?.(body, ctx);
  if (problem) return failed(problem);

  if (warmupSeconds > 0) await load(url, headers, warmupSeconds, ctx.connections);
  const times: number[] = [];
  const rss = sampleMax(() => readMemory(server.pid)?.rssMb ?? null);
  const cpuBefore = readCpuMs(server.pid);
  const result = await load(url, headers, ctx.durationSeconds, ctx.connections, (ms) => times.push(ms));
  const cpuAfter = readCpuMs(server.pid);
  const maxRssMb = rss.stop();

  const statusCounts = Object.entries(result.statusCodeStats)
    .filter(([code]) => code !== "200")
    .map(([code, { count }]) => `${count}x ${code}`);
  return {
    ...base,
    perSecond: result.requests.total / result.duration,
    count: result.requests.total,
    ...summarize(times),
    cpuMsPer: cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : NaN,
    failedRequests: result.errors,
    maxRssMb,
    // a page that answers something else than 200 under load is not the page meant: its figures do not count
    error: statusCounts.length > 0 ? `answers other than 200: ${statusCounts.join(", ")}` : null,
  };
}

export async function runTiming(s: TimingScenario, ctx: BenchContext): Promise<Measurement> {
  const base = { name: s.name, kind: "timing" as const, description: s.description, path: null };
  const fn = await s.setup(ctx);
  for (let i = 0; i < (s.warmup ?? 5); i++) await fn();
  // the loop hardly yields to timers, so memory is read after every call rather than on an interval
  const rssMb = s.rssMb ?? (() => process.memoryUsage.rss() / 1024 / 1024);
  let maxRssMb = rssMb();
  const iterations = s.iterations ?? 200;
  const deadline = performance.now() + ctx.durationSeconds * 1000;
  const times: number[] = [];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  while (times.length < iterations && performance.now() < deadline) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    maxRssMb = Math.max(maxRssMb, rssMb());
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...base,
    perSecond: times.length / elapsed,
    count: times.length,
    ...summarize(times),
    cpuMsPer: (cpu.user + cpu.system) / 1000 / times.length,
    failedRequests: 0,
    maxRssMb,
    error: null,
  };
}
