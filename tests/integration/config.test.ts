import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "~/config.server";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dpadesk-config-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = "s".repeat(32);
const PRODUCTION = {
  NODE_ENV: "production",
  SESSION_SECRET: SECRET,
  SMTP_URL: "smtp://user:pass@mail.example:587",
  SIGNING_P12_DIR: "/etc/dpadesk/certs",
  SIGNING_P12_PASSPHRASE: "certificate passphrase",
};

/** The ConfigError parseConfig throws for this environment (fails the test if it does not throw one). */
function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig({ DATA_DIR: dir, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe("parseConfig refuses bad values with one line naming the variable", () => {
  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "70000" }],
    ["SESSION_SECRET", { SESSION_SECRET: "too-short" }],
    ["NODE_ENV", { NODE_ENV: "staging" }],
    ["APP_URL", { APP_URL: "not a url" }],
    ["SMTP_URL", { SMTP_URL: "mail.example" }],
    ["DEMO_MODE", { DEMO_MODE: "maybe" }],
    ["SESSION_DAYS", { SESSION_DAYS: "0" }],
    ["LOGIN_THROTTLE_PER_MINUTE", { LOGIN_THROTTLE_PER_MINUTE: "many" }],
  ])("%s (%j)", (variable, env) => {
    const error = configError(env);
    expect(error.message).toContain(variable);
    expect(error.message).not.toMatch(/[\r\n]/);
    // one line meant for an operator, not a dump of the zod issue list
    expect(error.message).not.toContain("[");
  });

  it("says what is wrong with a short session secret", () => {
    expect(configError({ SESSION_SECRET: "too-short" }).message).toBe(
      "Configuration error: SESSION_SECRET: must be at least 32 characters",
    );
  });
});

describe("production", () => {
  it("requires SESSION_SECRET", () => {
    const { SESSION_SECRET: _omitted, ...env } = PRODUCTION;
    const message = configError(env).message;
    expect(message).toContain("SESSION_SECRET");
    expect(message).toContain("NODE_ENV=production");
  });

  it("requires SIGNING_P12_DIR, and its passphrase whenever it is set", () => {
    const { SIGNING_P12_DIR: _dir, ...withoutDir } = PRODUCTION;
    expect(configError(withoutDir).message).toContain("SIGNING_P12_DIR");
    const { SIGNING_P12_PASSPHRASE: _pass, ...withoutPassphrase } = PRODUCTION;
    expect(configError(withoutPassphrase).message).toContain("SIGNING_P12_PASSPHRASE");
    expect(configError({ SIGNING_P12_DIR: "/tmp/certs" }).message).toContain("SIGNING_P12_PASSPHRASE");
  });

  it("requires SMTP_URL", () => {
    const { SMTP_URL: _omitted, ...env } = PRODUCTION;
    const message = configError(env).message;
    expect(message).toContain("SMTP_URL");
    expect(message).not.toMatch(/[\r\n]/);
  });

  it("refuses DEMO_MODE=true", () => {
    expect(configError({ ...PRODUCTION, DEMO_MODE: "true" }).message).toContain("DEMO_MODE");
    expect(configError({ ...PRODUCTION, DEMO_MODE: "1" }).message).toContain("DEMO_MODE");
  });

  it("starts with a secret and SMTP, demo mode off by default", () => {
    const config = parseConfig({ DATA_DIR: dir, ...PRODUCTION });
    expect(config).toMatchObject({ env: "production", isProduction: true, demoMode: false, sessionSecret: SECRET, smtpUrl: PRODUCTION.SMTP_URL });
    expect(parseConfig({ DATA_DIR: dir, ...PRODUCTION, DEMO_MODE: "false" }).demoMode).toBe(false);
  });
});

describe("outside production", () => {
  it.each(["development", "test"])("demo mode defaults to on (%s), and can be switched off", (NODE_ENV) => {
    expect(parseConfig({ DATA_DIR: dir, NODE_ENV, SESSION_SECRET: SECRET }).demoMode).toBe(true);
    expect(parseConfig({ DATA_DIR: dir, NODE_ENV, SESSION_SECRET: SECRET, DEMO_MODE: "false" }).demoMode).toBe(false);
    expect(parseConfig({ DATA_DIR: dir, NODE_ENV, SESSION_SECRET: SECRET, DEMO_MODE: "no" }).demoMode).toBe(false);
  });

  it("uses the defaults when nothing is set", () => {
    const config = parseConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      env: "development",
      isProduction: false,
      demoMode: true,
      port: 3000,
      appUrl: "http://localhost:3000",
      dataDir: dir,
      mailDir: path.join(dir, "mail"),
      sessionDays: 14,
      loginThrottlePerMinute: 10,
      startWorkers: true,
      smtpUrl: undefined,
    });
  });

  it("parses numbers and flags from strings and resolves paths", () => {
    const config = parseConfig({
      DATA_DIR: dir,
      SESSION_SECRET: SECRET,
      PORT: "8080",
      APP_URL: "https://dpa.example/",
      DATABASE_PATH: path.join(dir, "sub", "..", "db.sqlite"),
      SESSION_DAYS: "30",
      LOGIN_THROTTLE_PER_MINUTE: "3",
      START_WORKERS: "false",
    });
    expect(config).toMatchObject({
      port: 8080,
      appUrl: "https://dpa.example",
      databasePath: path.join(dir, "db.sqlite"),
      sessionDays: 30,
      loginThrottlePerMinute: 3,
      startWorkers: false,
    });
  });

  it("without SESSION_SECRET generates one secret in the data folder, private to the owner, and keeps it", () => {
    const first = parseConfig({ DATA_DIR: dir, NODE_ENV: "development" });
    const file = path.join(dir, ".session-secret");
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, "utf8").trim()).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseConfig({ DATA_DIR: dir, NODE_ENV: "development" }).sessionSecret).toBe(first.sessionSecret);
  });
});
