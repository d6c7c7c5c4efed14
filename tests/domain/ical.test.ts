/**
 * The iCalendar writer: escaping, folding at 75 octets without splitting a UTF-8 character, CRLF line
 * ends, all-day date events and UTC instants, and a round trip through ical.js.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { escapeText, foldLine, formatDate, formatUtc, nextDate, writeCalendar, type IcalCalendar } from "~/domain/ical";

const NOW = "2026-03-28T15:00:00.000Z";

function calendar(events: IcalCalendar["events"]): string {
  return writeCalendar({ prodId: "-//DPA Desk//Deadlines//NL", name: "DPA Desk – Test", now: NOW, refreshMinutes: 60, events });
}

/** Undoes folding (RFC 5545 3.1): CRLF followed by one space or tab joins the lines. */
function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, "");
}

const octets = (s: string) => new TextEncoder().encode(s).length;

describe("escapeText", () => {
  it("escapes backslash, semicolon, comma and every kind of newline", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\rg")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng");
  });

  it("leaves colons and quotes alone (they need no escaping in TEXT)", () => {
    expect(escapeText('art. 7.5: "24 uur"')).toBe('art. 7.5: "24 uur"');
  });
});

describe("foldLine", () => {
  it("keeps lines of up to 75 octets as they are", () => {
    const line = `SUMMARY:${"x".repeat(67)}`;
    expect(octets(line)).toBe(75);
    expect(foldLine(line)).toBe(line);
  });

  it("folds longer lines so that no physical line exceeds 75 octets, continuation lines starting with a space", () => {
    const line = `DESCRIPTION:${"abcdefghij".repeat(30)}`;
    const folded = foldLine(line);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(1);
    for (const [i, part] of physical.entries()) {
      expect(octets(part)).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(" ")).toBe(true);
    }
    expect(unfold(folded)).toBe(line);
  });

  it("never splits a multi-byte character (é: 2 octets, €: 3, emoji: 4)", () => {
    const line = `SUMMARY:${"é€😀".repeat(40)}`;
    const folded = foldLine(line);
    for (const part of folded.split("\r\n")) {
      expect(octets(part)).toBeLessThanOrEqual(75);
      // a split inside a character would leave a replacement character when decoded
      expect(new TextDecoder("utf-8", { fatal: true }).decode(new TextEncoder().encode(part))).toBe(part);
    }
    expect(unfold(folded)).toBe(line);
  });
});

describe("dates and instants", () => {
  it("writes instants in UTC with Z and dates in basic format", () => {
    expect(formatUtc("2026-03-29T01:30:00.000Z")).toBe("20260329T013000Z");
    expect(formatDate("2026-03-28")).toBe("20260328");
  });

  it("ends an all-day event on the next day, across month and year ends and leap days", () => {
    expect(nextDate("2026-03-31")).toBe("20260401");
    expect(nextDate("2026-12-31")).toBe("20270101");
    expect(nextDate("2028-02-28")).toBe("20280229");
  });
});

describe("writeCalendar", () => {
  const text = calendar([
    {
      uid: "breach_notice-1@dpadesk",
      summary: "Datalek DL-2026-0001 melden aan Bakkerij Jansen, Zoon & Co; spoed",
      description: "24 uur na 28-03-2026 14:00 CET (art. 7.5 verwerkersovereenkomst)\nBekijk: https://dpadesk.test/breaches/1",
      due: { kind: "instant", at: "2026-03-29T13:00:00.000Z" },
      url: "https://dpadesk.test/breaches/1/customers/2",
      categories: ["Melding datalek"],
      alarm: { minutesBefore: 120, description: "Termijn: datalek" },
    },
    {
      uid: "objection_window-2@dpadesk",
      summary: "Bezwaartermijn sluit: Ünïcødé Hosting GmbH — €€€ ".repeat(3).trim(),
      description: "2 weken na 18-04-2026 (art. 4.2 Bijlage 1) → 02-05-2026",
      due: { kind: "date", date: "2026-05-02" },
    },
  ]);

  it("uses CRLF line ends only, ends with CRLF, and no physical line exceeds 75 octets", () => {
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of text.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
  });

  it("has the calendar properties a subscription needs", () => {
    const lines = unfold(text).split("\r\n");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toEqual(
      expect.arrayContaining([
        "VERSION:2.0",
        "PRODID:-//DPA Desk//Deadlines//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:DPA Desk – Test",
        "DTSTART:20260329T130000Z",
        "DTSTART;VALUE=DATE:20260502",
        "DTEND;VALUE=DATE:20260503",
        "DTSTAMP:20260328T150000Z",
        "TRIGGER:-PT120M",
      ]),
    );
    expect(lines.at(-2)).toBe("END:VCALENDAR");
  });

  it("parses back with ical.js to the same events, text unescaped and dates intact", () => {
    const component = new ICAL.Component(ICAL.parse(text));
    expect(component.getFirstPropertyValue("version")).toBe("2.0");
    expect(component.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(component.getFirstPropertyValue("x-wr-calname")).toBe("DPA Desk – Test");
    const events = component.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(2);

    const [breach, window] = events;
    expect(breach.uid).toBe("breach_notice-1@dpadesk");
    expect(breach.summary).toBe("Datalek DL-2026-0001 melden aan Bakkerij Jansen, Zoon & Co; spoed");
    expect(breach.description).toBe("24 uur na 28-03-2026 14:00 CET (art. 7.5 verwerkersovereenkomst)\nBekijk: https://dpadesk.test/breaches/1");
    expect(breach.startDate.toJSDate().toISOString()).toBe("2026-03-29T13:00:00.000Z");
    expect(breach.startDate.zone?.tzid).toBe("UTC");
    expect(breach.component.getFirstPropertyValue("url")).toBe("https://dpadesk.test/breaches/1/customers/2");
    const alarm = breach.component.getFirstSubcomponent("valarm");
    expect(alarm?.getFirstPropertyValue("action")).toBe("DISPLAY");
    const trigger = alarm?.getFirstPropertyValue("trigger") as ICAL.Duration;
    expect(trigger.toSeconds()).toBe(-2 * 3600);

    expect(window.uid).toBe("objection_window-2@dpadesk");
    expect(window.summary).toBe("Bezwaartermijn sluit: Ünïcødé Hosting GmbH — €€€ ".repeat(3).trim());
    expect(window.startDate.isDate).toBe(true);
    expect(window.startDate.toString()).toBe("2026-05-02");
    expect(window.endDate.toString()).toBe("2026-05-03");
  });

  it("drops control characters that are not allowed in content lines", () => {
    const out = calendar([{ uid: "x@dpadesk", summary: "a\u0007b\u0000c", description: "d", due: { kind: "date", date: "2026-01-01" } }]);
    expect(unfold(out)).toContain("SUMMARY:abc\r\n");
  });

  it("writes an empty but valid calendar when there are no deadlines", () => {
    const empty = calendar([]);
    const component = new ICAL.Component(ICAL.parse(empty));
    expect(component.getAllSubcomponents("vevent")).toHaveLength(0);
    expect(component.getFirstPropertyValue("prodid")).toBe("-//DPA Desk//Deadlines//NL");
  });
});
