/**
 * `npm run bench`: measures DPA Desk on a large workspace.
 *
 * 1. builds the app when app/ is newer than build/;
 * 2. generates (or reuses) ./bench-data/bench.sqlite with N customers (default 50,000);
 * 3. signs in an admin by writing a session row and signing its cookie;
 * 4. starts server.ts as a child process on a free 127.0.0.1 port (NODE_ENV=production, no workers)
 *    and loads each HTTP scenario with autocannon for a fixed time, sampling the server's RSS;
 * 5. stops the server and runs the in-process timing scenarios;
 * 6. prints a table (and with --json one JSON object on the last line) with pass/fail per goal.
 *
 * Missed goals are reported, not failed: the exit code is 0 unless the benchmark itself could not run.
 * Scenarios live in scripts/bench/scenarios.ts.
 */
import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Db } from "../db/client";
import { parseConfig, setConfig } from "~/config.server";
import { setDb } from "~/db.server";
import { BENCH_USER_EMAIL, ensureBenchDataset } from "./bench/dataset";
import { computeFixtures } from "./bench/fixtures";
import { runHttp, runTiming, stopCurrentLoad, type Measurement } from "./bench/measure";
import { judge, judgeServer, misses, renderServerLine, renderTable, toJson } from "./bench/report";
import { SERVER_PEAK_RSS_GOAL_MB, type BenchContext, type HttpScenario, type Scenario, type TimingScenario } from "./bench/scenario";
import { scenarios as allScenarios } from "./bench/scenarios";
import { ensureBuild, freePort, readMemory, startServer, type ServerHandle } from "./bench/server";
import { createBenchSession } from "./bench/session";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const HELP = `Usage: npm run bench -- [options]

  --customers N     customers in the bench workspace (default 50000, at least 200)
  --duration S      seconds of load per HTTP scenario, and the time limit of a timing scenario (default 10)
  --connections C   concurrent connections (default 10)
  --warmup S        seconds of unrecorded load before each HTTP scenario (default 2)
  --only a,b        run only these scenarios (the baseline is added when an HTTP scenario is chosen)
  --db PATH         bench database (default ./bench-data/bench.sqlite; regenerated when its size differs)
  --node-env ENV    NODE_ENV of the server: production (default) or test
  --build           rebuild the app even when build/ looks up to date
  --json            also print the results as one JSON object on the last line
  --help            this text

Scenarios: ${allScenarios.map((s) => s.name).join(", ")}`;

function usage(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        customers: { type: "string", default: "50000" },
        duration: { type: "string", default: "10" },
        connections: { type: "string", default: "10" },
        warmup: { type: "string", default: "2" },
        only: { type: "string" },
        db: { type: "string", default: "bench-data/bench.sqlite" },
        "node-env": { type: "string", default: "production" },
        build: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) usage(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  const nodeEnv = values["node-env"];
  if (nodeEnv !== "production" && nodeEnv !== "test") usage(`--node-env must be production or test (got "${nodeEnv}")`);
  const only =
    values.only
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean) ?? null;
  const unknown = only?.filter((name) => !allScenarios.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) usage(`Unknown scenario: ${unknown.join(", ")}`);
  return {
    customers: int("customers", values.customers, 200, 5_000_000),
    durationSeconds: int("duration", values.duration, 1, 600),
    connections: int("connections", values.connections, 1, 1000),
    warmupSeconds: int("warmup", values.warmup, 0, 60),
    only,
    dbPath: path.resolve(root, values.db),
    nodeEnv: nodeEnv as "production" | "test",
    forceBuild: values.build,
    json: values.json,
  };
}

function selectScenarios(only: string[] | null): Scenario[] {
  if (!only) return allScenarios;
  const chosen = allScenarios.filter((s) => only.includes(s.name));
  // a page's ratio needs the bare route measured in the same run
  const needsBaseline = chosen.some((s) => s.kind === "http" && !s.baseline);
  return allScenarios.filter((s) => chosen.includes(s) || (needsBaseline && s.kind === "http" && s.baseline));
}

const log = (line: string) => console.error(`[bench] ${line}`);

let server: ServerHandle | null = null;
let db: Db | null = null;

async function shutdown(): Promise<void> {
  stopCurrentLoad();
  const s = server;
  server = null;
  if (s) await s.stop();
  db?.$client.close();
  db = null;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the load and the server`);
    void shutdown().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const options = parseOptions();
  const selected = selectScenarios(options.only);
  const httpScenarios = selected.filter((s): s is HttpScenario => s.kind === "http");
  const timingScenarios = selected.filter((s): s is TimingScenario => s.kind === "timing");
  if (httpScenarios.filter((s) => s.baseline).length > 1) throw new Error("More than one HTTP scenario is marked as baseline");

  if (httpScenarios.length > 0) ensureBuild(root, options.forceBuild, log);
  const opened = await ensureBenchDataset(options.dbPath, options.customers, log);
  db = opened.db;
  const { dataset } = opened;

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sessionSecret = randomBytes(32).toString("hex");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: options.nodeEnv,
    HOST: "127.0.0.1",
    PORT: String(port),
    APP_URL: baseUrl,
    DATABASE_PATH: options.dbPath,
    DATA_DIR: path.join(path.dirname(options.dbPath), "data"),
    SESSION_SECRET: sessionSecret,
    // required in production; never used, since no worker runs and no measured request sends mail
    SMTP_URL: "smtp://127.0.0.1:9",
    // required in production; a scenario that signs a PDF puts bench.p12 (the workspace slug) in this folder
    SIGNING_P12_DIR: path.join(path.dirname(options.dbPath), "signing"),
    SIGNING_P12_PASSPHRASE: randomBytes(18).toString("base64url"),
    DEMO_MODE: "false",
    START_WORKERS: "false",
  };
  // in-process scenarios call services, which read the configuration and DB handle from these
  setConfig(parseConfig(env));
  setDb(db);

  const staff = db.$client
    .prepare(
      "select u.id, u.name, u.email, m.role from users u join memberships m on m.user_id = u.id where u.email = ? and m.workspace_id = ?",
    )
    .get(BENCH_USER_EMAIL, dataset.workspaceId) as { id: string; name: string; email: string; role: "admin" };
  const cookie = await createBenchSession(db, {
    userId: staff.id,
    workspaceId: dataset.workspaceId,
    secret: sessionSecret,
    now: new Date(),
  });
  const ctx: BenchContext = {
    db,
    dataset,
    actor: { kind: "staff", userId: staff.id, name: staff.name, email: staff.email, workspaceId: dataset.workspaceId, role: staff.role },
    cookie,
    baseUrl,
    durationSeconds: options.durationSeconds,
    connections: options.connections,
    fixtures: computeFixtures(db, dataset.workspaceId),
  };

  const loadBefore = loadavg()[0];
  const measurements: Measurement[] = [];
  let serverPeakMb: number | null = null;
  if (httpScenarios.length > 0) {
    log(`Starting the server on ${baseUrl} (NODE_ENV=${options.nodeEnv}) ...`);
    server = await startServer(root, env, baseUrl);
    log(`Server ${server.pid} is up, RSS ${readMemory(server.pid)?.rssMb.toFixed(0) ?? "?"} MB`);
    for (const s of httpScenarios) {
      log(`${s.name}: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s at ${options.connections} connections ...`);
      measurements.push(await runHttp(s, ctx, server, options.warmupSeconds));
    }
    serverPeakMb = readMemory(server.pid)?.peakMb ?? null;
    await server.stop();
    server = null;
  }
  for (const s of timingScenarios) {
    log(`${s.name}: timing in-process ...`);
    measurements.push(await runTiming(s, ctx));
  }

  const reports = judge(selected, measurements);
  const serverReport = judgeServer(serverPeakMb, SERVER_PEAK_RSS_GOAL_MB);
  const missed = misses(reports, serverReport);
  const c = dataset.counts;
  const out: string[] = [
    "",
    `DPA Desk benchmark: ${c.customers} customers (${c.archivedCustomers} archived), ${c.customerServices} customer services, ` +
      `${c.auditEvents} audit events, ${c.outbox} outbox messages, ${c.portalUsers} portal users`,
    `server: NODE_ENV=${options.nodeEnv}, ${options.connections} connections, ${options.durationSeconds} s per scenario after ${options.warmupSeconds} s warm-up; ` +
      `node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after`,
    "",
    renderTable(reports),
    "",
    renderServerLine(serverReport),
    "",
    "req/s: completed requests (timing: calls) per second; p50/p95/p99: latency per request (timing: per call);",
    "vs bare: throughput relative to /healthz; cpu ms/req: CPU time the server (timing: this process) spent per request,",
    "which other load on the machine disturbs less than latency; max RSS: largest RSS of the server (timing: this process)",
    "sampled every 100 ms during the scenario; the same server runs every HTTP scenario in turn, so it only grows.",
    `Goals for pages: at least 50% of the bare route's throughput and p95 under 100 ms; for the server: peak RSS under ${SERVER_PEAK_RSS_GOAL_MB} MB.`,
    "",
    ...(missed.length === 0 ? ["All goals met."] : [`GOALS MISSED (${missed.length}):`, ...missed.map((m) => `  - ${m}`)]),
  ];
  console.log(out.join("\n"));
  if (options.json) {
    console.log(
      toJson(reports, serverReport, {
        tool: "dpa-desk-bench",
        at: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        loadAverage: { before: Math.round(loadBefore * 10) / 10, after: Math.round(loadavg()[0] * 10) / 10 },
        options: {
          customers: options.customers,
          durationSeconds: options.durationSeconds,
          connections: options.connections,
          warmupSeconds: options.warmupSeconds,
          nodeEnv: options.nodeEnv,
        },
        dataset: { ...dataset.counts, generatedSeconds: dataset.generatedSeconds },
      }),
    );
  }
}

main()
  .then(() => shutdown())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    await shutdown().catch(() => undefined);
    process.exit(1);
  });
