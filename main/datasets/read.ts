/**
 * readFile: the whole file into one Float64Array per series. DuckDB parses and converts (timestamps to
 * epoch ms, values to DOUBLE) in SQL; the result is copied chunk by chunk without per-row JS objects.
 */
import { WorkbenchError } from '../../common/errors';
import { DUPLICATE_TIMESTAMP_POLICIES, UNSORTED_TIMESTAMP_POLICIES } from '../../common/lists';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MISSING_MARKERS } from './csv-dialect';
import { copyDoubleColumns, runWithProgress, sqlIdentifier, sqlString, withConnection, type NullMeaning } from './engine';
import { translateEngineError, type ReadContext } from './engine-errors';
import { hashFile, hashFileInWorker } from './hash';
import { planImport, type ImportPlan } from './preview';
import { checkGzipComplete, datasetName, DEFAULT_MAX_LINE_BYTES, statFile } from './source';
import { labelRuns, labelWarnings, localTimesToUtc, orderTimeline } from './timeline';
import type { ImportedTable, ReadOptions, ReadProgress } from './types';

/** Share of the progress bar given to DuckDB's parse; the rest is the copy into typed arrays. */
const QUERY_SHARE = 0.9;
const WORKER_HASH_BYTES = 32 << 20;

interface SelectColumn {
  expression: string;
  meaning: NullMeaning;
  name: string;
}

interface ReadQuery {
  from: string;
  select: SelectColumn[];
  /** reads one source cell as text, for error messages: (column, row) → SQL */
  rawCell: (column: string, row: number) => string;
}

function sqlList(values: string[]): string {
  return `[${values.map(sqlString).join(', ')}]`;
}

function csvQuery(plan: ImportPlan, maxLineBytes: number): ReadQuery {
  const csv = plan.csv;
  if (!csv) throw new WorkbenchError('internal', 'csvQuery needs a delimited-text plan');
  const { time, valueColumns, labelColumn } = plan.plan;
  const numeric = new Set([...valueColumns, ...(labelColumn ? [labelColumn] : [])]);
  const timeIsPattern = time.format !== null && !['iso8601', 'epoch_s', 'epoch_ms'].includes(time.format);
  const declaredType = (name: string): string => {
    if (name === time.column) {
      if (time.format === 'epoch_s' || time.format === 'epoch_ms') return 'DOUBLE';
      return time.zoned && !timeIsPattern ? 'TIMESTAMPTZ' : 'TIMESTAMP';
    }
    return numeric.has(name) ? 'DOUBLE' : 'VARCHAR';
  };
  const options = (types: (name: string) => string) => {
    const columns = csv.names.map((name) => `${sqlString(name)}: ${sqlString(types(name))}`).join(', ');
    const parts = [
      sqlString(plan.source.path),
      'auto_detect=false',
      `delim=${sqlString(csv.delimiter)}`,
      `quote='"'`,
      `escape='"'`,
      `header=${csv.header}`,
      `columns={${columns}}`,
      `nullstr=${sqlList(['', ...MISSING_MARKERS])}`,
      `max_line_size=${maxLineBytes}`,
      `compression=${plan.source.compression === 'gzip' ? "'gzip'" : "'none'"}`,
      'strict_mode=true',
    ];
    if (csv.decimalComma) parts.push(`decimal_separator=','`);
    if (timeIsPattern && time.format) parts.push(`timestampformat=${sqlString(time.format)}`);
    return `read_csv(${parts.join(', ')})`;
  };
  const select: SelectColumn[] = [];
  if (time.column) {
    const id = sqlIdentifier(time.column);
    const expression =
      time.format === 'epoch_s' ? `${id} * 1000.0` : time.format === 'epoch_ms' ? id : `CAST(epoch_ms(${id}) AS DOUBLE)`;
    select.push({ expression, meaning: 'bad', name: time.column });
  }
  for (const name of valueColumns) select.push({ expression: sqlIdentifier(name), meaning: 'missing', name });
  if (labelColumn) select.push({ expression: sqlIdentifier(labelColumn), meaning: 'missing', name: labelColumn });
  const rawFrom = options(() => 'VARCHAR');
  return {
    from: options(declaredType),
    select,
    rawCell: (column, row) => `SELECT ${sqlIdentifier(column)} FROM ${rawFrom} LIMIT 1 OFFSET ${row}`,
  };
}

function typedQuery(plan: ImportPlan): ReadQuery {
  const from = plan.typedSource;
  if (!from) throw new WorkbenchError('internal', 'typedQuery needs a typed source');
  const { time, valueColumns, labelColumn } = plan.plan;
  const typeOf = (name: string) => plan.preview.columns.find((c) => c.name === name)?.duckdbType ?? 'VARCHAR';
  const isText = (name: string) => typeOf(name) === 'VARCHAR';
  const missingText = `(${sqlList(['', ...MISSING_MARKERS]).slice(1, -1)})`;
  const numberExpression = (name: string): SelectColumn => {
    const id = sqlIdentifier(name);
    if (isText(name)) {
      return {
        expression: `CASE WHEN ${id} IS NULL OR trim(${id}) IN ${missingText} THEN CAST('nan' AS DOUBLE) ELSE TRY_CAST(trim(${id}) AS DOUBLE) END`,
        meaning: 'bad',
        name,
      };
    }
    return { expression: `CAST(${id} AS DOUBLE)`, meaning: 'missing', name };
  };
  const select: SelectColumn[] = [];
  if (time.column) {
    const id = sqlIdentifier(time.column);
    const type = typeOf(time.column);
    let expression: string;
    if (time.format === 'epoch_s' || time.format === 'epoch_ms') {
      const seconds = isText(time.column) ? `TRY_CAST(${id} AS DOUBLE)` : `CAST(${id} AS DOUBLE)`;
      expression = time.format === 'epoch_s' ? `${seconds} * 1000.0` : seconds;
    } else if (isText(time.column)) {
      expression =
        time.format === 'iso8601'
          ? `CAST(epoch_ms(TRY_CAST(${id} AS TIMESTAMPTZ)) AS DOUBLE)`
          : `CAST(epoch_ms(try_strptime(${id}, ${sqlString(time.format ?? '')})) AS DOUBLE)`;
    } else if (/WITH TIME ZONE|TIMESTAMPTZ/.test(type)) {
      expression = `CAST(epoch_ms(${id}) AS DOUBLE)`;
    } else {
      expression = `CAST(epoch_ms(CAST(${id} AS TIMESTAMP)) AS DOUBLE)`;
    }
    select.push({ expression, meaning: 'bad', name: time.column });
  }
  for (const name of valueColumns) select.push(numberExpression(name));
  if (labelColumn) select.push({ ...numberExpression(labelColumn) });
  return {
    from,
    select,
    rawCell: (column, row) => `SELECT CAST(${sqlIdentifier(column)} AS VARCHAR) FROM ${from} LIMIT 1 OFFSET ${row}`,
  };
}

async function rawCellText(connection: DuckDBConnection, query: ReadQuery, column: string, row: number): Promise<string | null> {
  try {
    const rows = (await connection.runAndReadAll(query.rawCell(column, row))).getRowsJS();
    const value = rows[0]?.[0];
    return value === null || value === undefined ? null : String(value);
  } catch {
    return null;
  }
}

function checkPolicy<T extends string>(value: T | undefined, allowed: readonly T[], fallback: T, parameter: string): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new WorkbenchError('invalid_input', `${parameter} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, {
      parameter,
    });
  }
  return value;
}

/**
 * Reads a whole file into columns. Timestamps without a zone are taken as UTC. Missing values are NaN.
 * Unsorted or duplicate timestamps are refused unless `unsortedTimestamps` / `duplicateTimestamps` say
 * what to do. A value column with no values at all is kept (all NaN) with a warning; when every value
 * column is empty the import is refused.
 */
export async function readFile(path: string, opts: ReadOptions = {}): Promise<ImportedTable> {
  const duplicateTimestamps = checkPolicy(opts.duplicateTimestamps, DUPLICATE_TIMESTAMP_POLICIES, 'error', 'duplicateTimestamps');
  const unsortedTimestamps = checkPolicy(opts.unsortedTimestamps, UNSORTED_TIMESTAMP_POLICIES, 'error', 'unsortedTimestamps');
  const { signal } = opts;
  const cancelled = () => new WorkbenchError('cancelled', `import of ${path} was cancelled`, { file: path });
  if (signal?.aborted) throw cancelled();

  const plan = await planImport(path, opts);
  const { source } = plan;
  const file = source.path;
  const undecided = plan.plan.time.undecidedDateOrder;
  if (undecided) {
    throw new WorkbenchError(
      'invalid_input',
      `${file}: column "${undecided.column}": dates like "${undecided.example}" can be read day first or month first, and the rows sampled do not decide; choose the order (dateOrder "day-first" or "month-first"; CLI: --date-order day-first|month-first)`,
      { file, column: undecided.column, parameter: 'dateOrder', choices: ['day-first', 'month-first'] },
    );
  }
  const estimate = Math.max(1, plan.preview.rowCountEstimate);
  let rowsSeen = 0;
  // Rows are estimated while DuckDB parses and counted while copying; never let the count go back.
  const report = (p: ReadProgress) => {
    rowsSeen = Math.max(rowsSeen, p.rows);
    opts.progress?.({ ...p, rows: rowsSeen });
  };
  report({ rows: 0, bytes: 0, fraction: 0 });
  if (signal?.aborted) throw cancelled();

  const query = plan.csv ? csvQuery(plan, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES) : typedQuery(plan);
  const ctx: ReadContext = {
    path: file,
    format: source.format,
    headerLines: plan.csv?.header ? 1 : 0,
    timeColumn: plan.plan.time.column,
  };
  const sql = `SELECT ${query.select.map((c) => c.expression).join(', ')} FROM ${query.from}`;

  // a cut .gz must not import what it held without a word: checked alongside the parse, reported before its errors
  const gzipComplete = source.compression === 'gzip' ? checkGzipComplete(file, signal) : null;
  gzipComplete?.catch(() => undefined);
  let hashing: Promise<string> | null = null;
  const copied = await withConnection(async (connection) => {
    let result;
    try {
      result = await runWithProgress(
        connection,
        () => connection.run(sql),
        (fraction) =>
          report({
            rows: Math.round(fraction * estimate),
            bytes: Math.round(fraction * source.sizeBytes),
            fraction: fraction * QUERY_SHARE,
          }),
        signal,
      );
    } catch (err) {
      await gzipComplete;
      throw translateEngineError(err, ctx);
    }
    await gzipComplete;
    if (signal?.aborted) throw cancelled();
    // Hashed now, not during the parse: the parse keeps every core busy, the copy below only this one.
    hashing = source.sizeBytes >= WORKER_HASH_BYTES ? hashFileInWorker(file, signal) : hashFile(file, signal);
    hashing.catch(() => undefined);
    const total = Math.max(1, result.rowCount);
    const columns = await copyDoubleColumns(
      result,
      query.select.map((c) => c.meaning),
      (rows) =>
        report({
          rows,
          bytes: Math.round((rows / total) * source.sizeBytes),
          fraction: QUERY_SHARE + (1 - QUERY_SHARE) * (rows / total),
        }),
      signal,
    );
    for (let c = 0; c < query.select.length; c++) {
      const row = columns.firstBadRow[c];
      if (row < 0) continue;
      const column = query.select[c].name;
      const raw = await rawCellText(connection, query, column, row);
      const isTime = c === 0 && plan.plan.time.column !== null;
      const line = row + 1 + ctx.headerLines;
      const where = plan.csv ? `line ${line} (row ${row + 1})` : `row ${row + 1}`;
      const problem =
        raw === null
          ? isTime
            ? 'has no timestamp'
            : 'is unreadable'
          : isTime
            ? `"${raw}" is not a timestamp in format ${plan.plan.time.format}`
            : `"${raw}" is not a number`;
      throw new WorkbenchError('parse_error', `${file}: ${where}, column "${column}": ${problem}`, {
        file,
        row: row + 1,
        ...(plan.csv ? { line } : {}),
        column,
        value: raw,
      });
    }
    return columns;
  });

  const rowCount = copied.rowCount;
  if (rowCount === 0) {
    throw new WorkbenchError(
      'invalid_input',
      plan.csv?.header ? `${file} has a header line but no data rows` : `${file} has no data rows`,
      { file },
    );
  }

  const warnings = [...plan.preview.warnings];
  let next = 0;
  let time = plan.plan.time.column ? copied.arrays[next++] : null;
  let values = plan.plan.valueColumns.map(() => copied.arrays[next++]);
  let label = plan.plan.labelColumn ? copied.arrays[next++] : null;

  if (time && opts.timeZone) {
    if (plan.plan.time.zoned) {
      throw new WorkbenchError(
        'invalid_input',
        `${file}: timeZone ${opts.timeZone} was given, but the timestamps carry their own zone`,
        {
          file,
          parameter: 'timeZone',
        },
      );
    }
    const local = localTimesToUtc(file, time, opts.timeZone);
    time = local.time;
    warnings.push(...local.warnings);
  }
  if (time) {
    const ordered = orderTimeline(file, time, values, label, { duplicateTimestamps, unsortedTimestamps });
    time = ordered.time;
    values = ordered.columns;
    label = ordered.label;
    warnings.push(...ordered.warnings);
  }

  const emptyColumns = plan.plan.valueColumns.filter((_, c) => values[c].every((v) => Number.isNaN(v)));
  if (emptyColumns.length === values.length) {
    throw new WorkbenchError(
      'invalid_input',
      `${file}: every value column is empty (all values missing): ${emptyColumns.map((n) => `"${n}"`).join(', ')}`,
      {
        file,
        columns: emptyColumns,
      },
    );
  }
  for (const name of emptyColumns) warnings.push(`column "${name}" has no values (all missing)`);
  if (label && plan.plan.labelColumn) warnings.push(...labelWarnings(plan.plan.labelColumn, label));

  let sourceHash: string;
  try {
    sourceHash = await (hashing ?? hashFile(file, signal));
  } catch (err) {
    if (err instanceof WorkbenchError && err.code === 'not_found') {
      throw new WorkbenchError('io_error', `${file} disappeared while it was being imported`, { file });
    }
    throw err;
  }
  await assertUnchanged(file, source.sizeBytes, source.mtimeMs);
  if (signal?.aborted) throw cancelled();
  opts.progress?.({ rows: time ? time.length : rowCount, bytes: source.sizeBytes, fraction: 1 });

  return {
    sourcePath: file,
    sourceSize: source.sizeBytes,
    sourceHash,
    name: datasetName(file),
    time,
    columns: plan.plan.valueColumns.map((name, c) => ({ name, values: values[c] })),
    labels: label && plan.plan.labelColumn ? { column: plan.plan.labelColumn, intervals: labelRuns(label) } : null,
    warnings,
  };
}

async function assertUnchanged(file: string, sizeBytes: number, mtimeMs: number): Promise<void> {
  let now;
  try {
    now = await statFile(file);
  } catch {
    throw new WorkbenchError('io_error', `${file} disappeared while it was being imported`, { file });
  }
  if (now.sizeBytes !== sizeBytes || now.mtimeMs !== mtimeMs) {
    throw new WorkbenchError('io_error', `${file} changed while it was being imported; import it again`, { file });
  }
}
