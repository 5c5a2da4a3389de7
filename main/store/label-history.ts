import type Database from 'better-sqlite3';
import type { HistoryState, LabelHistoryEntry } from '../../common/contract';
import { WorkbenchError } from '../../common/errors';

/** A label's row as stored in the table and in history snapshots. */
export interface LabelRow {
  id: number;
  series_id: number;
  start: number;
  end: number;
  type: string;
  note: string;
  origin: string;
  source_run_id: number | null;
  source_prediction_id: number | null;
  created_at: string;
  updated_at: string;
}

interface HistoryRow {
  seq: number;
  batch: number;
  label_id: number;
  op: 'create' | 'update' | 'delete';
  before: string | null;
  after: string | null;
}

export interface LabelWriter {
  create(d: {
    seriesId: number;
    start: number;
    end: number;
    type: string;
    note: string;
    origin: string;
    sourceRunId?: number | null;
    sourcePredictionId?: number | null;
  }): LabelRow;
  update(labelId: number, fields: { start: number; end: number; type: string; note: string; origin?: string }): void;
  delete(labelId: number): void;
}

/**
 * Label changes are recorded as batches in an append-only log. Undo and redo never delete from the
 * log: they append a batch that applies the inverse (or the original) of an earlier one. The undo and
 * redo stacks are derived by replaying the batch actions, so they survive a reopen.
 */
export class LabelHistory {
  private undoStack: number[] = [];
  private redoStack: number[] = [];
  private descriptions = new Map<number, string>();
  private lastBatch: number | null = null;

  constructor(private readonly db: Database.Database) {
    const batches = db.prepare('SELECT id, action, target, description FROM label_batches ORDER BY id').all() as {
      id: number;
      action: 'do' | 'undo' | 'redo';
      target: number | null;
      description: string;
    }[];
    for (const b of batches) this.apply(b.action, b.id, b.target, b.description);
    this.lastBatch = batches.length > 0 ? batches[batches.length - 1].id : null;
  }

  private apply(action: 'do' | 'undo' | 'redo', id: number, target: number | null, description: string): void {
    if (action === 'do') {
      this.descriptions.set(id, description);
      this.undoStack.push(id);
      this.redoStack = [];
    } else if (action === 'undo' && target !== null) {
      this.undoStack = this.undoStack.filter((b) => b !== target);
      this.redoStack.push(target);
    } else if (action === 'redo' && target !== null) {
      this.redoStack = this.redoStack.filter((b) => b !== target);
      this.undoStack.push(target);
    }
  }

  /** Runs `fn` and logs every change it makes as one batch, all in one transaction. */
  record(description: string, actor: string, fn: (tx: LabelWriter) => void): number {
    const batch = this.db.transaction(() => {
      const batchId = this.insertBatch('do', null, description, actor);
      const writer = this.writer(batchId);
      fn(writer);
      return batchId;
    })();
    this.apply('do', batch, null, description);
    this.lastBatch = batch;
    return batch;
  }

  undo(actor: string): void {
    const target = this.undoStack[this.undoStack.length - 1];
    if (target === undefined) throw new WorkbenchError('conflict', 'Nothing to undo.');
    const batch = this.db.transaction(() => {
      const batchId = this.insertBatch('undo', target, `undo ${this.descriptions.get(target) ?? ''}`.trim(), actor);
      const rows = this.rowsOf(target).reverse();
      const w = this.writer(batchId);
      for (const r of rows) {
        if (r.op === 'create') w.delete(r.label_id);
        else if (r.op === 'delete') this.restore(batchId, parseImage(r.before));
        else {
          const before = parseImage(r.before);
          w.update(r.label_id, before);
        }
      }
      return batchId;
    })();
    this.apply('undo', batch, target, '');
    this.lastBatch = batch;
  }

  redo(actor: string): void {
    const target = this.redoStack[this.redoStack.length - 1];
    if (target === undefined) throw new WorkbenchError('conflict', 'Nothing to redo.');
    const batch = this.db.transaction(() => {
      const batchId = this.insertBatch('redo', target, `redo ${this.descriptions.get(target) ?? ''}`.trim(), actor);
      const w = this.writer(batchId);
      for (const r of this.rowsOf(target)) {
        if (r.op === 'create') this.restore(batchId, parseImage(r.after));
        else if (r.op === 'delete') w.delete(r.label_id);
        else w.update(r.label_id, parseImage(r.after));
      }
      return batchId;
    })();
    this.apply('redo', batch, target, '');
    this.lastBatch = batch;
  }

  state(): HistoryState {
    const u = this.undoStack[this.undoStack.length - 1];
    const r = this.redoStack[this.redoStack.length - 1];
    return {
      canUndo: u !== undefined,
      canRedo: r !== undefined,
      undoLabel: u !== undefined ? (this.descriptions.get(u) ?? null) : null,
      redoLabel: r !== undefined ? (this.descriptions.get(r) ?? null) : null,
    };
  }

  entries(limit: number): LabelHistoryEntry[] {
    const rows = this.db
      .prepare(
        `SELECT h.seq, h.batch, b.action, h.op, h.label_id, b.description, b.at, b.actor
         FROM label_history h JOIN label_batches b ON b.id = h.batch ORDER BY h.seq DESC LIMIT ?`,
      )
      .all(limit) as {
      seq: number;
      batch: number;
      action: 'do' | 'undo' | 'redo';
      op: 'create' | 'update' | 'delete';
      label_id: number;
      description: string;
      at: string;
      actor: string;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      batch: r.batch,
      action: r.action,
      op: r.op,
      labelId: r.label_id,
      description: r.description,
      at: r.at,
      actor: r.actor,
    }));
  }

  lastTouchedSeries(): number[] {
    if (this.lastBatch === null) return [];
    const ids = new Set<number>();
    for (const r of this.rowsOf(this.lastBatch)) {
      const img = r.after ?? r.before;
      if (img) ids.add(parseImage(img).series_id);
    }
    return [...ids];
  }

  private insertBatch(action: 'do' | 'undo' | 'redo', target: number | null, description: string, actor: string): number {
    return Number(
      this.db
        .prepare('INSERT INTO label_batches(action, target, description, actor, at) VALUES (?, ?, ?, ?, ?)')
        .run(action, target, description, actor, new Date().toISOString()).lastInsertRowid,
    );
  }

  private rowsOf(batch: number): HistoryRow[] {
    return this.db.prepare('SELECT * FROM label_history WHERE batch = ? ORDER BY seq').all(batch) as HistoryRow[];
  }

  private log(batch: number, labelId: number, op: HistoryRow['op'], before: LabelRow | null, after: LabelRow | null): void {
    this.db
      .prepare('INSERT INTO label_history(batch, label_id, op, before, after) VALUES (?, ?, ?, ?, ?)')
      .run(batch, labelId, op, before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null);
  }

  private image(labelId: number): LabelRow {
    const row = this.db.prepare('SELECT * FROM labels WHERE id = ?').get(labelId) as LabelRow | undefined;
    if (!row) throw new WorkbenchError('not_found', `No label with id ${labelId}.`, { labelId });
    return row;
  }

  /** Re-inserts a label with its original id (undo of a delete, redo of a create). */
  private restore(batch: number, img: LabelRow): void {
    const exists = this.db.prepare('SELECT 1 FROM series WHERE id = ?').get(img.series_id);
    if (!exists) throw new WorkbenchError('conflict', `Cannot restore label ${img.id}: its series no longer exists.`);
    this.db
      .prepare(
        `INSERT INTO labels(id, series_id, start, end, type, note, origin, source_run_id, source_prediction_id, created_at, updated_at)
         VALUES (@id, @series_id, @start, @end, @type, @note, @origin, @source_run_id, @source_prediction_id, @created_at, @updated_at)`,
      )
      .run(img);
    this.log(batch, img.id, 'create', null, img);
  }

  private writer(batch: number): LabelWriter {
    return {
      create: (d) => {
        const ts = new Date().toISOString();
        const id = Number(
          this.db
            .prepare(
              `INSERT INTO labels(series_id, start, end, type, note, origin, source_run_id, source_prediction_id, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              d.seriesId,
              d.start,
              d.end,
              d.type,
              d.note,
              d.origin,
              d.sourceRunId ?? null,
              d.sourcePredictionId ?? null,
              ts,
              ts,
            ).lastInsertRowid,
        );
        const img = this.image(id);
        this.log(batch, id, 'create', null, img);
        return img;
      },
      update: (labelId, fields) => {
        const before = this.image(labelId);
        this.db
          .prepare('UPDATE labels SET start = ?, end = ?, type = ?, note = ?, origin = ?, updated_at = ? WHERE id = ?')
          .run(
            fields.start,
            fields.end,
            fields.type,
            fields.note,
            fields.origin ?? before.origin,
            new Date().toISOString(),
            labelId,
          );
        this.log(batch, labelId, 'update', before, this.image(labelId));
      },
      delete: (labelId) => {
        const before = this.image(labelId);
        this.db.prepare('DELETE FROM labels WHERE id = ?').run(labelId);
        this.log(batch, labelId, 'delete', before, null);
      },
    };
  }
}

function parseImage(json: string | null): LabelRow {
  if (json === null) throw new WorkbenchError('internal', 'History row is missing its label image.');
  return JSON.parse(json) as LabelRow;
}
