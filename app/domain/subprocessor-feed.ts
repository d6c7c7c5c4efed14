/**
 * The Atom 1.0 feed (RFC 4287) of a workspace's public sub-processor change log. Pure: the caller
 * passes the entries (already stripped of anything non-public) and the URLs. Every text is
 * XML-escaped; ids are stable tag/urn ids so feed readers do not show an entry twice.
 */

export type FeedEntry = {
  /** stable, e.g. "urn:uuid:<change id>" */
  id: string;
  title: string;
  /** ISO instant of the last change to the entry (sent, start accepted, cancelled, in effect) */
  updated: string;
  /** ISO instant the change was first published */
  published: string;
  summary: string;
  link: string;
};

export type Feed = {
  id: string;
  title: string;
  subtitle: string;
  /** the public page */
  link: string;
  /** the feed's own address */
  selfLink: string;
  author: string;
  language: "nl" | "en";
  /** used when there are no entries: when the page was enabled or the workspace created */
  fallbackUpdated: string;
  entries: FeedEntry[];
};

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 does not allow. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** The feed's `updated`: the newest entry's, or the fallback when there are none. */
export function feedUpdated(feed: Pick<Feed, "entries" | "fallbackUpdated">): string {
  return feed.entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), feed.entries.length > 0 ? feed.entries[0].updated : feed.fallbackUpdated);
}

export function renderAtomFeed(feed: Feed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.language}">`,
    `  <id>${escapeXml(feed.id)}</id>`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <subtitle>${escapeXml(feed.subtitle)}</subtitle>`,
    `  <updated>${escapeXml(feedUpdated(feed))}</updated>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.link)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfLink)}"/>`,
    `  <author><name>${escapeXml(feed.author)}</name></author>`,
  ];
  for (const entry of feed.entries) {
    lines.push(
      "  <entry>",
      `    <id>${escapeXml(entry.id)}</id>`,
      `    <title>${escapeXml(entry.title)}</title>`,
      `    <updated>${escapeXml(entry.updated)}</updated>`,
      `    <published>${escapeXml(entry.published)}</published>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(entry.link)}"/>`,
      `    <summary type="text">${escapeXml(entry.summary)}</summary>`,
      "  </entry>",
    );
  }
  lines.push("</feed>", "");
  return lines.join("\n");
}
