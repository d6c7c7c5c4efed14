/**
 * Text that a PDF can carry without a surprise.
 *
 * The renderer uses the built-in Helvetica of every PDF reader, which has no embedded font file and
 * so only the WinAnsi (Windows-1252) characters: ASCII, Latin-1 (ë é ï ü ç ß ø …) and a few
 * typographic ones (€ ‘ ’ “ ” – — … • ™ Š š Ž ž Œ œ Ÿ). pdfkit would print any other character as a
 * wrong glyph, so `toWinAnsi` replaces it first: by its letter without accent (č → c, ł → l),
 * by an ASCII spelling (→ becomes ->), or by "?" as a last resort. Dutch and English text passes
 * unchanged.
 *
 * The signature dictionary written by @signpdf/placeholder-plain can only hold ASCII (it writes
 * other strings as mangled UTF-8), so `toAscii` reduces its informational fields (name, reason,
 * location, contact) the same way; the signer's real name is in the certificate, in UTF-8.
 */

/** WinAnsi characters above Latin-1, by code point (the printable 0x80–0x9F range of Windows-1252). */
const WIN_ANSI_EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

/** Replacements for characters that neither font nor decomposition covers. */
const SPELLED: Record<string, string> = {
  "\u0141": "L", // Ł
  "\u0142": "l", // ł
  "\u0110": "D", // Đ
  "\u0111": "d", // đ
  "\u0131": "i", // dotless ı
  "\u0126": "H", // Ħ
  "\u0127": "h", // ħ
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2015": "\u2014",
  "\u2212": "-", // minus sign
  "\u2032": "'",
  "\u2033": '"',
  "\u2190": "<-",
  "\u2192": "->",
  "\u2194": "<->",
  "\u21d2": "=>",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2260": "!=",
  "\u2248": "~",
  "\u2713": "v",
  "\u2714": "v",
  "\u2715": "x",
  "\u2717": "x",
};

const SPACES = /[\u2000-\u200a\u202f\u205f\u3000]/u;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/u;
const COMBINING = /\p{M}/gu;

function isWinAnsi(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || WIN_ANSI_EXTRA.has(codePoint);
}

function isAscii(codePoint: number): boolean {
  return codePoint >= 0x20 && codePoint <= 0x7e;
}

function reduce(text: string, keep: (codePoint: number) => boolean, newlines: boolean): string {
  let out = "";
  for (const char of text.replace(/\r\n?/g, "\n").normalize("NFC")) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (INVISIBLE.test(char)) {
      continue;
    } else if (keep(codePoint)) {
      out += char;
    } else if (char === "\n") {
      out += newlines ? "\n" : " ";
    } else if (char === "\t" || SPACES.test(char)) {
      out += " ";
    } else if (char in SPELLED && [...SPELLED[char]].every((c) => keep(c.codePointAt(0) ?? 0))) {
      out += SPELLED[char];
    } else {
      const base = char.normalize("NFKD").replace(COMBINING, "");
      const usable = base.length > 0 && [...base].every((c) => keep(c.codePointAt(0) ?? 0));
      out += usable ? base : "?";
    }
  }
  return out;
}

/** The text as Helvetica can print it; line breaks are kept. */
export function toWinAnsi(text: string): string {
  return reduce(text, isWinAnsi, true);
}

/** The text in printable ASCII on one line (for the signature dictionary). */
export function toAscii(text: string): string {
  return reduce(text, isAscii, false);
}
