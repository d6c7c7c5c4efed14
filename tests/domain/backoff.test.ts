import { describe, expect, it } from "vitest";
import { afterFailedAttempt, MAX_ATTEMPTS, MAX_DELAY_MS, nextAttemptDelayMs } from "~/domain/backoff";

const MINUTE = 60_000;

describe("nextAttemptDelayMs", () => {
  it.each([
    [1, 1 * MINUTE],
    [2, 2 * MINUTE],
    [3, 4 * MINUTE],
    [4, 8 * MINUTE],
    [5, 16 * MINUTE],
    [6, 32 * MINUTE],
    [7, 60 * MINUTE],
    [8, 60 * MINUTE],
    [50, 60 * MINUTE],
    [10_000, 60 * MINUTE],
  ])("after %i failed attempt(s) waits %i ms", (failedAttempts, expected) => {
    expect(nextAttemptDelayMs(failedAttempts)).toBe(expected);
  });

  it("never exceeds the one-hour cap and never shrinks", () => {
    let previous = 0;
    for (let n = 1; n <= 100; n++) {
      const delay = nextAttemptDelayMs(n);
      expect(delay).toBeLessThanOrEqual(MAX_DELAY_MS);
      expect(delay).toBeGreaterThanOrEqual(previous);
      previous = delay;
    }
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects %s failed attempts", (failedAttempts) => {
    expect(() => nextAttemptDelayMs(failedAttempts)).toThrow(RangeError);
  });
});

describe("afterFailedAttempt", () => {
  const now = "2026-03-29T00:59:30.000Z";

  it("schedules the next attempt from now, across a DST change (UTC instants are unaffected)", () => {
    expect(afterFailedAttempt(1, now)).toEqual({ kind: "retry", nextAttemptAt: "2026-03-29T01:00:30.000Z" });
    expect(afterFailedAttempt(4, now)).toEqual({ kind: "retry", nextAttemptAt: "2026-03-29T01:07:30.000Z" });
  });

  it("retries up to the last attempt and gives up at MAX_ATTEMPTS", () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(afterFailedAttempt(MAX_ATTEMPTS - 1, now)).toEqual({ kind: "retry", nextAttemptAt: "2026-03-29T01:59:30.000Z" });
    expect(afterFailedAttempt(MAX_ATTEMPTS, now)).toEqual({ kind: "give_up" });
    expect(afterFailedAttempt(MAX_ATTEMPTS + 3, now)).toEqual({ kind: "give_up" });
  });

  it("rejects a now that is not an instant", () => {
    expect(() => afterFailedAttempt(1, "yesterday")).toThrow(RangeError);
  });
});
