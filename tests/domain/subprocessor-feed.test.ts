import { describe, expect, it } from "vitest";
import { escapeXml, feedUpdated, renderAtomFeed, type Feed } from "~/domain/subprocessor-feed";

const feed: Feed = {
  id: "https://dpadesk.test/trust/lai-media/subprocessors",
  title: "Subverwerkers van Lai Media",
  subtitle: "Wijzigingen <en> aankondigingen",
  link: "https://dpadesk.test/trust/lai-media/subprocessors",
  selfLink: "https://dpadesk.test/trust/lai-media/subprocessors.atom",
  author: "Lai Media & Co",
  language: "nl",
  fallbackUpdated: "2026-01-01T00:00:00.000Z",
  entries: [
    {
      id: "urn:uuid:0b8d",
      title: "Nieuwe subverwerker: A&B \"Hosting\" <B.V.>",
      updated: "2026-11-19T09:30:00.000Z",
      published: "2026-11-19T09:30:00.000Z",
      summary: "Start 10-12-2026 & locaties: NL",
      link: "https://dpadesk.test/trust/lai-media/subprocessors#change-0b8d",
    },
    {
      id: "urn:uuid:77aa",
      title: "Verwijderd: Zendesk",
      updated: "2026-11-21T10:00:00.000Z",
      published: "2024-05-15T08:00:00.000Z",
      summary: "Geannuleerd",
      link: "https://dpadesk.test/trust/lai-media/subprocessors#change-77aa",
    },
  ],
};

describe("Atom feed", () => {
  it("escapes markup and drops characters XML does not allow", () => {
    expect(escapeXml(`<a href="x">&'</a>\u0001`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  });

  it("has the required feed and entry elements, escaped", () => {
    const xml = renderAtomFeed(feed);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">')).toBe(true);
    expect(xml).toContain("<id>https://dpadesk.test/trust/lai-media/subprocessors</id>");
    expect(xml).toContain("<subtitle>Wijzigingen &lt;en&gt; aankondigingen</subtitle>");
    expect(xml).toContain("<author><name>Lai Media &amp; Co</name></author>");
    expect(xml).toContain("<title>Nieuwe subverwerker: A&amp;B &quot;Hosting&quot; &lt;B.V.&gt;</title>");
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="https://dpadesk.test/trust/lai-media/subprocessors.atom"/>');
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(xml.match(/<\/entry>/g)).toHaveLength(2);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it("is updated when its newest entry was; an empty feed uses the fallback", () => {
    expect(feedUpdated(feed)).toBe("2026-11-21T10:00:00.000Z");
    expect(renderAtomFeed(feed)).toContain("  <updated>2026-11-21T10:00:00.000Z</updated>\n  <link");
    expect(feedUpdated({ entries: [], fallbackUpdated: "2026-01-01T00:00:00.000Z" })).toBe("2026-01-01T00:00:00.000Z");
  });
});
