/**
 * A small, pure iCalendar (RFC 5545) writer for deadline feeds.
 *
 * - Instants are written in UTC ("20260328T140000Z"), so no VTIMEZONE is needed; date
 *   deadlines are all-day events (DTSTART;VALUE=DATE, DTEND the next day, RFC 5545 3.6.1).
 * - Text values escape backslash, semicolon, comma and newlines (3.3.11).
 * - Content lines are folded at 75 octets of UTF-8, never inside a multi-byte character (3.1),
 *   and end in CRLF.
 */

export type IcalDue = { kind: "instant"; at: string } | { kind: "date"; date: string };

export type IcalAlarm = {
  /** minutes before the start; the alarm shows `description` */
  minutesBefore: number;
  description: string;
};

export type IcalEvent = {
  /** stable across feed refreshes, e.g. "breach_notice-<id>@dpadesk" */
  uid: string;
  summary: string;
  description: string;
  due: IcalDue;
  /** absolute URL of the page that shows the deadline */
  url?: string | null;
  /** when the underlying row last changed, if known (else DTSTAMP) */
  lastModified?: string | null;
  categories?: string[];
  alarm?: IcalAlarm | null;
};

export type IcalCalendar = {
  /** "-//DPA Desk//Deadlines//NL" */
  prodId: string;
  name: string;
  description?: string;
  /** the moment the feed was written (DTSTAMP of every event) */
  now: string;
  /** how often a client should refresh, in minutes (REFRESH-INTERVAL and X-PUBLISHED-TTL) */
  refreshMinutes?: number;
  events: IcalEvent[];
};

/** Escapes a TEXT value: backslash, semicolon, comma, and newlines as "\n" (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Control characters other than tab are not allowed in content lines; they are dropped. */
function stripControls(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

const encoder = new TextEncoder();

/**
 * Folds one content line so that no line is longer than 75 octets (UTF-8): each continuation line
 * starts with a single space, which counts towards its 75. Splits only between code points.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let currentOctets = 0;
  let limit = 75;
  for (const char of line) {
    const octets = encoder.encode(char).length;
    if (currentOctets + octets > limit) {
      parts.push(current);
      current = "";
      currentOctets = 0;
      limit = 74; // the leading space of a continuation line takes one octet
    }
    current += char;
    currentOctets += octets;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** "2026-03-28T14:00:00.000Z" → "20260328T140000Z" */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${iso}`);
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-28" → "20260328" */
export function formatDate(date: string): string {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  return `${match[1]}${match[2]}${match[3]}`;
}

/** The day after a "YYYY-MM-DD" date, as "YYYYMMDD" (the exclusive end of an all-day event). */
export function nextDate(date: string): string {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return `${pad(next.getUTCFullYear(), 4)}${pad(next.getUTCMonth() + 1)}${pad(next.getUTCDate())}`;
}

function property(name: string, value: string): string {
  return foldLine(`${name}:${stripControls(value)}`);
}

function textProperty(name: string, value: string): string {
  return property(name, escapeText(stripControls(value)));
}

/** A URI value is not escaped as text, but must not break the line. */
function uriProperty(name: string, value: string): string {
  return property(name, value.replace(/[\r\n]/g, ""));
}

function eventLines(event: IcalEvent, stamp: string): string[] {
  const lines = ["BEGIN:VEVENT", property("UID", escapeText(event.uid)), property("DTSTAMP", stamp)];
  if (event.due.kind === "instant") {
    const at = formatUtc(event.due.at);
    lines.push(property("DTSTART", at), property("DTEND", at));
  } else {
    lines.push(property("DTSTART;VALUE=DATE", formatDate(event.due.date)), property("DTEND;VALUE=DATE", nextDate(event.due.date)));
  }
  lines.push(textProperty("SUMMARY", event.summary), textProperty("DESCRIPTION", event.description));
  if (event.url) lines.push(uriProperty("URL;VALUE=URI", event.url));
  if (event.categories && event.categories.length > 0) {
    lines.push(property("CATEGORIES", event.categories.map((c) => escapeText(stripControls(c))).join(",")));
  }
  if (event.lastModified) lines.push(property("LAST-MODIFIED", formatUtc(event.lastModified)));
  lines.push(property("TRANSP", "TRANSPARENT"), property("STATUS", "CONFIRMED"));
  if (event.alarm) {
    const minutes = Math.max(0, Math.round(event.alarm.minutesBefore));
    lines.push(
      "BEGIN:VALARM",
      property("ACTION", "DISPLAY"),
      textProperty("DESCRIPTION", event.alarm.description),
      property("TRIGGER", minutes === 0 ? "PT0M" : `-PT${minutes}M`),
      "END:VALARM",
    );
  }
  lines.push("END:VEVENT");
  return lines;
}

/** The whole feed as one string with CRLF line ends (the last line ends in CRLF too). */
export function writeCalendar(calendar: IcalCalendar): string {
  const stamp = formatUtc(calendar.now);
  const lines = [
    "BEGIN:VCALENDAR",
    property("PRODID", calendar.prodId),
    "VERSION:2.0",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    textProperty("X-WR-CALNAME", calendar.name),
  ];
  if (calendar.description) lines.push(textProperty("X-WR-CALDESC", calendar.description));
  if (calendar.refreshMinutes) {
    lines.push(property("REFRESH-INTERVAL;VALUE=DURATION", `PT${calendar.refreshMinutes}M`));
    lines.push(property("X-PUBLISHED-TTL", `PT${calendar.refreshMinutes}M`));
  }
  for (const event of calendar.events) lines.push(...eventLines(event, stamp));
  lines.push("END:VCALENDAR");
  return `${lines.join("\r\n")}\r\n`;
}
