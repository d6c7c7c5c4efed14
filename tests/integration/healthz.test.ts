import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { setDb } from "~/db.server";
import { loader } from "~/routes/healthz";
import { setupTestApp } from "../helpers/app";

const app = setupTestApp();

describe("GET /healthz", () => {
  it("answers 200 {status: ok}, never cached, when the database answers", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers 503 without details when the database is closed", async () => {
    const closed = openDatabase(path.join(app.dir, "closed.sqlite"));
    closed.$client.close();
    setDb(closed);

    const response = await loader();

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable" });
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers 503 when the test database itself has been closed, and 200 again once a working handle is set", async () => {
    app.db.$client.close();
    expect((await loader()).status).toBe(503);

    const reopened = openDatabase(app.databasePath);
    try {
      setDb(reopened);
      expect((await loader()).status).toBe(200);
    } finally {
      reopened.$client.close();
    }
  });
});
