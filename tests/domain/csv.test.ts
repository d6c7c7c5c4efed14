import { describe, expect, it } from "vitest";
import { neutraliseFormula, quoteCsvField, toCsv, UTF8_BOM } from "~/domain/csv";

describe("neutraliseFormula", () => {
  it.each([
    ["=SUM(A1:A9)", "'=SUM(A1:A9)"],
    ["+31 20 123 4567", "'+31 20 123 4567"],
    ["-1+1", "'-1+1"],
    ["@cmd", "'@cmd"],
    ["\tindented", "'\tindented"],
    ["\rreturn", "'\rreturn"],
    ["plain text", "plain text"],
    ["", ""],
    ["a=b", "a=b"],
    ["'already", "'already"],
  ])("%j → %j", (cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });
});

describe("quoteCsvField (RFC 4180)", () => {
  it.each([
    ["simple", "simple"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r", '"cr\r"'],
  ])("%j → %j", (cell, expected) => {
    expect(quoteCsvField(cell)).toBe(expected);
  });
});

describe("toCsv", () => {
  it("writes a BOM, a header, CRLF after every record, neutralised and quoted cells, numbers as numbers", () => {
    const csv = toCsv(
      ["Naam", "Aantal", "Notitie"],
      [
        ["Bakkerij Jansen, Utrecht", 120, '=HYPERLINK("http://evil.example")'],
        ["Zoë & Co", -3, null],
        ["-rm", 0, true],
      ]
    );
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv.slice(1)).toBe(
      'Naam,Aantal,Notitie\r\n"Bakkerij Jansen, Utrecht",120,"\'=HYPERLINK(""http://evil.example"")"\r\nZoë & Co,-3,\r\n\'-rm,0,true\r\n'
    );
  });

  it("encodes as UTF-8 with the three BOM bytes first", () => {
    const bytes = Buffer.from(toCsv(["ë"], []), "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe("ë\r\n");
  });
});
