import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  APP_URL: z.string().url().optional(),
  DATABASE_PATH: z.string().min(1).default("./data/dpadesk.sqlite"),
  DATA_DIR: z.string().min(1).default("./data"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  DEMO_MODE: booleanFlag.optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default("DPA Desk <no-reply@dpadesk.example>"),
  SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  LOGIN_THROTTLE_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  START_WORKERS: booleanFlag.default("true"),
  SIGNING_P12_DIR: z.string().min(1).optional(),
  SIGNING_P12_PASSPHRASE: z.string().min(1).optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  isProduction: boolean;
  demoMode: boolean;
  port: number;
  host: string;
  appUrl: string;
  databasePath: string;
  dataDir: string;
  mailDir: string;
  sessionSecret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionDays: number;
  loginThrottlePerMinute: number;
  startWorkers: boolean;
  /** folder with one PKCS#12 certificate per workspace, named <slug>.p12 */
  signingP12Dir: string | undefined;
  signingP12Passphrase: string | undefined;
};

export class ConfigError extends Error {}

/**
 * Parses the environment. A missing or bad value throws a ConfigError whose message is one line
 * naming the variable; the server prints it and exits.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Configuration error: ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  const demoMode = e.DEMO_MODE ?? !isProduction;
  if (isProduction && !e.SESSION_SECRET) {
    throw new ConfigError("Configuration error: SESSION_SECRET is required when NODE_ENV=production (at least 32 characters)");
  }
  if (isProduction && !e.SMTP_URL) {
    throw new ConfigError("Configuration error: SMTP_URL is required when NODE_ENV=production (e.g. smtp://user:pass@mail.example:587)");
  }
  if (e.SIGNING_P12_DIR && !e.SIGNING_P12_PASSPHRASE) {
    throw new ConfigError("Configuration error: SIGNING_P12_PASSPHRASE is required when SIGNING_P12_DIR is set (the passphrase of its <slug>.p12 files)");
  }
  if (isProduction && !e.SIGNING_P12_DIR) {
    throw new ConfigError(
      "Configuration error: SIGNING_P12_DIR is required when NODE_ENV=production (a folder with one PKCS#12 certificate per workspace, named <slug>.p12)",
    );
  }
  if (isProduction && demoMode) {
    throw new ConfigError("Configuration error: DEMO_MODE cannot be true when NODE_ENV=production");
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    isProduction,
    demoMode,
    port: e.PORT,
    host: e.HOST,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    databasePath: e.DATABASE_PATH === ":memory:" ? ":memory:" : path.resolve(e.DATABASE_PATH),
    dataDir,
    mailDir: path.join(dataDir, "mail"),
    sessionSecret: e.SESSION_SECRET ?? localDevelopmentSecret(dataDir),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sessionDays: e.SESSION_DAYS,
    loginThrottlePerMinute: e.LOGIN_THROTTLE_PER_MINUTE,
    startWorkers: e.START_WORKERS,
    signingP12Dir: e.SIGNING_P12_DIR ? path.resolve(e.SIGNING_P12_DIR) : undefined,
    signingP12Passphrase: e.SIGNING_P12_PASSPHRASE,
  };
}

/** Outside production a random secret is generated once and kept in the data folder (never in the repo). */
function localDevelopmentSecret(dataDir: string): string {
  const file = path.join(dataDir, ".session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let current: Config | undefined;

export function getConfig(): Config {
  current ??= parseConfig(process.env);
  return current;
}

/** For tests: replace the configuration. */
export function setConfig(config: Config): void {
  current = config;
}
