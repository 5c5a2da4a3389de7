/**
 * Delimited-text dialect detection on the first bytes of a file: delimiter, header, decimal comma, and
 * the sampled records themselves. Done here rather than by DuckDB's sniffer, which silently falls back to
 * a one-column reading when a sampled row has the wrong number of fields.
 */
import { WorkbenchError } from '../../common/errors';

export const DELIMITERS = [',', '\t', ';', '|'] as const;
/** Cell texts read as missing values (besides the empty cell). */
export const MISSING_MARKERS = ['NA', 'N/A', 'na', 'n/a', 'null', 'NULL', 'None', 'none'];
const MISSING = new Set(['', ...MISSING_MARKERS]);

const NUMBER_DOT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const NUMBER_COMMA = /^[-+]?(?:\d+,?\d*|,\d+)(?:[eE][-+]?\d+)?$/;
const SPECIAL_NUMBER = /^[-+]?(?:nan|inf|infinity)$/i;

export function isMissingCell(text: string): boolean {
  return MISSING.has(text.trim());
}

/** Parses a cell as a number (NaN when it is not one). */
export function parseNumberCell(text: string, decimalComma: boolean): number {
  const t = text.trim();
  if (SPECIAL_NUMBER.test(t)) {
    const lower = t.toLowerCase();
    if (lower.endsWith('nan')) return NaN;
    return lower.startsWith('-') ? -Infinity : Infinity;
  }
  if (decimalComma) return NUMBER_COMMA.test(t) ? Number(t.replace(',', '.')) : NaN;
  return NUMBER_DOT.test(t) ? Number(t) : NaN;
}

export function isNumberCell(text: string, decimalComma: boolean): boolean {
  const t = text.trim();
  return SPECIAL_NUMBER.test(t) || (decimalComma ? NUMBER_COMMA : NUMBER_DOT).test(t);
}

export interface Records {
  rows: string[][];
  /** 1-based file line on which each record starts */
  lines: number[];
  /** bytes of text covered by the complete records */
  bytes: number;
}

/**
 * Splits text into records (RFC 4180 quoting with '"', doubled quotes inside). When `complete` is false
 * the last, possibly cut, record is dropped.
 */
export function splitRecords(text: string, delimiter: string, maxRecords: number, complete: boolean): Records {
  const rows: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let row: string[] = [];
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let recordEndOffset = 0;
  let i = 0;
  const n = text.length;
  while (i < n && rows.length < maxRecords) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      inQuotes = true;
      field = '';
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      field = '';
      rows.push(row);
      lines.push(recordLine);
      row = [];
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      recordLine = line;
      recordEndOffset = i + 1;
    } else {
      field += ch;
    }
    i++;
  }
  if (complete && rows.length < maxRecords && (field !== '' || row.length > 0)) {
    row.push(field);
    rows.push(row);
    lines.push(recordLine);
    recordEndOffset = n;
  }
  // Blank lines carry no record.
  const keep = rows.map((r) => !(r.length === 1 && r[0].trim() === ''));
  return {
    rows: rows.filter((_, k) => keep[k]),
    lines: lines.filter((_, k) => keep[k]),
    bytes: Buffer.byteLength(text.slice(0, recordEndOffset), 'utf8'),
  };
}

/** Picks the delimiter whose field count is the most consistent over the sampled lines. */
export function detectDelimiter(text: string): string {
  let best: { delimiter: string; consistency: number; fields: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const { rows } = splitRecords(text, delimiter, 200, false);
    if (rows.length === 0) continue;
    const fields = rows[0].length;
    if (fields < 2) continue;
    const consistency = rows.filter((r) => r.length === fields).length / rows.length;
    if (
      !best ||
      consistency > best.consistency + 1e-9 ||
      (Math.abs(consistency - best.consistency) < 1e-9 && fields > best.fields)
    ) {
      best = { delimiter, consistency, fields };
    }
  }
  return best?.delimiter ?? ',';
}

type CellKind = 'empty' | 'number' | 'time' | 'text';

function kindOf(text: string, decimalComma: boolean, looksLikeTime: (t: string) => boolean): CellKind {
  if (isMissingCell(text)) return 'empty';
  if (isNumberCell(text, decimalComma)) return 'number';
  if (looksLikeTime(text.trim())) return 'time';
  return 'text';
}

/**
 * A header is present when some column's first cell is text while the cells below it are mostly numbers
 * or times, or when the whole first record is text.
 */
export function detectHeader(rows: string[][], decimalComma: boolean, looksLikeTime: (t: string) => boolean): boolean {
  if (rows.length === 0) return false;
  const first = rows[0].map((c) => kindOf(c, decimalComma, looksLikeTime));
  if (first.some((k) => k === 'number' || k === 'time')) {
    for (let j = 0; j < first.length; j++) {
      if (first[j] !== 'text') continue;
      const below = rows.slice(1, 200).map((r) => (j < r.length ? kindOf(r[j], decimalComma, looksLikeTime) : 'empty'));
      const typed = below.filter((k) => k === 'number' || k === 'time').length;
      const present = below.filter((k) => k !== 'empty').length;
      if (present > 0 && typed / present > 0.5) return true;
    }
    return false;
  }
  return first.some((k) => k === 'text');
}

/** Decimal comma: cells like 1,5 appear and cells like 1.5 do not (only sensible when ',' is not the delimiter). */
export function detectDecimalComma(rows: string[][], delimiter: string): boolean {
  if (delimiter === ',') return false;
  let commas = 0;
  let dots = 0;
  for (const row of rows.slice(0, 500)) {
    for (const cell of row) {
      const t = cell.trim();
      if (/^[-+]?\d+,\d+$/.test(t)) commas++;
      else if (/^[-+]?\d*\.\d+(?:[eE][-+]?\d+)?$/.test(t)) dots++;
    }
  }
  return commas > 0 && dots === 0;
}

/** Names for the columns: header cells, or column0, column1... (DuckDB's naming); blanks and repeats fixed. */
export function columnNames(headerRow: string[] | null, count: number): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let j = 0; j < count; j++) {
    let name = headerRow ? (headerRow[j] ?? '').trim() : '';
    if (name === '') name = `column${j}`;
    let unique = name;
    for (let k = 1; seen.has(unique); k++) unique = `${name}_${k}`;
    seen.add(unique);
    names.push(unique);
  }
  return names;
}

/** Refuses a sample with rows of a different field count, naming the first such line. */
export function assertRectangular(path: string, records: Records, fieldCount: number): void {
  for (let r = 0; r < records.rows.length; r++) {
    const found = records.rows[r].length;
    if (found !== fieldCount) {
      const line = records.lines[r];
      throw new WorkbenchError(
        'parse_error',
        `${path}: line ${line} has ${found} fields, expected ${fieldCount} (${found > fieldCount ? 'too many' : 'too few'})`,
        { file: path, line, expected: fieldCount, found },
      );
    }
  }
}
