/**
 * Retry schedule for outgoing mail. Pure: the caller passes the number of attempts and `now`.
 *
 * After the n-th failed attempt the next one waits 2^(n-1) minutes (1, 2, 4, 8, 16, 32 min),
 * never more than an hour; after MAX_ATTEMPTS failed attempts the message is given up.
 */

/** Delivery attempts before a message is marked failed and needs an administrator's retry. */
export const MAX_ATTEMPTS = 8;

export const BASE_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 60 * 60_000;

/** Past this exponent the delay is above the cap anyway; keeps 2 ** n finite for huge inputs. */
const MAX_EXPONENT = Math.ceil(Math.log2(MAX_DELAY_MS / BASE_DELAY_MS));

/** Waiting time after `failedAttempts` failed attempts (1 or more). */
export function nextAttemptDelayMs(failedAttempts: number): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) {
    throw new RangeError(`failedAttempts must be a positive integer, got ${failedAttempts}`);
  }
  const exponent = Math.min(failedAttempts - 1, MAX_EXPONENT);
  return Math.min(BASE_DELAY_MS * 2 ** exponent, MAX_DELAY_MS);
}

export type AfterFailure = { kind: "retry"; nextAttemptAt: string } | { kind: "give_up" };

/** What to do once an attempt has failed, given the total number of attempts made so far. */
export function afterFailedAttempt(failedAttempts: number, now: string): AfterFailure {
  if (failedAttempts >= MAX_ATTEMPTS) return { kind: "give_up" };
  const nowMs = Date.parse(now);
  if (Number.isNaN(nowMs)) throw new RangeError(`now is not an ISO-8601 instant: ${now}`);
  return { kind: "retry", nextAttemptAt: new Date(nowMs + nextAttemptDelayMs(failedAttempts)).toISOString() };
}
