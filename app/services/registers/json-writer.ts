/** JSON: one array of objects whose keys are the column keys, streamed batch by batch. */
import type { Readable } from "node:stream";
import { batchWriter, pullStream } from "./stream";
import type { Cell, ColumnDef } from "./types";

export function jsonStream(columns: readonly ColumnDef[], batches: Iterator<Cell[][]>): Readable {
  const keys = columns.map((c) => c.key);
  return pullStream(
    batchWriter(
      batches,
      "[",
      (rows, first) => {
        let out = "";
        rows.forEach((row, index) => {
          const object: Record<string, Cell> = {};
          for (let i = 0; i < keys.length; i++) object[keys[i]] = row[i] ?? null;
          out += (first && index === 0 ? "\n" : ",\n") + JSON.stringify(object);
        });
        return out;
      },
      "\n]\n",
    ),
  );
}
