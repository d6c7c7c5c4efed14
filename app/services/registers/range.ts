/** Date ranges: Amsterdam calendar days as given in a form or an auditor link, turned into bounds for queries. */
import { amsterdamLocalToInstant } from "~/domain/breach-record";
import type { DateRange } from "./types";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDate(value: unknown): value is string {
  if (typeof value !== "string" || !DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The tighter of two ranges (an auditor link's range always wins over a wider request). */
export function intersectRanges(a: DateRange, b: DateRange): DateRange {
  const from = a.from && b.from ? (a.from > b.from ? a.from : b.from) : (a.from ?? b.from);
  const to = a.to && b.to ? (a.to < b.to ? a.to : b.to) : (a.to ?? b.to);
  return { from, to };
}

/** Instant bounds [start, end) of the range's Amsterdam days, for columns holding instants. */
export function instantBounds(range: DateRange): { start: string | null; end: string | null } {
  return {
    start: range.from ? amsterdamLocalToInstant(`${range.from}T00:00`) : null,
    end: range.to ? amsterdamLocalToInstant(`${nextDay(range.to)}T00:00`) : null,
  };
}

/** An empty range (from after to) matches nothing; callers short-cut it. */
export function isEmptyRange(range: DateRange): boolean {
  return range.from !== null && range.to !== null && range.from > range.to;
}
