/**
 * DuckDB plumbing for the dataset reader: one offline instance per thread, SQL literal quoting, and the
 * fast copy of a materialized all-DOUBLE result into Float64Arrays.
 */
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import duckdbBindings from '@duckdb/node-bindings';
import { WorkbenchError } from '../../common/errors';

let instance: Promise<DuckDBInstance> | null = null;

function sharedInstance(): Promise<DuckDBInstance> {
  // Extensions must never be fetched over the network; csv, parquet, json and icu are built in.
  instance ??= DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  return instance;
}

/** Opens a connection on the shared in-memory instance with the session settings the reader relies on. */
export async function openConnection(): Promise<DuckDBConnection> {
  const connection = await (await sharedInstance()).connect();
  // Zone-less timestamps are UTC; progress is polled by the reader, never printed.
  await connection.run(
    "SET TimeZone = 'UTC'; SET preserve_insertion_order = true; " +
      'SET enable_progress_bar = true; SET enable_progress_bar_print = false;',
  );
  return connection;
}

export async function withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await openConnection();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** What a NULL in a result column means: a missing value (becomes NaN) or a cell that could not be read. */
export type NullMeaning = 'missing' | 'bad';

export interface CopiedColumns {
  arrays: Float64Array[];
  /** per column, the first row whose NULL means 'bad', or -1 */
  firstBadRow: number[];
  rowCount: number;
}

/**
 * Copies a materialized result whose columns are all DOUBLE into one Float64Array per column, chunk by
 * chunk straight from DuckDB's vectors (no per-row JS values). NULLs become NaN.
 */
export async function copyDoubleColumns(
  result: DuckDBMaterializedResult,
  nullMeanings: NullMeaning[],
  onChunk?: (rowsDone: number) => void,
  signal?: AbortSignal,
): Promise<CopiedColumns> {
  const columnCount = result.columnCount;
  for (let c = 0; c < columnCount; c++) {
    if (result.columnTypeId(c) !== DuckDBTypeId.DOUBLE) {
      throw new WorkbenchError('internal', `result column ${c} is not DOUBLE`);
    }
  }
  const rowCount = result.rowCount;
  const chunkCount = result.chunkCount;
  const arrays = Array.from({ length: columnCount }, () => new Float64Array(rowCount));
  const firstBadRow = new Array<number>(columnCount).fill(-1);
  let offset = 0;
  for (let ci = 0; ci < chunkCount; ci++) {
    if ((ci & 255) === 0 && ci > 0) {
      // Let an abort (or anything else queued) run between batches of chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw new WorkbenchError('cancelled', 'import was cancelled');
      onChunk?.(offset);
    }
    const chunk = result.getChunk(ci).chunk;
    const size = duckdbBindings.data_chunk_get_size(chunk);
    if (size === 0) continue;
    for (let c = 0; c < columnCount; c++) {
      const target = arrays[c];
      const vector = duckdbBindings.data_chunk_get_vector(chunk, c);
      const bytes = duckdbBindings.vector_get_data(vector, size * 8);
      // Byte copy: DuckDB's buffer need not be 8-byte aligned for a Float64Array view.
      new Uint8Array(target.buffer, target.byteOffset + offset * 8, size * 8).set(bytes);
      const validity = duckdbBindings.vector_get_validity(vector, Math.ceil(size / 64) * 8);
      if (validity) markInvalid(validity, size, target, offset, c, nullMeanings[c], firstBadRow);
    }
    offset += size;
  }
  onChunk?.(offset);
  return { arrays, firstBadRow, rowCount: offset };
}

function markInvalid(
  validity: Uint8Array,
  size: number,
  target: Float64Array,
  offset: number,
  column: number,
  meaning: NullMeaning,
  firstBadRow: number[],
): void {
  const byteCount = Math.ceil(size / 8);
  for (let b = 0; b < byteCount; b++) {
    const bits = validity[b];
    if (bits === 0xff) continue;
    for (let k = 0; k < 8; k++) {
      const i = b * 8 + k;
      if (i >= size) break;
      if ((bits & (1 << k)) === 0) {
        target[offset + i] = NaN;
        if (meaning === 'bad' && firstBadRow[column] < 0) firstBadRow[column] = offset + i;
      }
    }
  }
}

/** Polls DuckDB's own query progress (0..1) while `work` runs; interrupts the query when aborted. */
export async function runWithProgress<T>(
  connection: DuckDBConnection,
  work: () => Promise<T>,
  onProgress: ((fraction: number) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<T> {
  const interrupt = () => connection.interrupt();
  signal?.addEventListener('abort', interrupt, { once: true });
  const timer = onProgress
    ? setInterval(() => {
        const percentage = connection.progress.percentage;
        if (percentage >= 0) onProgress(Math.min(1, percentage / 100));
      }, 100)
    : null;
  try {
    if (signal?.aborted) throw new WorkbenchError('cancelled', 'import was cancelled');
    return await work();
  } catch (err) {
    if (signal?.aborted) throw new WorkbenchError('cancelled', 'import was cancelled');
    throw err;
  } finally {
    if (timer) clearInterval(timer);
    signal?.removeEventListener('abort', interrupt);
  }
}
