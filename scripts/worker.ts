/**
 * `npm run worker`: runs the background jobs (outbox delivery, sub-processor changes, the reminder
 * jobs, end-of-contract housekeeping) in their own process, for deployments that set
 * START_WORKERS=false on the web instances. Several workers (and web instances) may run at once:
 * each job run is claimed with a lease row in job_runs, so exactly one of them runs it, and a run
 * missed while none was up is done at the next start. SIGTERM/SIGINT finish the runs in flight,
 * close the database and exit; a second signal exits at once.
 */
import { ConfigError, getConfig, type Config } from "~/config.server";
import { getDb } from "~/db.server";
import { startBackgroundJobs } from "~/jobs/background.server";

function loadConfig(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

function main(): void {
  const config = loadConfig();
  const db = getDb();
  const stop = startBackgroundJobs(db, config);
  console.log(`DPA Desk worker ${process.pid} started; mail goes ${config.smtpUrl ? "to SMTP" : `to files in ${config.mailDir}`}`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal} received: finishing the run in flight`);
    stop()
      .then(() => {
        db.$client.close();
        console.log("DPA Desk worker stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(`Worker stop failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main();
