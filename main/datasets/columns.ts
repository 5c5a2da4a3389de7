/**
 * Column typing and role assignment from a sample: which column is time (and in which format), which are
 * numeric value series, which is a 0/1 anomaly label, and which are ignored.
 */
import { WorkbenchError } from '../../common/errors';
import type { ColumnInfo, ColumnRole, PreviewOptions } from './types';
import {
  detectEpochUnit,
  detectTextTimeFormat,
  epochUnitMix,
  looksLikeEpoch,
  TIME_NAME,
  type TextTimeDetection,
} from './time-formats';

export const LABEL_NAME = /^(label|labels|is_anomaly|anomaly|anomalies|is_anomalous|anomalous|outlier|is_outlier|attack|fault)$/i;
const IGNORE_NAME = /^(is_ignored|ignored|ignore)$/i;
const INDEX_NAME = /^(|column0|index|idx|unnamed: ?0|unnamed_0|#|row|rowid)$/i;

export type SourceKind = 'numeric' | 'timestamp' | 'text' | 'other';

/** One sampled column: its source type and the sampled cells as text and as numbers. */
export interface SampledColumn {
  name: string;
  index: number;
  /** DuckDB type of the source column (detected for delimited text) */
  duckdbType: string;
  kind: SourceKind;
  /** non-missing cells as text (for text columns) */
  texts: string[];
  /** numeric cells (for numeric columns, and the numeric cells of text columns) */
  numbers: number[];
  /** count of non-missing cells sampled */
  present: number;
  /** for text columns: share of non-missing cells that read as numbers */
  numericShare?: number;
  /** first data row (0-based in the sample) of each text, for error messages */
  textRows: number[];
}

export interface TimeChoice {
  column: string | null;
  format: string | null;
  /** for iso8601 read from text: whether values carry zones */
  zoned: boolean;
  /** set when the sampled dates read both day first and month first and no dateOrder/timeFormat chose */
  undecidedDateOrder?: DateOrderChoice;
}

/** The two readings of ambiguous dates, for the preview to offer and the import to require. */
export interface DateOrderChoice {
  column: string;
  example: string;
  dayFirst: string;
  monthFirst: string;
}

export interface ColumnPlan {
  columns: ColumnInfo[];
  time: TimeChoice;
  valueColumns: string[];
  labelColumn: string | null;
  warnings: string[];
}

const TIMESTAMP_TYPES = /^(TIMESTAMP|DATE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)$/;
const NUMERIC_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|BOOLEAN|DECIMAL.*)$/;

export function kindOfDuckDbType(type: string): SourceKind {
  if (TIMESTAMP_TYPES.test(type)) return 'timestamp';
  if (NUMERIC_TYPES.test(type)) return 'numeric';
  if (type === 'VARCHAR') return 'text';
  return 'other';
}

interface TimeCandidate {
  column: SampledColumn;
  format: string;
  detection: TextTimeDetection | null;
}

function timeCandidateOf(column: SampledColumn): TimeCandidate | null {
  if (column.kind === 'timestamp') return { column, format: 'iso8601', detection: null };
  if (column.kind === 'text' && (column.numericShare ?? 0) < 0.5) {
    const detection = detectTextTimeFormat(column.texts);
    return detection ? { column, format: detection.format, detection } : null;
  }
  if ((column.kind === 'numeric' || (column.numericShare ?? 0) === 1) && column.numbers.length > 0) {
    if (TIME_NAME.test(column.name) || (column.index === 0 && looksLikeEpoch(column.numbers))) {
      return { column, format: detectEpochUnit(column.numbers), detection: null };
    }
  }
  return null;
}

function isNumericColumn(column: SampledColumn): boolean {
  return column.kind === 'numeric' || (column.kind === 'text' && (column.numericShare ?? 0) >= 0.5);
}

function isZeroOne(column: SampledColumn): boolean {
  return column.numbers.length > 0 && column.numbers.every((v) => v === 0 || v === 1);
}

/** The distinct sampled values of a column, for messages: 'the values -1, 1' or 'the values "no", "yes", ...'. */
function sampleValues(column: SampledColumn): string {
  const numeric = column.kind === 'numeric' || column.texts.length === 0;
  const distinct = numeric
    ? [...new Set(column.numbers)].sort((a, b) => a - b).map(String)
    : [...new Set(column.texts.map((t) => t.trim()))].sort().map((t) => JSON.stringify(t));
  const shown = distinct.slice(0, 6).join(', ');
  return `the value${distinct.length === 1 ? '' : 's'} ${shown}${distinct.length > 6 ? `, ... (${distinct.length} distinct)` : ''}`;
}

function isIndexColumn(column: SampledColumn): boolean {
  if (column.index !== 0 || !INDEX_NAME.test(column.name) || column.numbers.length < 2) return false;
  const v = column.numbers;
  for (let i = 1; i < v.length; i++) if (v[i] - v[i - 1] !== 1) return false;
  return true;
}

function requireColumn(path: string, columns: SampledColumn[], name: string, what: string): SampledColumn {
  const found = columns.find((c) => c.name === name);
  if (!found) {
    throw new WorkbenchError(
      'invalid_input',
      `${path}: no column named "${name}" for the ${what}; columns are ${columns.map((c) => `"${c.name}"`).join(', ')}`,
      { file: path, column: name, parameter: what },
    );
  }
  return found;
}

function chooseTime(path: string, columns: SampledColumn[], opts: PreviewOptions, warnings: string[]): TimeChoice {
  if (opts.timeColumn === null) return { column: null, format: null, zoned: false };
  let candidate: TimeCandidate | null = null;
  if (opts.timeColumn !== undefined) {
    const column = requireColumn(path, columns, opts.timeColumn, 'time column');
    candidate = timeCandidateOf(column);
    if (!candidate && !opts.timeFormat) {
      throw new WorkbenchError(
        'invalid_input',
        `${path}: column "${column.name}" does not look like time; give its timeFormat (iso8601, epoch_s, epoch_ms or a strptime pattern)`,
        { file: path, column: column.name, parameter: 'timeFormat' },
      );
    }
    candidate ??= { column, format: opts.timeFormat as string, detection: null };
  } else {
    const candidates = columns.map(timeCandidateOf).filter((c): c is TimeCandidate => c !== null);
    candidate =
      candidates.find((c) => TIME_NAME.test(c.column.name)) ?? candidates.find((c) => c.column.kind !== 'numeric') ?? null;
  }
  // epoch seconds and milliseconds in one column: no unit reads both right, so neither is guessed
  const mixing = opts.timeFormat ? null : (candidate ?? { column: columns[0] }).column;
  const mix = mixing && (mixing.kind === 'numeric' || mixing.numericShare === 1) ? epochUnitMix(mixing.numbers) : null;
  if (mixing && mix && (candidate || mixing.index === 0)) {
    throw new WorkbenchError(
      'parse_error',
      `${path}: column "${mixing.name}" mixes epoch seconds and milliseconds: data row ${mix.firstSeconds + 1} holds ${mixing.numbers[mix.firstSeconds]} (seconds), data row ${mix.firstMillis + 1} holds ${mixing.numbers[mix.firstMillis]} (milliseconds); convert the column to one unit, or give its timeFormat (epoch_s or epoch_ms) to read all of it in that unit`,
      { file: path, column: mixing.name, secondsRow: mix.firstSeconds + 1, millisecondsRow: mix.firstMillis + 1 },
    );
  }
  if (!candidate) return { column: null, format: null, zoned: false };

  const format = opts.timeFormat ?? candidate.format;
  const detection = candidate.detection;
  if (detection && format === 'iso8601' && detection.zones === 'mixed') {
    const row = candidate.column.textRows[detection.firstZoneMismatch] ?? detection.firstZoneMismatch;
    throw new WorkbenchError(
      'parse_error',
      `${path}: column "${candidate.column.name}" mixes time zones: timestamps with and without a zone (first mismatch in data row ${row + 1}); give every timestamp a zone or none`,
      { file: path, column: candidate.column.name, row: row + 1 },
    );
  }
  const zoned = detection?.zones === 'all' || /WITH TIME ZONE|TIMESTAMPTZ/.test(candidate.column.duckdbType);
  if (detection?.ambiguous && !opts.timeFormat) {
    const monthFirst = detection.format;
    const dayFirst = monthFirst.replace('%m/%d', '%d/%m');
    const example = candidate.column.texts.find((t) => /^\s*0?\d\D0?\d\D/.test(t)) ?? candidate.column.texts[0];
    const name = candidate.column.name;
    if (opts.dateOrder) return { column: name, format: opts.dateOrder === 'day-first' ? dayFirst : monthFirst, zoned };
    warnings.push(
      `column "${name}": the day/month order is ambiguous: dates like "${example}" read day first and month first alike in every sampled row; choose the order (dateOrder day-first or month-first; CLI --date-order)`,
    );
    return { column: name, format, zoned, undecidedDateOrder: { column: name, example, dayFirst, monthFirst } };
  }
  return { column: candidate.column.name, format, zoned };
}

/** Assigns roles, honouring every override in `opts`. */
export function planColumns(path: string, sampled: SampledColumn[], opts: PreviewOptions): ColumnPlan {
  const warnings: string[] = [];
  const time = chooseTime(path, sampled, opts, warnings);

  let labelColumn: string | null = null;
  if (opts.labelColumn !== undefined && opts.labelColumn !== null) {
    labelColumn = requireColumn(path, sampled, opts.labelColumn, 'label column').name;
  } else if (opts.labelColumn === undefined) {
    const label = sampled.find((c) => c.name !== time.column && LABEL_NAME.test(c.name) && isNumericColumn(c) && isZeroOne(c));
    labelColumn = label?.name ?? null;
  }
  // a column named like labels that is not 0/1 is not read as labels: say so, with the values found
  const labelLike =
    labelColumn === null && opts.labelColumn === undefined
      ? sampled.find((c) => c.name !== time.column && LABEL_NAME.test(c.name) && c.present > 0)
      : undefined;
  if (labelColumn !== null && labelColumn === time.column) {
    throw new WorkbenchError('invalid_input', `${path}: column "${labelColumn}" cannot be both time and label`, {
      file: path,
      column: labelColumn,
    });
  }

  let valueColumns: string[];
  if (opts.valueColumns) {
    valueColumns = opts.valueColumns.map((name) => requireColumn(path, sampled, name, 'value columns').name);
    for (const name of valueColumns) {
      if (name === time.column || name === labelColumn) {
        throw new WorkbenchError(
          'invalid_input',
          `${path}: column "${name}" cannot be both a value column and the ${name === time.column ? 'time' : 'label'} column`,
          {
            file: path,
            column: name,
          },
        );
      }
      const column = sampled.find((c) => c.name === name) as SampledColumn;
      if (column.kind === 'other') {
        throw new WorkbenchError(
          'unsupported',
          `${path}: column "${name}" has type ${column.duckdbType}, which cannot be a numeric series`,
          {
            file: path,
            column: name,
          },
        );
      }
    }
  } else {
    valueColumns = [];
    for (const column of sampled) {
      if (column.name === time.column || column.name === labelColumn) continue;
      if (IGNORE_NAME.test(column.name) || isIndexColumn(column)) continue;
      if (column.present === 0) {
        warnings.push(`column "${column.name}" is empty in the sampled rows and is ignored`);
        continue;
      }
      if (isNumericColumn(column)) valueColumns.push(column.name);
    }
  }
  if (valueColumns.length === 0) {
    throw new WorkbenchError(
      'invalid_input',
      `${path}: no numeric value column found; columns are ${sampled.map((c) => `"${c.name}" (${c.duckdbType})`).join(', ')}`,
      {
        file: path,
      },
    );
  }
  if (labelLike) {
    const done = valueColumns.includes(labelLike.name) ? 'imported as a value column' : 'ignored';
    warnings.push(
      `column "${labelLike.name}" looks like a label column but holds ${sampleValues(labelLike)}, not only 0 and 1: no labels were read from it (${done}); give it as the label column (CLI: --label-column ${labelLike.name}) to read every non-zero value as anomalous`,
    );
  }
  const values = new Set(valueColumns);
  const roleOf = (name: string): ColumnRole =>
    name === time.column ? 'time' : name === labelColumn ? 'label' : values.has(name) ? 'value' : 'ignore';
  const columns: ColumnInfo[] = sampled.map((c) => ({
    name: c.name,
    index: c.index,
    duckdbType: c.duckdbType,
    role: roleOf(c.name),
    ...(c.numericShare !== undefined ? { numericShare: c.numericShare } : {}),
  }));
  return { columns, time, valueColumns, labelColumn, warnings };
}
