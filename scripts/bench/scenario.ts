/**
 * The two kinds of benchmark scenario and what each may use.
 *
 * - An HTTP scenario is a request the running server answers; autocannon sends it over N
 *   connections for a fixed duration, and the server's memory is sampled meanwhile.
 * - A timing scenario is a function run in the benchmark process itself (against the same bench
 *   database, with the app's configuration and DB handle set up), timed call by call: for work
 *   that has no page of its own, or to see a page's service cost without HTTP and rendering.
 *
 * Add a scenario by appending `httpScenario({...})` or `timingScenario({...})` to the list in
 * scripts/bench/scenarios.ts.
 */
import type { Db } from "../../db/client";
import type { Actor } from "~/domain/permissions";
import type { BenchDataset } from "./dataset";

export type BenchContext = {
  db: Db;
  dataset: BenchDataset;
  /** the signed-in admin of the bench workspace, as services expect it */
  actor: Extract<Actor, { kind: "staff" }>;
  /** `Cookie` header value that signs requests in as that admin */
  cookie: string;
  /** http://127.0.0.1:<port> of the server under test */
  baseUrl: string;
  durationSeconds: number;
  connections: number;
  /** values scenarios share, computed once from the data (see scripts/bench/fixtures.ts) */
  fixtures: BenchFixtures;
};

export type BenchFixtures = {
  /** `after` cursor of the customer about 100 places before the end of the (unarchived) list in name order */
  deepCustomerCursor: string;
  /** name of the first customer on the page that cursor opens, to check the page is the one meant */
  deepPageFirstName: string;
};

export type Goals = {
  /** the scenario's throughput divided by the baseline scenario's must be at least this */
  minRatioToBaseline?: number;
  /** the 95th percentile latency in milliseconds must be below this */
  maxP95Ms?: number;
  /**
   * the largest RSS sampled while this scenario ran (server for HTTP, this process for timing) must be below this many MB;
   * memory only grows over a run, so this says little about one page: the server's peak is judged once (SERVER_PEAK_RSS_GOAL_MB)
   */
  maxRssMb?: number;
};

export type HttpScenario = {
  kind: "http";
  name: string;
  description: string;
  /** path and query, e.g. "/customers?after=..." */
  path: (ctx: BenchContext) => string;
  /** send the session cookie (default true) */
  signedIn?: boolean;
  /** the reference every other HTTP scenario's throughput is compared with (exactly one) */
  baseline?: boolean;
  /** checked once before the load run (after the status, which must be 200); an error message when it is not the page meant */
  check?: (body: string, ctx: BenchContext) => string | null;
  goals: Goals;
};

export type TimingScenario = {
  kind: "timing";
  name: string;
  description: string;
  /** prepares whatever `run` needs and returns the function to time; called once */
  setup: (ctx: BenchContext) => Promise<() => unknown> | (() => unknown);
  /** calls before timing starts (default 5) */
  warmup?: number;
  /** calls to time (default 200); the run also stops at the duration limit, whichever comes first */
  iterations?: number;
  /** the RSS in MB the rss goal is about, read after every call (default: this process's); e.g. of a server the scenario started */
  rssMb?: () => number;
  goals: Goals;
};

export type Scenario = HttpScenario | TimingScenario;

/** Defaults for a page: at least half the bare route's throughput and p95 under 100 ms. */
export const PAGE_GOALS: Goals = { minRatioToBaseline: 0.5, maxP95Ms: 100 };

/** The server's peak RSS (VmHWM) over all HTTP scenarios must stay below this. */
export const SERVER_PEAK_RSS_GOAL_MB = 300;

/** An HTTP scenario; without `goals` it gets PAGE_GOALS (the baseline: all but the ratio). */
export function httpScenario(s: Omit<HttpScenario, "kind" | "goals"> & { goals?: Goals }): HttpScenario {
  const { minRatioToBaseline: _ratio, ...baselineGoals } = PAGE_GOALS;
  return { ...s, kind: "http", goals: s.goals ?? (s.baseline ? baselineGoals : PAGE_GOALS) };
}

/** A timing scenario; without `goals` it is reported but not judged. */
export function timingScenario(s: Omit<TimingScenario, "kind" | "goals"> & { goals?: Goals }): TimingScenario {
  return { ...s, kind: "timing", goals: s.goals ?? {} };
}
