/**
 * Issue #7's measurement: export 1,000,000 audit events as CSV over HTTP through the real server
 * (`GET /registers/audit-log.csv`, streamed), and report rows per second (goal: at least 100,000)
 * and the server's peak RSS (goal: under 300 MB).
 *
 * The events live in a database of their own (./bench-data/audit-export.sqlite, made once and then
 * reused), written with batched inserts in one transaction. Their hash chain is NOT real (a fixed
 * placeholder hash), which the export does not read; this is a speed test only and says so. The
 * scenario starts its own server on that database (the same server.ts and build as the HTTP
 * scenarios), signs in an admin, streams the whole export once and counts the rows it receives.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { migrateDatabase, openDatabase } from "../../db/client";
import { timingScenario } from "./scenario";
import { ensureBuild, freePort, readCpuMs, readMemory, startServer, type ServerHandle } from "./server";
import { createBenchSession } from "./session";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const EVENTS = 1_000_000;
const CUSTOMERS = 2_000;
const MARKER = `DPA Desk audit export benchmark (${EVENTS} events, v1)`;
const log = (line: string) => console.error(`[bench] audit-export-1m: ${line}`);

type Prepared = { dbPath: string; workspaceId: string; userId: string };

function reusable(dbPath: string): Prepared | null {
  if (!existsSync(dbPath)) return null;
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(dbPath, { readonly: true, fileMustExist: true });
    const ws = sqlite.prepare("select id from workspaces where description = ?").get(MARKER) as { id: string } | undefined;
    if (!ws) return null;
    const n = (sqlite.prepare("select count(*) as n from audit_events where workspace_id = ?").get(ws.id) as { n: number }).n;
    const user = sqlite.prepare("select user_id from memberships where workspace_id = ?").get(ws.id) as { user_id: string } | undefined;
    return n >= EVENTS && user ? { dbPath, workspaceId: ws.id, userId: user.user_id } : null;
  } catch {
    return null;
  } finally {
    sqlite?.close();
  }
}

/** Writes the workspace, an admin, 2,000 customers and 1,000,000 audit events (placeholder hashes). */
function seed(dbPath: string): Prepared {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${dbPath}${suffix}`, { force: true });
  const started = performance.now();
  const db = openDatabase(dbPath);
  migrateDatabase(db);
  const c = db.$client;
  const workspaceId = randomUUID();
  const userId = randomUUID();
  const at0 = Date.parse("2021-01-04T08:00:00.000Z");
  c.transaction(() => {
    c.prepare("insert into workspaces (id, slug, legal_name, trade_name, description, created_at) values (?, 'audit-bench', 'Audit Benchmark B.V.', 'Audit Benchmark', ?, ?)").run(
      workspaceId,
      MARKER,
      new Date(at0).toISOString(),
    );
    c.prepare("insert into users (id, email, name, kind, created_at) values (?, 'admin@audit-bench.example', 'Benchmark admin', 'staff', ?)").run(userId, new Date(at0).toISOString());
    c.prepare("insert into memberships (id, user_id, workspace_id, role, created_at) values (?, ?, ?, 'admin', ?)").run(randomUUID(), userId, workspaceId, new Date(at0).toISOString());
    const customer = c.prepare("insert into customers (id, workspace_id, name, name_key, contract_start, created_at, updated_at) values (?, ?, ?, ?, '2021-01-01', ?, ?)");
    const customerIds: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const id = randomUUID();
      const name = `Klant ${String(i).padStart(4, "0")} B.V.`;
      customer.run(id, workspaceId, name, name.toLowerCase(), new Date(at0).toISOString(), new Date(at0).toISOString());
      customerIds.push(id);
    }
    // secondary indexes are built once at the end (a sort), cheaper than updating them per row
    const indexes = c.prepare("select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name = 'audit_events'").all() as { name: string; sql: string }[];
    for (const index of indexes) c.exec(`drop index "${index.name}"`);
    const actions = [
      ["customer.updated", "customer"],
      ["dpa.sent", "dpa"],
      ["dpa.signed", "dpa"],
      ["subprocessor_notice.sent", "subprocessor_notice"],
      ["breach.updated", "breach"],
      ["user.signed_in", "user"],
    ] as const;
    const label = "Benchmark admin <admin@audit-bench.example> (admin)";
    const hash = "0".repeat(64);
    const values: (string | number | null)[] = [];
    const ROWS = 500;
    const many = c.prepare(
      `insert into audit_events (chain_key, seq, workspace_id, actor_user_id, actor_label, action, entity_type, entity_id, customer_id, at, data, prev_hash, hash) values ${Array.from(
        { length: ROWS },
        () => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).join(", ")}`,
    );
    for (let seq = 1; seq <= EVENTS; seq++) {
      const [action, entityType] = actions[seq % actions.length];
      const customerId = entityType === "user" ? null : customerIds[seq % CUSTOMERS];
      values.push(
        workspaceId,
        seq,
        workspaceId,
        userId,
        label,
        action,
        entityType,
        customerId ?? userId,
        customerId,
        new Date(at0 + seq * 60_000).toISOString(),
        entityType === "customer" ? `{"city":{"before":"Utrecht","after":"Amersfoort"},"seq":${seq}}` : `{"reference":"REF-${seq}","note":"benchmark, \\"quoted\\", text"}`,
        hash,
        hash,
      );
      if (values.length === ROWS * 13) {
        many.run(...values);
        values.length = 0;
      }
    }
    for (const index of indexes) c.exec(index.sql);
  })();
  c.pragma("wal_checkpoint(TRUNCATE)");
  c.close();
  log(`seeded ${EVENTS.toLocaleString("en-GB")} audit events in ${((performance.now() - started) / 1000).toFixed(1)} s (placeholder hashes: the chain is not real; speed test only)`);
  return { dbPath, workspaceId, userId };
}

/** The last run's figures, for the line printed after it. */
let server: ServerHandle | null = null;
let peakMb = 0;

async function prepare() {
  ensureBuild(root, false, log);
  const dir = path.join(root, "bench-data");
  mkdirSync(dir, { recursive: true });
  const dbPath = path.join(dir, "audit-export.sqlite");
  const existing = reusable(dbPath);
  if (existing) {
    // earlier runs' own events (sign-in, "register.exported") go, so the export is exactly the seeded million
    const db = openDatabase(dbPath);
    db.$client.prepare("delete from audit_events where workspace_id = ? and seq > ?").run(existing.workspaceId, EVENTS);
    db.$client.close();
  }
  if (existing) log(`reusing ${dbPath} (${EVENTS.toLocaleString("en-GB")} events; placeholder hashes, the chain is not real: speed test only)`);
  const prepared = existing ?? seed(dbPath);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const secret = randomBytes(32).toString("hex");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    APP_URL: baseUrl,
    DATABASE_PATH: dbPath,
    DATA_DIR: path.join(dir, "audit-export-data"),
    SESSION_SECRET: secret,
    SMTP_URL: "smtp://127.0.0.1:9",
    SIGNING_P12_DIR: path.join(dir, "signing"),
    SIGNING_P12_PASSPHRASE: randomBytes(18).toString("base64url"),
    DEMO_MODE: "false",
    START_WORKERS: "false",
  };
  const db = openDatabase(dbPath);
  const cookie = await createBenchSession(db, { userId: prepared.userId, workspaceId: prepared.workspaceId, secret, now: new Date() });
  db.$client.close();
  server = await startServer(root, env, baseUrl);
  log(`server ${server.pid} up on ${baseUrl}, RSS ${readMemory(server.pid)?.rssMb.toFixed(0) ?? "?"} MB`);
  const handle = server;
  return async () => {
    const started = performance.now();
    const cpuBefore = readCpuMs(handle.pid);
    const response = await fetch(`${baseUrl}/registers/audit-log.csv`, { headers: { cookie } });
    if (response.status !== 200 || !response.body) throw new Error(`GET /registers/audit-log.csv answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const estimate = Number(response.headers.get("X-Row-Estimate"));
    const reader = response.body.getReader();
    let bytes = 0;
    let lineEnds = 0;
    let lastByte = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lineEnds += 1;
      lastByte = value[value.length - 1];
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = readCpuMs(handle.pid);
    const serverCpuSeconds = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / 1000 : NaN;
    const rows = lineEnds - 1; // the header line
    peakMb = readMemory(handle.pid)?.peakMb ?? peakMb;
    log(
      `${rows.toLocaleString("en-GB")} rows (server estimate ${estimate.toLocaleString("en-GB")}), ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s = ` +
        `${Math.round(rows / seconds).toLocaleString("en-GB")} rows/s (goal >= 100,000); server peak RSS (VmHWM) ${peakMb.toFixed(0)} MB (goal < 300 MB); ` +
        `the server used ${serverCpuSeconds.toFixed(1)} s of CPU = ${Math.round(rows / serverCpuSeconds).toLocaleString("en-GB")} rows per CPU second (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`,
    );
    if (rows !== EVENTS || lastByte !== 10) throw new Error(`expected ${EVENTS} complete rows, got ${rows}`);
    await handle.stop();
    server = null;
    return rows;
  };
}

process.once("exit", () => {
  if (server) process.kill(server.pid, "SIGKILL");
});

export const auditExportScenarios = [
  timingScenario({
    name: "audit-export-1m",
    description:
      "GET /registers/audit-log.csv streaming 1,000,000 audit events (placeholder hashes) through a server of its own; p95 = the whole export, " +
      "under 10,000 ms means at least 100,000 rows/s; rss = that server's peak (VmHWM)",
    setup: prepare,
    warmup: 0,
    iterations: 1,
    rssMb: () => peakMb,
    goals: { maxP95Ms: 10_000, maxRssMb: 300 },
  }),
];
