import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { AnomalyType, DatasetInfo, Interval, Label, LabelOrigin, SeriesInfo } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { HistoryState, LabelHistoryEntry, SearchHit } from '../../common/contract';
import { chunkBlobs, joinFloat64, VALUE_CHUNK } from './chunks';
import { LabelHistory, type LabelRow } from './label-history';
import { RationaleStore } from './rationale-store';
import { RunStore } from './run-store';
import { migrate, SCHEMA_VERSION } from './migrations';
import { acquireLock, describeHolder, type LockHolder } from './project-lock';
import { storageError } from './storage-errors';
import { removeWithSideFiles, sweepTemporaries, tempPath } from './temp-files';

/** Why a project is open read-only. */
export interface ReadOnlyReason {
  kind: 'media' | 'locked' | 'requested';
  message: string;
  /** the process that holds the write lock, for kind 'locked' */
  holder?: LockHolder;
}

export interface OpenOptions {
  /** open read-only even when the file could be written */
  readOnly?: boolean;
}

let lastPath: string | undefined;
/** The project this process opened or created last (names the file in disk errors printed by the CLI). */
export function lastProjectPath(): string | undefined {
  return lastPath;
}

const APP_ID = 'tsad-workbench';

export interface NewSeries {
  name: string;
  values: Float64Array;
}

export interface NewDataset {
  name: string;
  sourcePath: string | null;
  sourceHash: string | null;
  sourceSize: number | null;
  /** epoch ms per row, or null when the rows have no time axis */
  time: Float64Array | null;
  columns: NewSeries[];
  /** labels that came with the data; `series` is a column name, or null for every series */
  labels?: { series: string | null; intervals: Interval[]; type?: AnomalyType; note?: string }[];
  options?: Record<string, unknown>;
}

export interface LabelDraft {
  seriesId: number;
  start: number;
  end: number;
  type?: AnomalyType;
  note?: string;
  origin?: LabelOrigin;
  sourceRunId?: number | null;
  sourcePredictionId?: number | null;
}

export interface LabelPatch {
  start?: number;
  end?: number;
  type?: AnomalyType;
  note?: string;
}

const now = (): string => new Date().toISOString();

export function labelFromRow(r: LabelRow): Label {
  return {
    id: r.id,
    seriesId: r.series_id,
    start: r.start,
    end: r.end,
    type: r.type as AnomalyType,
    note: r.note,
    origin: r.origin as LabelOrigin,
    sourceRunId: r.source_run_id,
    sourcePredictionId: r.source_prediction_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Keeps the most recently used series in memory, bounded by bytes. */
class SeriesCache {
  private readonly entries = new Map<number, Float64Array>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(id: number): Float64Array | undefined {
    const v = this.entries.get(id);
    if (v) {
      this.entries.delete(id);
      this.entries.set(id, v);
    }
    return v;
  }

  set(id: number, values: Float64Array): void {
    this.entries.set(id, values);
    this.bytes += values.byteLength;
    for (const [key, v] of this.entries) {
      if (this.bytes <= this.maxBytes || key === id) break;
      this.entries.delete(key);
      this.bytes -= v.byteLength;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * One project = one SQLite file (WAL, foreign keys on). Every multi-row change runs in one
 * transaction, so a crash leaves either the whole change or none of it.
 */
export class ProjectStore {
  readonly path: string;
  /** the SQLite connection: only the store's own classes touch it (tests read it through store/testing.ts) */
  private readonly db: Database.Database;
  private readonly history: LabelHistory;
  /** runs, score lanes and predictions */
  readonly runs: RunStore;
  /** rationales: analyst edits, model rationales with provenance, imported texts */
  readonly rationales: RationaleStore;
  private readonly seriesCache = new SeriesCache(512 * 1024 * 1024);
  /** null when this process may write the project */
  readonly readOnly: ReadOnlyReason | null;
  private readonly releaseLock: () => void;

  private constructor(filePath: string, db: Database.Database, readOnly: ReadOnlyReason | null, releaseLock: () => void) {
    this.path = filePath;
    this.db = db;
    this.readOnly = readOnly;
    this.releaseLock = releaseLock;
    this.history = new LabelHistory(db);
    this.rationales = new RationaleStore(db, () => this.assertWritable());
    this.runs = new RunStore(db, this.rationales, () => this.assertWritable());
    lastPath = filePath;
  }

  /** Throws a clear read_only error when this process may not write the project. */
  assertWritable(): void {
    if (!this.readOnly) return;
    throw new WorkbenchError('read_only', `${this.path} is open read-only: ${this.readOnly.message}`, {
      path: this.path,
      reason: this.readOnly.kind,
      ...(this.readOnly.holder ? { holder: this.readOnly.holder } : {}),
    });
  }

  /** false once closed (a job finishing after its project closed must not write) */
  get isOpen(): boolean {
    return this.db.open;
  }

  /** Row counts of the project's main tables (a bundle's manifest). */
  tableCounts(): Record<string, number> {
    const tables = ['datasets', 'series', 'labels', 'label_batches', 'runs', 'predictions', 'rationales', 'models'];
    return Object.fromEntries(
      tables.map((t) => [t, (this.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );
  }

  /** Writes a consistent copy of the whole project to `file` (SQLite's VACUUM INTO; the file must not exist). */
  snapshotTo(file: string): void {
    this.db.prepare('VACUUM INTO ?').run(file);
  }

  /** Folds the write-ahead log into the main file, so the file alone is the whole project. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Every change of one label in order, with who made it and when (from the append-only history). */
  labelChanges(labelId: number): { op: string; actor: string; at: string }[] {
    return this.db
      .prepare(
        `SELECT h.op, b.actor, b.at FROM label_history h JOIN label_batches b ON b.id = h.batch
         WHERE h.label_id = ? ORDER BY h.seq`,
      )
      .all(labelId) as { op: string; actor: string; at: string }[];
  }

  /** Runs `fn` in one transaction: the labels and rationales it writes land together or not at all. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  static create(filePath: string): ProjectStore {
    const abs = path.resolve(filePath);
    if (fs.existsSync(abs)) {
      throw new WorkbenchError('conflict', `A file already exists at ${abs}; open it, or choose another name.`, {
        path: abs,
      });
    }
    const dir = path.dirname(abs);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new WorkbenchError('not_found', `The folder ${dir} does not exist.`, { path: dir });
    }
    // created and migrated under a temporary name, then linked into place: a failed create (a full disk)
    // leaves no file behind, and a file that appears meanwhile is never overwritten
    sweepTemporaries(dir);
    const tmp = tempPath(abs, 'create', '.sqlite');
    try {
      const db = openDatabase(tmp, false);
      try {
        migrate(db);
        db.prepare('INSERT INTO meta(key, value) VALUES (?, ?), (?, ?)').run('app', APP_ID, 'created_at', now());
      } finally {
        db.close();
      }
      try {
        fs.linkSync(tmp, abs);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST')
          throw new WorkbenchError('conflict', `A file already exists at ${abs}; open it, or choose another name.`, {
            path: abs,
          });
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
        if (fs.existsSync(abs))
          throw new WorkbenchError('conflict', `A file already exists at ${abs}; open it, or choose another name.`, {
            path: abs,
          });
        fs.renameSync(tmp, abs); // file systems without hard links (FAT, exFAT)
      }
    } catch (err) {
      removeWithSideFiles(tmp);
      throw storageError(err, abs) ?? err;
    }
    removeWithSideFiles(tmp);
    return ProjectStore.open(abs);
  }

  static open(filePath: string, options: OpenOptions = {}): ProjectStore {
    const abs = path.resolve(filePath);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new WorkbenchError('not_found', `No project file at ${abs}.`, { path: abs });
    }
    if (!stat.isFile()) throw new WorkbenchError('invalid_input', `${abs} is not a file.`, { path: abs });
    let readOnly: ReadOnlyReason | null = options.readOnly
      ? { kind: 'requested', message: 'opened read-only on request.' }
      : mediaReadOnly(abs);
    let releaseLock = () => undefined as void;
    if (!readOnly) {
      const lock = acquireLock(abs);
      if (lock.kind === 'held') releaseLock = lock.release;
      else if (lock.kind === 'taken')
        readOnly = {
          kind: 'locked',
          message: `${describeHolder(lock.holder)} is writing it. Close it there to make changes here.`,
          holder: lock.holder,
        };
      else readOnly = { kind: 'media', message: `the project's folder cannot be written (${lock.reason}).` };
    }
    let db: Database.Database;
    try {
      db =
        readOnly?.kind === 'media'
          ? openMediaCopy(abs, (cleanup) => (releaseLock = cleanup))
          : openDatabase(abs, true, readOnly !== null);
    } catch (err) {
      releaseLock();
      throw err;
    }
    try {
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
      const app = hasMeta
        ? (db.prepare("SELECT value FROM meta WHERE key = 'app'").get() as { value: string } | undefined)
        : undefined;
      if (app?.value !== APP_ID) {
        throw new WorkbenchError('invalid_input', `${abs} is not a TSAD Workbench project.`, { path: abs });
      }
      if (readOnly) {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version < SCHEMA_VERSION)
          throw new WorkbenchError(
            'read_only',
            `${abs} needs an upgrade of its schema (${version} to ${SCHEMA_VERSION}) and is read-only: ${readOnly.message}`,
            { path: abs },
          );
        if (version > SCHEMA_VERSION) migrate(db); // the "written by a newer version" error
      } else {
        migrate(db);
        // a run whose process was killed is interrupted, not running forever; temporaries of dead processes go
        new RunStore(db, new RationaleStore(db)).recoverInterrupted();
        sweepTemporaries(path.dirname(abs));
      }
    } catch (err) {
      db.close();
      releaseLock();
      if (err instanceof WorkbenchError) throw err;
      const mapped = storageError(err, abs);
      if (mapped) throw mapped;
      throw new WorkbenchError('invalid_input', `${abs} is not a readable project: ${(err as Error).message}`, {
        path: abs,
      });
    }
    return new ProjectStore(abs, db, readOnly, releaseLock);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    this.seriesCache.clear();
    if (this.db.open) {
      this.db.close();
      this.releaseLock();
    }
  }

  // ---------- datasets and series ----------

  insertDataset(input: NewDataset): { datasetId: number; seriesIds: number[] } {
    this.assertWritable();
    const rowCount = input.columns[0]?.values.length ?? input.time?.length ?? 0;
    for (const c of input.columns) {
      if (c.values.length !== rowCount) {
        throw new WorkbenchError('invalid_input', `Column "${c.name}" has ${c.values.length} rows, expected ${rowCount}.`);
      }
    }
    if (input.time && input.time.length !== rowCount) {
      throw new WorkbenchError('invalid_input', `The time column has ${input.time.length} rows, expected ${rowCount}.`);
    }
    const insertDataset = this.db.prepare(
      `INSERT INTO datasets(name, source_path, source_hash, source_size, imported_at, row_count, has_time, options)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTime = this.db.prepare('INSERT INTO dataset_time_chunks(dataset_id, chunk, data) VALUES (?, ?, ?)');
    const insertSeries = this.db.prepare(
      `INSERT INTO series(dataset_id, name, position, length, missing, min, max, chunk_size)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertChunk = this.db.prepare('INSERT INTO series_chunks(series_id, chunk, data) VALUES (?, ?, ?)');

    return this.db.transaction(() => {
      const datasetId = Number(
        insertDataset.run(
          input.name,
          input.sourcePath,
          input.sourceHash,
          input.sourceSize,
          now(),
          rowCount,
          input.time ? 1 : 0,
          JSON.stringify(input.options ?? {}),
        ).lastInsertRowid,
      );
      if (input.time) for (const [c, blob] of chunkBlobs(input.time)) insertTime.run(datasetId, c, blob);
      const seriesIds: number[] = [];
      input.columns.forEach((col, position) => {
        const stats = summarize(col.values);
        const seriesId = Number(
          insertSeries.run(datasetId, col.name, position, rowCount, stats.missing, stats.min, stats.max, VALUE_CHUNK)
            .lastInsertRowid,
        );
        for (const [c, blob] of chunkBlobs(col.values)) insertChunk.run(seriesId, c, blob);
        seriesIds.push(seriesId);
      });
      const drafts: LabelDraft[] = [];
      for (const group of input.labels ?? []) {
        const targets =
          group.series === null
            ? seriesIds
            : [seriesIds[input.columns.findIndex((c) => c.name === group.series)]].filter((s) => s !== undefined);
        for (const seriesId of targets) {
          for (const iv of group.intervals) {
            drafts.push({ seriesId, start: iv.start, end: iv.end, type: group.type, note: group.note, origin: 'imported' });
          }
        }
      }
      if (drafts.length > 0)
        this.history.record(`import ${drafts.length} labels`, 'import', (tx) => {
          for (const d of drafts) tx.create(this.validateDraft(d));
        });
      return { datasetId, seriesIds };
    })();
  }

  listDatasets(): DatasetInfo[] {
    const rows = this.db
      .prepare(
        'SELECT id, name, source_path, source_hash, source_size, imported_at, row_count, has_time FROM datasets ORDER BY id',
      )
      .all() as {
      id: number;
      name: string;
      source_path: string | null;
      source_hash: string | null;
      source_size: number | null;
      imported_at: string;
      row_count: number;
      has_time: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      sourcePath: r.source_path,
      sourceHash: r.source_hash,
      sourceSize: r.source_size,
      importedAt: r.imported_at,
      rowCount: r.row_count,
      hasTime: r.has_time === 1,
      ...this.timeSpan(r.id, r.has_time === 1 ? r.row_count : 0),
    }));
  }

  /** Times of a dataset's first and last row, read from the first and last stored chunk only. */
  private timeSpan(datasetId: number, rowCount: number): { timeStart: number | null; timeEnd: number | null } {
    if (rowCount === 0) return { timeStart: null, timeEnd: null };
    const chunk = (order: 'ASC' | 'DESC') =>
      (
        this.db
          .prepare(`SELECT data FROM dataset_time_chunks WHERE dataset_id = ? ORDER BY chunk ${order} LIMIT 1`)
          .get(datasetId) as { data: Buffer } | undefined
      )?.data;
    const first = chunk('ASC');
    const last = chunk('DESC');
    if (!first || !last || first.byteLength < 8 || last.byteLength < 8) return { timeStart: null, timeEnd: null };
    return { timeStart: first.readDoubleLE(0), timeEnd: last.readDoubleLE(last.byteLength - 8) };
  }

  listSeries(): SeriesInfo[] {
    const rows = this.db
      .prepare(
        `SELECT s.id, s.dataset_id, s.name, s.length, s.missing, s.min, s.max,
                (SELECT COUNT(*) FROM labels l WHERE l.series_id = s.id) AS label_count
         FROM series s ORDER BY s.dataset_id, s.position`,
      )
      .all() as {
      id: number;
      dataset_id: number;
      name: string;
      length: number;
      missing: number;
      min: number | null;
      max: number | null;
      label_count: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      datasetId: r.dataset_id,
      name: r.name,
      length: r.length,
      missing: r.missing,
      min: r.min,
      max: r.max,
      labelCount: r.label_count,
    }));
  }

  getSeries(seriesId: number): SeriesInfo {
    const s = this.listSeries().find((x) => x.id === seriesId);
    if (!s) throw new WorkbenchError('not_found', `No series with id ${seriesId} in this project.`, { seriesId });
    return s;
  }

  private seriesLength(seriesId: number): number {
    const row = this.db.prepare('SELECT length FROM series WHERE id = ?').get(seriesId) as { length: number } | undefined;
    if (!row) throw new WorkbenchError('not_found', `No series with id ${seriesId} in this project.`, { seriesId });
    return row.length;
  }

  /** The series' values (NaN = missing). The returned array is shared: do not modify it. */
  loadValues(seriesId: number): Float64Array {
    const cached = this.seriesCache.get(seriesId);
    if (cached) return cached;
    const length = this.seriesLength(seriesId);
    const chunks = this.db.prepare('SELECT chunk, data FROM series_chunks WHERE series_id = ? ORDER BY chunk').all(seriesId) as {
      chunk: number;
      data: Buffer;
    }[];
    const values = joinFloat64(chunks, length);
    this.seriesCache.set(seriesId, values);
    return values;
  }

  /** Epoch-ms time of every row of the series' dataset, or null when it has no time axis. */
  loadTime(seriesId: number): Float64Array | null {
    const row = this.db
      .prepare('SELECT d.id, d.row_count, d.has_time FROM series s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = ?')
      .get(seriesId) as { id: number; row_count: number; has_time: number } | undefined;
    if (!row) throw new WorkbenchError('not_found', `No series with id ${seriesId} in this project.`, { seriesId });
    if (!row.has_time) return null;
    const key = -row.id; // datasets' time axes share the cache under negative keys
    const cached = this.seriesCache.get(key);
    if (cached) return cached;
    const chunks = this.db
      .prepare('SELECT chunk, data FROM dataset_time_chunks WHERE dataset_id = ? ORDER BY chunk')
      .all(row.id) as { chunk: number; data: Buffer }[];
    const time = joinFloat64(chunks, row.row_count);
    this.seriesCache.set(key, time);
    return time;
  }

  // ---------- labels ----------

  listLabels(seriesId: number): Label[] {
    this.seriesLength(seriesId);
    const rows = this.db.prepare('SELECT * FROM labels WHERE series_id = ? ORDER BY start, id').all(seriesId) as LabelRow[];
    return rows.map(labelFromRow);
  }

  getLabel(labelId: number): Label {
    const row = this.db.prepare('SELECT * FROM labels WHERE id = ?').get(labelId) as LabelRow | undefined;
    if (!row) throw new WorkbenchError('not_found', `No label with id ${labelId}.`, { labelId });
    return labelFromRow(row);
  }

  private validateDraft(d: LabelDraft): LabelDraft & { type: AnomalyType; note: string; origin: LabelOrigin } {
    const length = this.seriesLength(d.seriesId);
    checkRange(d.start, d.end, length);
    return { ...d, type: d.type ?? 'unknown', note: d.note ?? '', origin: d.origin ?? 'drawn' };
  }

  createLabels(drafts: LabelDraft[], actor = 'user'): Label[] {
    this.assertWritable();
    const ids: number[] = [];
    this.history.record(drafts.length === 1 ? 'create label' : `create ${drafts.length} labels`, actor, (tx) => {
      for (const d of drafts) ids.push(tx.create(this.validateDraft(d)).id);
    });
    return ids.map((i) => this.getLabel(i));
  }

  updateLabel(labelId: number, patch: LabelPatch, actor = 'user'): Label {
    this.assertWritable();
    this.history.record('edit label', actor, (tx) => {
      const current = this.getLabel(labelId);
      const start = patch.start ?? current.start;
      const end = patch.end ?? current.end;
      checkRange(start, end, this.seriesLength(current.seriesId));
      // an accepted prediction whose range the analyst changes becomes an edited one
      const reshaped = start !== current.start || end !== current.end;
      const origin = current.origin === 'accepted' && reshaped ? 'edited' : current.origin;
      tx.update(labelId, { start, end, type: patch.type ?? current.type, note: patch.note ?? current.note, origin });
    });
    return this.getLabel(labelId);
  }

  /** Applies the same type and/or note to many labels as one history batch. */
  updateLabels(labelIds: number[], patch: { type?: AnomalyType; note?: string }, actor = 'user'): Label[] {
    this.assertWritable();
    this.history.record(`edit ${labelIds.length} labels`, actor, (tx) => {
      for (const labelId of labelIds) {
        const current = this.getLabel(labelId);
        tx.update(labelId, {
          start: current.start,
          end: current.end,
          type: patch.type ?? current.type,
          note: patch.note ?? current.note,
        });
      }
    });
    return labelIds.map((i) => this.getLabel(i));
  }

  deleteLabels(labelIds: number[], actor = 'user'): void {
    this.assertWritable();
    this.history.record(labelIds.length === 1 ? 'delete label' : `delete ${labelIds.length} labels`, actor, (tx) => {
      for (const labelId of labelIds) {
        this.getLabel(labelId);
        tx.delete(labelId);
      }
    });
  }

  /** Accepts predictions as human labels (origin "accepted"), all in one undoable history batch. */
  acceptPredictions(predictionIds: number[], actor = 'user'): Label[] {
    this.assertWritable();
    const rows = predictionIds.map((id) => {
      const row = this.db.prepare('SELECT id, run_id, series_id, start, end, type FROM predictions WHERE id = ?').get(id) as
        { id: number; run_id: number; series_id: number; start: number; end: number; type: string | null } | undefined;
      if (!row) throw new WorkbenchError('not_found', `No prediction with id ${id}.`, { predictionId: id });
      return row;
    });
    const fresh = rows.filter((r) => !this.db.prepare('SELECT 1 FROM labels WHERE source_prediction_id = ?').get(r.id));
    if (fresh.length === 0) return [];
    return this.createLabels(
      fresh.map((r) => ({
        seriesId: r.series_id,
        start: r.start,
        end: r.end,
        type: (r.type as AnomalyType | null) ?? 'unknown',
        origin: 'accepted' as const,
        sourceRunId: r.run_id,
        sourcePredictionId: r.id,
      })),
      actor,
    );
  }

  /** Full-text search over label types and notes and rationale texts. */
  search(query: string, limit = 100): SearchHit[] {
    const terms = query
      .split(/\s+/)
      .map((t) => t.replace(/"/g, ''))
      .filter(Boolean)
      .map((t) => `"${t}"*`);
    if (terms.length === 0) return [];
    const match = terms.join(' ');
    const labels = this.db
      .prepare(
        `SELECT l.id, l.series_id, l.start, l.end, snippet(label_search, -1, '[', ']', '…', 10) AS snippet
         FROM label_search JOIN labels l ON l.id = label_search.rowid
         WHERE label_search MATCH ? ORDER BY rank LIMIT ?`,
      )
      .all(match, limit) as { id: number; series_id: number; start: number; end: number; snippet: string }[];
    const rationales = this.db
      .prepare(
        `SELECT r.id, r.series_id, r.start, r.end, r.prediction_id, snippet(rationale_search, -1, '[', ']', '…', 10) AS snippet
         FROM rationale_search JOIN rationales r ON r.id = rationale_search.rowid
         WHERE rationale_search MATCH ? ORDER BY rank LIMIT ?`,
      )
      .all(match, limit) as {
      id: number;
      series_id: number;
      start: number;
      end: number;
      prediction_id: number | null;
      snippet: string;
    }[];
    return [
      ...labels.map((r) => ({
        kind: 'label' as const,
        id: r.id,
        predictionId: null,
        seriesId: r.series_id,
        start: r.start,
        end: r.end,
        snippet: r.snippet,
      })),
      ...rationales.map((r) => ({
        kind: 'rationale' as const,
        id: r.id,
        predictionId: r.prediction_id,
        seriesId: r.series_id,
        start: r.start,
        end: r.end,
        snippet: r.snippet,
      })),
    ].slice(0, limit);
  }

  undo(actor = 'user'): HistoryState {
    this.assertWritable();
    this.history.undo(actor);
    return this.history.state();
  }

  redo(actor = 'user'): HistoryState {
    this.assertWritable();
    this.history.redo(actor);
    return this.history.state();
  }

  historyState(): HistoryState {
    return this.history.state();
  }

  historyEntries(limit = 200): LabelHistoryEntry[] {
    return this.history.entries(limit);
  }

  /** The ids of series touched by the most recent history batch (for change events). */
  lastTouchedSeries(): number[] {
    return this.history.lastTouchedSeries();
  }

  static readonly SCHEMA_VERSION = SCHEMA_VERSION;
}

/** Whether the file or its folder cannot be written (read-only media, permissions): then the project opens read-only. */
function mediaReadOnly(file: string): ReadOnlyReason | null {
  for (const target of [file, path.dirname(file)]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const what = code === 'EROFS' ? 'is on read-only media' : 'cannot be written (permissions)';
      return { kind: 'media', message: `${target} ${what}; browse, evaluate and export elsewhere still work.` };
    }
  }
  return null;
}

/**
 * A project on read-only media: SQLite cannot open a WAL database there (it needs to create the -shm
 * file beside it, and this build takes no `immutable` URIs), so it reads a private copy of the file (and
 * of its -wal, which may hold committed changes) in the temporary folder, removed on close.
 */
function openMediaCopy(file: string, setCleanup: (cleanup: () => void) => void): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsad-readonly-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  setCleanup(cleanup);
  const copy = path.join(dir, path.basename(file));
  try {
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  } catch (err) {
    throw storageError(err, copy) ?? err;
  }
  return openDatabase(copy, true, true);
}

function openDatabase(file: string, mustExist: boolean, readOnly = false): Database.Database {
  let db: Database.Database;
  try {
    // The desktop start script points Electron at a copy of the addon built for Electron's ABI.
    const nativeBinding = process.env.TSAD_SQLITE_NATIVE_BINDING;
    db = new Database(file, {
      fileMustExist: mustExist,
      readonly: readOnly,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (err) {
    throw (
      storageError(err, file) ?? new WorkbenchError('io_error', `Cannot open ${file}: ${(err as Error).message}`, { path: file })
    );
  }
  try {
    // Big pages: series are stored as 512 KiB blobs, and 64 KiB pages cut the overflow-page chain per
    // blob 16-fold (only takes effect when the file is created).
    if (!mustExist) db.pragma('page_size = 65536');
    if (!readOnly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // WAL + NORMAL: a committed transaction survives a killed process; only power loss may drop the last ones.
    if (!readOnly) db.pragma('synchronous = NORMAL');
    // the main thread never waits long for a lock (it would freeze the app or serve): a busy project ends
    // in a `busy` error at once; worker threads may wait
    db.pragma(`busy_timeout = ${isMainThread ? 100 : 5000}`);
    // reading the header: a file that is not SQLite fails here (and a disk error is not mistaken for it)
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    const disk = storageError(err, file);
    if (disk && (err as { code?: string }).code !== 'SQLITE_NOTADB') throw disk;
    throw new WorkbenchError('invalid_input', `${file} is not a SQLite database: ${(err as Error).message}`, {
      path: file,
    });
  }
  return db;
}

function checkRange(start: number, end: number, length: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
    throw new WorkbenchError('invalid_input', `Invalid interval [${start}, ${end}): need 0 ≤ start < end.`, { start, end });
  }
  if (end > length) {
    throw new WorkbenchError('invalid_input', `Interval [${start}, ${end}) runs past the end of the series (length ${length}).`, {
      start,
      end,
      length,
    });
  }
}

function summarize(values: Float64Array): { missing: number; min: number | null; max: number | null } {
  let missing = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) missing++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { missing, min: Number.isFinite(min) ? min : null, max: Number.isFinite(max) ? max : null };
}
