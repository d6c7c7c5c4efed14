/**
 * DPA Desk's HTTP server: configuration check, database migration and (in demo mode) demo data,
 * security headers, the Remix request handler, and the background workers.
 */
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, getConfig } from "./app/config.server";
import { getDb } from "./app/db.server";
import { remixRequestHandler } from "./app/http-response.server";
import { isCrossSiteWrite, securityHeaders } from "./app/http-security.server";
import { startBackgroundJobs } from "./app/jobs/background.server";
import { ensureDemoData } from "./db/seed/demo-seed";

const here = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  let config;
  try {
    config = getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const db = getDb();
  if (config.demoMode) {
    const created = await ensureDemoData(db, new Date());
    if (created) console.log("Demo data created (password for every demo account: dpadesk-demo)");
  }

  const build = (await import(path.join(here, "build", "index.js"))) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "true");

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    for (const [name, value] of Object.entries(securityHeaders(nonce, config.isProduction))) res.setHeader(name, value);
    if (isCrossSiteWrite(req.method, req.headers.origin, req.headers.host)) {
      res.status(403).type("text/plain").send("Cross-site request refused");
      return;
    }
    next();
  });

  app.use("/build", express.static(path.join(here, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(here, "public"), { maxAge: "1h" }));

  app.all(
    "*",
    remixRequestHandler({
      build,
      mode: config.isProduction ? "production" : "development",
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.ip ?? null }),
    }),
  );

  const server = app.listen(config.port, config.host, () => {
    console.log(`DPA Desk listening on ${config.appUrl} (port ${config.port}, database ${config.databasePath})`);
  });

  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `Port ${config.port} is already in use: stop the other program or set PORT to a free port`
        : `Cannot listen on ${config.host}:${config.port}: ${error.message}`,
    );
    process.exit(1);
  });

  const stopJobs = config.startWorkers ? startBackgroundJobs(db, config) : () => Promise.resolve();

  const shutdown = (signal: string) => {
    console.log(`${signal} received, shutting down`);
    server.close();
    void stopJobs().finally(() => {
      db.$client.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

void main();
