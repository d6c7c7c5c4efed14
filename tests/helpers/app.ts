/**
 * Service-level test harness. Services use the process-wide `getDb()` and `getConfig()`;
 * `setupTestApp()` points both at a fresh, migrated database in a temporary folder (per test, or per
 * file with `scope: "file"`) and removes it afterwards. Plus helpers for what a route would pass
 * to a service: a Request carrying the session cookie, and users who can actually sign in.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { parseConfig, setConfig, type Config } from "~/config.server";
import { setDb } from "~/db.server";
import { hashPassword, signIn } from "~/services/auth.server";
import { newId } from "~/services/ids.server";
import type { StaffRole } from "~/domain/permissions";
import { createTestDb, seedStaff, type StaffActor, type TestDb } from "./db";

export const TEST_APP_URL = "https://dpadesk.test";
export const TEST_SESSION_SECRET = "x".repeat(40);
/** The per-minute sign-in limit in test configurations: small, so throttling tests stay short. */
export const TEST_LOGIN_THROTTLE = 5;
export const TEST_PASSWORD = "correct horse battery staple";

type Env = Record<string, string | undefined>;

export type TestAppOptions = {
  /** "each" (default): a new database for every test; "file": one for the whole file. */
  scope?: "each" | "file";
  /** extra environment for parseConfig, on top of the test defaults */
  env?: Env;
};

export type TestApp = {
  readonly db: Db;
  readonly databasePath: string;
  readonly dir: string;
  readonly config: Config;
  /** Re-parses the configuration with extra variables (on top of the defaults and options.env) and installs it. */
  configure(env: Env): Config;
};

/** A configuration as the server would parse it, pointing at the test's folder and database. */
export function testConfig(dir: string, databasePath: string, env: Env = {}): Config {
  return parseConfig({
    NODE_ENV: "test",
    DATA_DIR: dir,
    DATABASE_PATH: databasePath,
    SESSION_SECRET: TEST_SESSION_SECRET,
    APP_URL: TEST_APP_URL,
    LOGIN_THROTTLE_PER_MINUTE: String(TEST_LOGIN_THROTTLE),
    START_WORKERS: "false",
    ...env,
  });
}

export function setupTestApp(options: TestAppOptions = {}): TestApp {
  let current: (TestDb & { config: Config }) | undefined;

  const setUp = () => {
    const t = createTestDb();
    const config = testConfig(t.dir, t.databasePath, options.env);
    setDb(t.db);
    setConfig(config);
    current = { ...t, config };
  };
  const tearDown = () => {
    setDb(undefined);
    current?.cleanup();
    current = undefined;
  };
  if (options.scope === "file") {
    beforeAll(setUp);
    afterAll(tearDown);
  } else {
    beforeEach(setUp);
    afterEach(tearDown);
  }

  const need = () => {
    if (!current) throw new Error("setupTestApp: the test database exists only inside a test or hook");
    return current;
  };
  return {
    get db() {
      return need().db;
    },
    get databasePath() {
      return need().databasePath;
    },
    get dir() {
      return need().dir;
    },
    get config() {
      return need().config;
    },
    configure(env) {
      const app = need();
      app.config = testConfig(app.dir, app.databasePath, { ...options.env, ...env });
      setConfig(app.config);
      return app.config;
    },
  };
}

// ----- cookies and requests ----------------------------------------------------------------------

/** "name=value" of a Set-Cookie header, as the browser sends it back in a Cookie header. */
export function cookiePair(setCookie: string): string {
  const pair = setCookie.split(";")[0].trim();
  if (!pair.includes("=")) throw new Error(`not a Set-Cookie header: ${setCookie}`);
  return pair;
}

/** A request to this app carrying the given cookie(s) (Set-Cookie strings or name=value pairs). */
export function requestWithCookie(cookies: string | string[] | null, path = "/x", init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  const list = cookies === null ? [] : Array.isArray(cookies) ? cookies : [cookies];
  if (list.length > 0) headers.set("Cookie", list.map(cookiePair).join("; "));
  return new Request(new URL(path, "http://localhost"), { ...init, headers });
}

/** Signs in through the service and returns the Set-Cookie string; fails the test if sign-in is refused. */
export async function signInCookie(
  email: string,
  password = TEST_PASSWORD,
  options: { ip?: string | null; previousCookie?: string | null; now?: Date } = {},
): Promise<string> {
  const result = await signIn({
    email,
    password,
    ip: options.ip ?? "192.0.2.1",
    userAgent: "vitest",
    previousCookieHeader: options.previousCookie ? cookiePair(options.previousCookie) : null,
    now: options.now,
  });
  if (!result.ok) throw new Error(`sign-in as ${email} refused: ${result.reason}`);
  return result.cookie;
}

/** The Response a service or guard threw (redirects and 403/404 are thrown as Responses). */
export async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Response);
    return error as Response;
  }
  throw new Error("expected a thrown Response, but the call succeeded");
}

// ----- users who can sign in -----------------------------------------------------------------------

const passwordHashes = new Map<string, Promise<string>>();

/** argon2 is slow by design: hash each distinct test password once per process. */
function hashOnce(password: string): Promise<string> {
  let h = passwordHashes.get(password);
  if (!h) {
    h = hashPassword(password);
    passwordHashes.set(password, h);
  }
  return h;
}

export async function setPassword(db: Db, userId: string, password = TEST_PASSWORD): Promise<void> {
  db.update(users).set({ passwordHash: await hashOnce(password) }).where(eq(users.id, userId)).run();
}

/** A staff member of the workspace with a password (seedStaff gives one without). */
export async function seedStaffUser(db: Db, workspaceId: string, role: StaffRole = "admin", password = TEST_PASSWORD): Promise<StaffActor> {
  const actor = seedStaff(db, workspaceId, role);
  await setPassword(db, actor.userId, password);
  return actor;
}

export type PortalUser = { userId: string; email: string; workspaceId: string; customerId: string };

/** A portal user of one customer, with a password. */
export async function seedPortalUser(db: Db, workspaceId: string, customerId: string, password = TEST_PASSWORD): Promise<PortalUser> {
  const userId = newId();
  const email = `portal-${userId.slice(0, 8)}@example.test`;
  db.insert(users)
    .values({
      id: userId,
      email,
      name: "Portal contact",
      kind: "portal",
      portalCustomerId: customerId,
      portalWorkspaceId: workspaceId,
      passwordHash: await hashOnce(password),
      createdAt: new Date().toISOString(),
    })
    .run();
  return { userId, email, workspaceId, customerId };
}
