/**
 * Preview: the detected schema and first rows of a file, each choice overridable. `planImport` is the
 * same detection, returned with what `readFile` needs to build its query.
 */
import { WorkbenchError } from '../../common/errors';
import {
  assertRectangular,
  columnNames,
  detectDecimalComma,
  detectDelimiter,
  detectHeader,
  isMissingCell,
  isNumberCell,
  parseNumberCell,
  splitRecords,
  type Records,
} from './csv-dialect';
import { kindOfDuckDbType, planColumns, type ColumnPlan, type SampledColumn } from './columns';
import { sqlString, withConnection } from './engine';
import { translateEngineError } from './engine-errors';
import { inspectSource, type SourceFile } from './source';
import { detectTextTimeFormat, hasZoneSuffix, isIsoTimestamp } from './time-formats';
import type { DatasetPreview, PreviewOptions } from './types';

const PREVIEW_ROWS = 20;
const SAMPLE_ROWS = 5000;

export interface CsvDialect {
  delimiter: string;
  header: boolean;
  decimalComma: boolean;
  /** names given to the columns in the read (header names made unique, or column0...) */
  names: string[];
}

export interface ImportPlan {
  source: SourceFile;
  preview: DatasetPreview;
  plan: ColumnPlan;
  csv: CsvDialect | null;
  /** DuckDB table function call that reads the file with every column as detected (typed sources) */
  typedSource: string | null;
}

function looksLikeTimeText(text: string): boolean {
  return isIsoTimestamp(text) || detectTextTimeFormat([text]) !== null;
}

function sampleCsvColumns(records: Records, names: string[], dataStart: number, decimalComma: boolean): SampledColumn[] {
  const dataRows = records.rows.slice(dataStart);
  return names.map((name, index) => {
    const texts: string[] = [];
    const textRows: number[] = [];
    const numbers: number[] = [];
    let numeric = 0;
    let integers = 0;
    dataRows.forEach((row, r) => {
      const cell = row[index] ?? '';
      if (isMissingCell(cell)) return;
      texts.push(cell.trim());
      textRows.push(r);
      if (isNumberCell(cell, decimalComma)) {
        numeric++;
        const value = parseNumberCell(cell, decimalComma);
        numbers.push(value);
        if (Number.isInteger(value)) integers++;
      }
    });
    const present = texts.length;
    const numericShare = present === 0 ? 0 : numeric / present;
    let duckdbType = 'VARCHAR';
    let kind: SampledColumn['kind'] = 'text';
    if (present > 0 && numeric === present) {
      kind = 'numeric';
      duckdbType = integers === present ? 'BIGINT' : 'DOUBLE';
    } else if (present > 0) {
      const detection = detectTextTimeFormat(texts);
      if (detection?.format === 'iso8601') duckdbType = texts.every(hasZoneSuffix) ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
      else if (detection) duckdbType = 'TIMESTAMP';
    }
    return { name, index, duckdbType, kind, texts, textRows, numbers, present, numericShare };
  });
}

function displayCsvRows(
  records: Records,
  dataStart: number,
  plan: ColumnPlan,
  decimalComma: boolean,
): (string | number | null)[][] {
  const numericRoles = plan.columns.map((c) => c.role === 'value' || c.role === 'label');
  return records.rows.slice(dataStart, dataStart + PREVIEW_ROWS).map((row) =>
    plan.columns.map((_, j) => {
      const cell = row[j] ?? '';
      if (isMissingCell(cell)) return null;
      if (numericRoles[j] && isNumberCell(cell, decimalComma)) {
        const value = parseNumberCell(cell, decimalComma);
        return Number.isFinite(value) ? value : cell.trim();
      }
      return cell;
    }),
  );
}

async function planCsv(source: SourceFile, opts: PreviewOptions): Promise<ImportPlan> {
  const path = source.path;
  const text = source.head.toString('utf8').replace(/^\uFEFF/, '');
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new WorkbenchError(
      'invalid_input',
      `delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`,
      {
        parameter: 'delimiter',
      },
    );
  }
  const records = splitRecords(text, delimiter, SAMPLE_ROWS + 1, source.headIsWhole);
  if (records.rows.length === 0)
    throw new WorkbenchError('invalid_input', `${path} has no complete line of text`, { file: path });
  const decimalComma = opts.decimalComma ?? detectDecimalComma(records.rows, delimiter);
  const header = opts.header ?? detectHeader(records.rows, decimalComma, looksLikeTimeText);
  const fieldCount = records.rows[0].length;
  assertRectangular(path, records, fieldCount);
  const dataStart = header ? 1 : 0;
  if (records.rows.length <= dataStart) {
    throw new WorkbenchError('invalid_input', `${path} has a header line but no data rows`, { file: path });
  }
  const names = columnNames(header ? records.rows[0] : null, fieldCount);
  const sampled = sampleCsvColumns(records, names, dataStart, decimalComma);
  const plan = planColumns(path, sampled, opts);

  const dataRowsInSample = records.rows.length - dataStart;
  let rowCountEstimate: number;
  if (source.headIsWhole && records.rows.length <= SAMPLE_ROWS) {
    rowCountEstimate = dataRowsInSample;
  } else if (source.headIsWhole) {
    rowCountEstimate = text.split(/\r?\n|\r/).filter((line) => line.trim() !== '').length - dataStart;
  } else {
    const headerBytes = header ? Buffer.byteLength(records.rows[0].join(delimiter), 'utf8') + 1 : 0;
    const bytesPerRow = Math.max(1, (records.bytes - headerBytes) / dataRowsInSample);
    rowCountEstimate = Math.max(dataRowsInSample, Math.round((source.sizeBytes * source.expansion - headerBytes) / bytesPerRow));
  }

  const preview: DatasetPreview = {
    path,
    format: 'csv',
    compression: source.compression,
    delimiter,
    header,
    decimalComma,
    columns: plan.columns,
    timeColumn: plan.time.column,
    timeFormat: plan.time.format,
    valueColumns: plan.valueColumns,
    labelColumn: plan.labelColumn,
    rows: displayCsvRows(records, dataStart, plan, decimalComma),
    rowCountEstimate,
    sizeBytes: source.sizeBytes,
    warnings: plan.warnings,
    ...(plan.time.undecidedDateOrder ? { dateOrderChoice: plan.time.undecidedDateOrder } : {}),
  };
  return { source, preview, plan, csv: { delimiter, header, decimalComma, names }, typedSource: null };
}

export function typedSourceSql(source: SourceFile): string {
  const path = sqlString(source.path);
  const compression = source.compression === 'gzip' ? ", compression='gzip'" : '';
  if (source.format === 'parquet') return `read_parquet(${path})`;
  const format = source.format === 'json' ? 'array' : 'newline_delimited';
  return `read_json(${path}, format='${format}', records='true'${compression})`;
}

function jsonCellToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && isNumberCell(value, false)) return parseNumberCell(value, false);
  return NaN;
}

function displayValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return JSON.stringify(value);
}

async function planTyped(source: SourceFile, opts: PreviewOptions): Promise<ImportPlan> {
  const path = source.path;
  const from = typedSourceSql(source);
  const ctx = { path, format: source.format, headerLines: 0, timeColumn: null };
  const { names, types, columns, rowCount } = await withConnection(async (connection) => {
    try {
      const reader = await connection.runAndReadAll(`SELECT * FROM ${from} LIMIT ${SAMPLE_ROWS}`);
      const count =
        source.format === 'parquet' || source.headIsWhole
          ? Number((await connection.runAndReadAll(`SELECT count(*) FROM ${from}`)).getRowsJS()[0][0])
          : null;
      return {
        names: reader.columnNames(),
        types: reader.columnTypes().map((t) => t.toString()),
        columns: reader.getColumnsJson(),
        rowCount: count,
      };
    } catch (err) {
      throw translateEngineError(err, ctx);
    }
  });
  const sampleRows = columns.length > 0 ? columns[0].length : 0;
  if (sampleRows === 0) throw new WorkbenchError('invalid_input', `${path} has no data rows`, { file: path });

  const sampled: SampledColumn[] = names.map((name, index) => {
    const type = types[index];
    const kind = kindOfDuckDbType(type);
    const cells = columns[index];
    const texts: string[] = [];
    const textRows: number[] = [];
    const numbers: number[] = [];
    let numeric = 0;
    cells.forEach((cell, r) => {
      if (cell === null || (typeof cell === 'string' && isMissingCell(cell))) return;
      const text = typeof cell === 'string' ? cell : JSON.stringify(cell);
      texts.push(text);
      textRows.push(r);
      const number = kind === 'numeric' ? Number(cell) : jsonCellToNumber(cell);
      if (kind === 'numeric' || (typeof cell === 'string' && isNumberCell(cell, false))) {
        numeric++;
        numbers.push(number);
      }
    });
    const present = texts.length;
    const numericShare = kind === 'text' ? (present === 0 ? 0 : numeric / present) : undefined;
    return { name, index, duckdbType: type, kind, texts, textRows, numbers, present, numericShare };
  });
  const plan = planColumns(path, sampled, opts);

  let rowCountEstimate = rowCount ?? sampleRows;
  if (rowCount === null) {
    const text = source.head.toString('utf8');
    const records = source.format === 'ndjson' ? text.split('\n').length - 1 : (text.match(/}\s*,/g) ?? []).length;
    rowCountEstimate = Math.max(
      sampleRows,
      Math.round((source.sizeBytes * source.expansion * Math.max(1, records)) / Math.max(1, source.head.length)),
    );
  }
  const preview: DatasetPreview = {
    path,
    format: source.format,
    compression: source.compression,
    columns: plan.columns,
    timeColumn: plan.time.column,
    timeFormat: plan.time.format,
    valueColumns: plan.valueColumns,
    labelColumn: plan.labelColumn,
    rows: Array.from({ length: Math.min(PREVIEW_ROWS, sampleRows) }, (_, r) =>
      columns.map((col, c) => {
        const value = col[r];
        // BIGINT and DECIMAL arrive as strings to stay lossless; a preview shows them as numbers.
        if (sampled[c].kind === 'numeric' && typeof value === 'string' && Number.isFinite(Number(value))) return Number(value);
        return displayValue(value);
      }),
    ),
    rowCountEstimate,
    sizeBytes: source.sizeBytes,
    warnings: plan.warnings,
    ...(plan.time.undecidedDateOrder ? { dateOrderChoice: plan.time.undecidedDateOrder } : {}),
  };
  return { source, preview, plan, csv: null, typedSource: from };
}

export async function planImport(path: string, opts: PreviewOptions = {}): Promise<ImportPlan> {
  const source = await inspectSource(path, { format: opts.format, maxLineBytes: opts.maxLineBytes });
  return source.format === 'csv' ? planCsv(source, opts) : planTyped(source, opts);
}

/** Detected schema and first rows of a file; every choice can be overridden through `opts`. */
export async function previewFile(path: string, opts: PreviewOptions = {}): Promise<DatasetPreview> {
  return (await planImport(path, opts)).preview;
}
