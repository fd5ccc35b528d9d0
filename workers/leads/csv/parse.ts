/**
 * Streaming RFC 4180 CSV parser over bytes. Working on bytes (delimiter, quote, CR and LF are all
 * ASCII) gives exact byte offsets for every row, which is what makes imports resumable: the
 * import stores the offset after its last committed row and the next step reads from there.
 * Fields are decoded as strict UTF-8: a file in another encoding is a clear error, not mojibake.
 */
export interface CsvRow {
  /** 1-based physical row number within the parse (the header is row 1 when parsing from 0). */
  index: number;
  fields: string[];
  /** Byte offset just after this row's line terminator: where to resume. */
  end: number;
}

export class CsvError extends Error {
  override readonly name = "CsvError";
  readonly rowIndex: number;
  constructor(message: string, rowIndex: number) {
    super(message);
    this.rowIndex = rowIndex;
  }
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export const MAX_ROW_BYTES = 1024 * 1024;

export class CsvParser {
  private carry = new Uint8Array(0);
  private carryStart = 0; // absolute offset of carry[0]
  private rowIndex: number;
  private readonly delimiter: number;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  /** `startOffset` is the absolute byte offset of the first byte fed; `firstRowIndex` the row number there. */
  constructor(opts: { delimiter?: string; startOffset?: number; firstRowIndex?: number } = {}) {
    this.delimiter = (opts.delimiter ?? ",").charCodeAt(0);
    this.carryStart = opts.startOffset ?? 0;
    this.rowIndex = opts.firstRowIndex ?? 1;
  }

  /** Feeds bytes; returns the complete rows found. `final` flushes a last row without a newline. */
  push(chunk: Uint8Array, final = false): CsvRow[] {
    let buf: Uint8Array;
    if (this.carry.length) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
    } else buf = chunk;
    const rows: CsvRow[] = [];
    const d = this.delimiter;
    let rowStart = 0;
    let i = 0;
    const n = buf.length;
    // Field boundaries for the current row: [start, end, quoted] triples.
    let bounds: number[] = [];
    let fieldStart = 0;
    let inQuotes = false;
    let quoted = false;
    while (i < n) {
      const b = buf[i]!;
      if (inQuotes) {
        if (b === QUOTE) {
          if (i + 1 < n && buf[i + 1] === QUOTE) i += 2;
          else if (i + 1 >= n && !final)
            break; // need the next byte to decide
          else {
            inQuotes = false;
            i++;
          }
        } else i++;
        continue;
      }
      if (b === QUOTE && i === fieldStart) {
        inQuotes = true;
        quoted = true;
        i++;
      } else if (b === d) {
        bounds.push(fieldStart, i, quoted ? 1 : 0);
        fieldStart = ++i;
        quoted = false;
      } else if (b === CR || b === LF) {
        if (b === CR && i + 1 >= n && !final) break; // CRLF split across chunks
        bounds.push(fieldStart, i, quoted ? 1 : 0);
        i += b === CR && buf[i + 1] === LF ? 2 : 1;
        this.emit(buf, bounds, rowStart, i, rows);
        bounds = [];
        rowStart = fieldStart = i;
        quoted = false;
      } else i++;
      if (i - rowStart > MAX_ROW_BYTES)
        throw new CsvError(`Row ${this.rowIndex} is longer than 1 MB. Is this really a CSV file?`, this.rowIndex);
    }
    if (final) {
      if (inQuotes) throw new CsvError(`Row ${this.rowIndex} has a quote that is never closed.`, this.rowIndex);
      if (rowStart < n) {
        bounds.push(fieldStart, n, quoted ? 1 : 0);
        this.emit(buf, bounds, rowStart, n, rows);
      }
      this.carry = new Uint8Array(0);
      this.carryStart += n;
    } else {
      this.carry = buf.slice(rowStart);
      this.carryStart += rowStart;
      if (this.carry.length > MAX_ROW_BYTES)
        throw new CsvError(`Row ${this.rowIndex} is longer than 1 MB. Is this really a CSV file?`, this.rowIndex);
    }
    return rows;
  }

  private emit(buf: Uint8Array, bounds: number[], _rowStart: number, rowEnd: number, out: CsvRow[]) {
    const fields: string[] = [];
    for (let k = 0; k < bounds.length; k += 3) {
      let s = bounds[k]!;
      let e = bounds[k + 1]!;
      const q = bounds[k + 2] === 1;
      if (q) {
        s += 1;
        // The closing quote, then possibly stray bytes before the delimiter (tolerated, kept).
        const close = lastIndexOf(buf, QUOTE, s, e);
        const tail = close >= 0 ? this.decode(buf, close + 1, e) : "";
        if (close >= 0) e = close;
        fields.push(this.decode(buf, s, e).replaceAll('""', '"') + tail);
      } else fields.push(this.decode(buf, s, e));
    }
    const index = this.rowIndex++;
    // Blank lines are skipped but still counted, so row numbers match what a spreadsheet shows.
    if (fields.length === 1 && fields[0] === "") return;
    out.push({ index, fields, end: this.carryStart + rowEnd });
  }

  private decode(buf: Uint8Array, s: number, e: number): string {
    try {
      return this.decoder.decode(buf.subarray(s, e));
    } catch {
      throw new CsvError(`Row ${this.rowIndex} is not valid UTF-8. Save the file as "CSV UTF-8" and upload it again.`, this.rowIndex);
    }
  }
}

function lastIndexOf(buf: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (buf[i] === byte) return i;
  return -1;
}

/** Strips a UTF-8 BOM; rejects UTF-16 files with a clear message. Returns the BOM length. */
export function bomLength(head: Uint8Array): number {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new CsvError('This file is UTF-16. Save it as "CSV UTF-8" and upload it again.', 1);
  }
  return 0;
}

/** Picks the delimiter that splits the first lines most consistently (comma, semicolon, tab, pipe). */
export function sniffDelimiter(sample: string): string {
  const lines = sample
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim())
    .slice(0, 20);
  let best = ",";
  let bestScore = -1;
  for (const d of [",", ";", "\t", "|"]) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    if (!counts.length || counts[0] === 0) continue;
    const same = counts.filter((c) => c === counts[0]).length;
    const score = same * 1000 + counts[0]!;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (ch === d && !q) n++;
  }
  return n;
}
