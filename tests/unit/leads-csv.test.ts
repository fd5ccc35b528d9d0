import { describe, expect, it } from "vitest";
import { bomLength, CsvError, CsvParser, sniffDelimiter } from "../../workers/leads/csv/parse.ts";
import { csvCell, csvLine } from "../../workers/leads/csv/write.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const parseAll = (s: string, chunk = 1_000_000, delimiter = ",") => {
  const p = new CsvParser({ delimiter });
  const bytes = enc(s);
  const rows = [];
  for (let i = 0; i < bytes.length; i += chunk) rows.push(...p.push(bytes.subarray(i, i + chunk), i + chunk >= bytes.length));
  if (bytes.length === 0) rows.push(...p.push(new Uint8Array(0), true));
  return rows;
};

describe("CSV parser", () => {
  const sample = 'email,name,note\r\na@x.com,"Smith, Ann","said ""hi""\nthen left"\r\nb@y.com,Bob,\n\nc@z.com,Ç̌ira,ok';

  it("handles quoting, escaped quotes, embedded newlines, CRLF/LF, blank lines and UTF-8", () => {
    const rows = parseAll(sample);
    expect(rows.map((r) => r.fields)).toEqual([
      ["email", "name", "note"],
      ["a@x.com", "Smith, Ann", 'said "hi"\nthen left'],
      ["b@y.com", "Bob", ""],
      ["c@z.com", "Ç̌ira", "ok"],
    ]);
    expect(rows.map((r) => r.index)).toEqual([1, 2, 3, 5]);
  });

  it("gives the same rows and offsets whatever the chunk size (resumable)", () => {
    const whole = parseAll(sample);
    for (const size of [1, 2, 3, 7, 16]) expect(parseAll(sample, size)).toEqual(whole);
    const bytes = enc(sample);
    // Resuming from a recorded offset yields exactly the remaining rows.
    const second = whole[1]!;
    const p = new CsvParser({ startOffset: second.end, firstRowIndex: second.index + 1 });
    const rest = p.push(bytes.subarray(second.end), true);
    expect(rest.map((r) => r.fields[0])).toEqual(["b@y.com", "c@z.com"]);
    expect(rest.at(-1)!.end).toBe(bytes.length);
  });

  it("rejects an unclosed quote, invalid UTF-8 and a 10 MB single line clearly", () => {
    expect(() => parseAll('a,b\n"open,x\n')).toThrow(/never closed/);
    const latin1 = new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0x4d, 0xfc, 0x6c, 0x6c, 0x0a]);
    expect(() => new CsvParser().push(latin1, true)).toThrow(/not valid UTF-8/);
    const huge = "x".repeat(10 * 1024 * 1024);
    expect(() => parseAll(huge, 65536)).toThrow(CsvError);
    expect(() => parseAll(huge, 65536)).toThrow(/longer than 1 MB/);
  });

  it("detects BOMs and delimiters", () => {
    expect(bomLength(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe(3);
    expect(bomLength(enc("email"))).toBe(0);
    expect(() => bomLength(new Uint8Array([0xff, 0xfe, 0x61, 0]))).toThrow(/UTF-16/);
    expect(sniffDelimiter("email;name;company\na@x.com;A;B")).toBe(";");
    expect(sniffDelimiter("email\tname\na@x.com\tA")).toBe("\t");
    expect(sniffDelimiter('email,name\n"a;b@x.com",A')).toBe(",");
    expect(parseAll("a;b\n1;2", 100, ";").map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });
});

describe("CSV writer", () => {
  it("quotes and neutralises formulas", () => {
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a", 1, true])).toBe("a,1,true\r\n");
  });
});
