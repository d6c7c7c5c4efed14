/**
 * A byte stream fed one batch at a time: `next()` returns the next chunk (a batch of rows already
 * written out) or null at the end. It is only called when the consumer wants more (backpressure),
 * and each call is one short synchronous database read, so other requests run between batches.
 */
import { Readable } from "node:stream";

export function pullStream(next: () => string | Buffer | null, onEnd?: () => void): Readable {
  return new Readable({
    highWaterMark: 256 * 1024,
    read() {
      try {
        for (;;) {
          const chunk = next();
          if (chunk === null) {
            onEnd?.();
            this.push(null);
            return;
          }
          if (chunk.length === 0) continue;
          if (!this.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk)) return;
        }
      } catch (error) {
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });
}

/** Turns a generator of row batches into a chunk producer with a head and a tail. */
export function batchWriter<T>(
  batches: Iterator<T[]>,
  head: string | Buffer,
  writeBatch: (rows: T[], first: boolean) => string | Buffer,
  tail: string | Buffer,
): () => string | Buffer | null {
  let state: "head" | "rows" | "tail" | "done" = "head";
  let first = true;
  return () => {
    switch (state) {
      case "head":
        state = "rows";
        return head;
      case "rows": {
        const next = batches.next();
        if (next.done) {
          state = "tail";
          return tail;
        }
        const out = writeBatch(next.value, first);
        first = false;
        return out;
      }
      case "tail":
        state = "done";
        return null;
      case "done":
        return null;
    }
  };
}
