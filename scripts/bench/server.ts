/**
 * The server under test: a fresh Remix build when app/ changed, the real server.ts started as a
 * child process on a free loopback port against the bench database, and its memory read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/** Newest modification time of any file below `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `remix build` when build/index.js is missing or older than app/ or remix.config.js (or when forced). */
export function ensureBuild(root: string, force: boolean, log: (line: string) => void): void {
  const output = path.join(root, "build", "index.js");
  const sources = Math.max(newestMtime(path.join(root, "app")), statSync(path.join(root, "remix.config.js")).mtimeMs);
  if (!force && existsSync(output) && statSync(output).mtimeMs >= sources) {
    log("Build is up to date");
    return;
  }
  log("Building the app (remix build) ...");
  const result = spawnSync(path.join(root, "node_modules", ".bin", "remix"), ["build"], { cwd: root, encoding: "utf8", timeout: 180_000 });
  if (result.status !== 0) {
    throw new Error(`remix build failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
}

/** A port nobody listens on right now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/** VmRSS and VmHWM (peak) of a process in MB, or null when it is gone. */
export function readMemory(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms, or null when it is gone. Linux counts it in 1/100 s. */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the fields after the command name, which is in parentheses and may contain spaces
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Samples a memory reading every `intervalMs` until stopped, and keeps the largest. */
export function sampleMax(read: () => number | null, intervalMs = 100) {
  let max = read() ?? 0;
  const timer = setInterval(() => {
    const v = read();
    if (v !== null && v > max) max = v;
  }, intervalMs);
  return {
    stop(): number {
      clearInterval(timer);
      const v = read();
      return Math.max(max, v ?? 0);
    },
  };
}

export type ServerHandle = {
  pid: number;
  baseUrl: string;
  /** what the server printed (last 20,000 characters), for error messages */
  output: () => string;
  stop: () => Promise<void>;
};

/** Starts `node --import tsx server.ts` with `env` and waits until /healthz answers 200 (at most 60 s). */
export async function startServer(root: string, env: NodeJS.ProcessEnv, baseUrl: string): Promise<ServerHandle> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: string | null = null;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = `exit ${code ?? signal}`;
      resolve();
    });
  });
  // whatever happens to this process, the server does not outlive it
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (exited) return;
    child.kill("SIGTERM");
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5_000).unref());
    if ((await Promise.race([exitPromise, timeout])) === "timeout") {
      child.kill("SIGKILL");
      await exitPromise;
    }
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`The server stopped during start-up (${exited}):\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!child.pid) throw new Error("The server has no process id");
  return { pid: child.pid, baseUrl, output: () => output, stop };
}
