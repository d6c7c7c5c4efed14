/**
 * Starts the built app once for all browser tests: a fresh temporary database with demo data on a
 * free loopback port, exactly as `npm start` would run it. The URL reaches the tests via `inject("baseUrl")`.
 *
 * The app runs from a snapshot of build/ and public/ taken here, next to links to the rest of the repo:
 * several people share one working tree, and a `remix build` by someone else during the run would otherwise
 * replace the browser assets under the running server (404s for the page's scripts, pages that never hydrate).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      if (address && typeof address === "object") {
        const port = address.port;
        srv.close(() => resolve(port));
      } else reject(new Error("no port"));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`app did not become healthy:\n${output()}`);
}

/** The browser manifest the server build refers to, e.g. "/build/manifest-52DE871F.js". */
function manifestUrlOf(buildDir: string): string | null {
  const match = /["'](\/build\/manifest-[A-Za-z0-9]+\.js)["']/.exec(readFileSync(path.join(buildDir, "index.js"), "utf8"));
  return match ? match[1] : null;
}

/**
 * A directory that looks like the repo: server.ts, build/ and public/ copied, everything else linked.
 * Retries when it catches a build half-written (server build and browser assets from different builds).
 */
async function snapshotApp(root: string, into: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const appRoot = path.join(into, `app-${attempt}`);
    mkdirSync(appRoot);
    for (const entry of readdirSync(root)) {
      if (entry === "build" || entry === "public" || entry === "server.ts" || entry === ".git") continue;
      symlinkSync(path.join(root, entry), path.join(appRoot, entry));
    }
    copyFileSync(path.join(root, "server.ts"), path.join(appRoot, "server.ts"));
    cpSync(path.join(root, "build"), path.join(appRoot, "build"), { recursive: true });
    cpSync(path.join(root, "public"), path.join(appRoot, "public"), { recursive: true });
    const manifest = manifestUrlOf(path.join(appRoot, "build"));
    if (manifest && existsSync(path.join(appRoot, "public", manifest))) return appRoot;
    if (attempt >= 10) throw new Error(`build/ and public/build/ do not match (${manifest ?? "no manifest"}): run \`npx remix build\` again`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "../..");
  if (!existsSync(path.join(root, "build", "index.js"))) {
    throw new Error("build/index.js is missing: run `npx remix build` before the browser tests (they test the built app)");
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "dpadesk-browser-"));
  const appRoot = await snapshotApp(root, dataDir);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = "";
  // never reach a real mail server from tests: without SMTP_URL, demo mode writes mail to files in DATA_DIR
  const { SMTP_URL: _smtp, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: appRoot,
    env: {
      ...inherited,
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: baseUrl,
      DATA_DIR: dataDir,
      DATABASE_PATH: path.join(dataDir, "dpadesk.sqlite"),
      DEMO_MODE: "true",
      // the browser tests try wrong passwords on purpose; keep throttling but let a test suite through
      LOGIN_THROTTLE_PER_MINUTE: "50",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    // removes the links of the snapshot, never what they point at
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide("baseUrl", baseUrl);
  project.provide("dataDir", dataDir);
  return stop;
}
