import type Database from 'better-sqlite3';
import type { RationaleStore } from './rationale-store';
import type { AnomalyType } from '../../common/domain';
import type { PredictionRecord, PredictionStatus, RunOwner, RunRecord, RunStatus } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import { redactSecrets } from '../security/redact';
import { chunkBlobs, joinFloat32 } from './chunks';
import { ownerGone, thisOwner } from './owner';

export type { PredictionRecord, PredictionStatus, RunOwner, RunRecord, RunStatus };

export interface NewPrediction {
  start: number;
  end: number;
  score: number | null;
  type?: AnomalyType | null;
  /** a rationale stored with the prediction (e.g. why the verifier kept it), shown beside its card and checked */
  rationale?: { source: string; text: string; detail: Record<string, unknown> };
}

interface RunRow {
  id: number;
  detector: string;
  detector_version: string;
  params: string;
  model_id: number | null;
  execution: string;
  status: RunStatus;
  created_at: string;
  finished_at: string | null;
  timings: string;
  error: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  owner_started_at: string | null;
  heartbeat_at: string | null;
}

/**
 * A run that looks finished but is not: running, interrupted, or done with series missing. Evaluate and
 * export refuse these unless asked for partial results. A failed or cancelled run says so already and is
 * not refused (it can still be resumed).
 */
export function isPartialRun(run: RunRecord): boolean {
  return run.status === 'running' || run.status === 'interrupted' || (run.status === 'done' && run.missingSeriesIds.length > 0);
}

/** "Run 3 is interrupted: it covers 4 of 8 series (missing 5, 6, 7, 8)" */
export function describeCoverage(run: RunRecord): string {
  const planned = run.plannedSeriesIds.length || run.seriesIds.length;
  const missing = run.missingSeriesIds;
  const list = missing.length > 12 ? `${missing.slice(0, 12).join(', ')}, …` : missing.join(', ');
  return `Run ${run.id} is ${run.status}: it covers ${run.seriesIds.length} of ${planned} series${missing.length > 0 ? ` (missing ${list})` : ''}`;
}

/** Throws a clear conflict error for a partial run unless partial results were asked for. */
export function assertCompleteRun(run: RunRecord, allowPartial: boolean | undefined, how: string): void {
  if (allowPartial || !isPartialRun(run)) return;
  throw new WorkbenchError(
    'conflict',
    `${describeCoverage(run)}. Resume it to score the missing series, or ${how} to use the partial result.`,
    { runId: run.id, status: run.status, seriesIds: run.seriesIds, missingSeriesIds: run.missingSeriesIds },
  );
}

/** Runs (one detector over some series), their score lanes and predicted intervals. */
export class RunStore {
  /** recently read score lanes (views ask for the same lane on every zoom) */
  private readonly laneCache = new Map<string, Float32Array>();

  constructor(
    private readonly db: Database.Database,
    /** where a prediction's own rationale goes (the rationales table has one owner) */
    private readonly rationales: RationaleStore,
    /** throws when the project is open read-only */
    private readonly assertWritable: () => void = () => undefined,
  ) {}

  create(input: {
    detector: string;
    detectorVersion: string;
    params: Record<string, unknown>;
    modelId?: number | null;
    execution?: Record<string, unknown>;
    /** the series the run will cover (recorded as pending; each turns done with its result) */
    seriesIds?: number[];
  }): number {
    this.assertWritable();
    const owner = thisOwner();
    const at = new Date().toISOString();
    return this.db.transaction(() => {
      const runId = Number(
        this.db
          .prepare(
            `INSERT INTO runs(detector, detector_version, params, model_id, execution, status, created_at,
                              owner_pid, owner_host, owner_started_at, heartbeat_at)
             VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
          )
          .run(
            input.detector,
            input.detectorVersion,
            JSON.stringify(input.params),
            input.modelId ?? null,
            JSON.stringify(input.execution ?? {}),
            at,
            owner.pid,
            owner.host,
            at,
            at,
          ).lastInsertRowid,
      );
      const plan = this.db.prepare("INSERT OR IGNORE INTO run_series(run_id, series_id, state) VALUES (?, ?, 'pending')");
      for (const seriesId of input.seriesIds ?? []) plan.run(runId, seriesId);
      return runId;
    })();
  }

  /** The running process is alive: refreshes the run's heartbeat. */
  heartbeat(runId: number): void {
    this.assertWritable();
    this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'").run(new Date().toISOString(), runId);
  }

  /**
   * Takes an interrupted (or failed, cancelled) run back up in this process to score its missing series:
   * status running, this process as owner. Returns the series still to score.
   */
  claim(runId: number): number[] {
    this.assertWritable();
    const run = this.get(runId);
    if (run.status === 'running')
      throw new WorkbenchError('conflict', `Run ${runId} is still running (pid ${run.owner?.pid} on ${run.owner?.host}).`, {
        runId,
      });
    if (run.status === 'done' && run.missingSeriesIds.length === 0)
      throw new WorkbenchError('conflict', `Run ${runId} is complete: there is nothing to resume.`, { runId });
    const owner = thisOwner();
    const at = new Date().toISOString();
    this.db
      .prepare(
        `UPDATE runs SET status = 'running', finished_at = NULL, error = NULL, owner_pid = ?, owner_host = ?,
                owner_started_at = ?, heartbeat_at = ? WHERE id = ?`,
      )
      .run(owner.pid, owner.host, at, at, runId);
    return run.missingSeriesIds;
  }

  /**
   * Marks every `running` run whose owner process is gone (killed, crashed, or silent for too long) as
   * `interrupted`, keeping the series that finished. Returns the ids it marked.
   */
  recoverInterrupted(): number[] {
    const rows = this.db.prepare("SELECT * FROM runs WHERE status = 'running'").all() as RunRow[];
    const gone = rows.filter((r) => ownerGone(ownerOf(r)));
    const mark = this.db.prepare(
      "UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
    );
    this.db.transaction(() => {
      for (const r of gone) {
        const o = ownerOf(r);
        mark.run(
          new Date().toISOString(),
          o
            ? `The process running it (pid ${o.pid} on ${o.host}) ended before it finished.`
            : 'The process running it ended before it finished.',
          r.id,
        );
      }
    })();
    return gone.map((r) => r.id);
  }

  /** Stores one series' score lane and predicted intervals, replacing any earlier result, in one transaction. */
  saveSeriesResult(runId: number, seriesId: number, scores: Float32Array, predictions: NewPrediction[]): void {
    this.assertWritable();
    const length = this.db.prepare('SELECT length FROM series WHERE id = ?').get(seriesId) as { length: number } | undefined;
    if (!length) throw new WorkbenchError('not_found', `No series with id ${seriesId}.`, { seriesId });
    if (scores.length !== length.length) {
      throw new WorkbenchError(
        'invalid_input',
        `Score lane has ${scores.length} points; series ${seriesId} has ${length.length}.`,
      );
    }
    const insertScore = this.db.prepare('INSERT INTO run_scores(run_id, series_id, chunk, data) VALUES (?, ?, ?, ?)');
    const insertPrediction = this.db.prepare(
      'INSERT INTO predictions(run_id, series_id, start, end, score, type) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.laneCache.delete(`${runId}:${seriesId}`);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_scores WHERE run_id = ? AND series_id = ?').run(runId, seriesId);
      this.db.prepare('DELETE FROM predictions WHERE run_id = ? AND series_id = ?').run(runId, seriesId);
      for (const [c, blob] of chunkBlobs(scores)) insertScore.run(runId, seriesId, c, blob);
      this.db
        .prepare(
          "INSERT INTO run_series(run_id, series_id, state) VALUES (?, ?, 'done') ON CONFLICT DO UPDATE SET state = 'done'",
        )
        .run(runId, seriesId);
      for (const p of predictions) {
        const predictionId = insertPrediction.run(
          runId,
          seriesId,
          p.start,
          p.end,
          p.score !== null && Number.isFinite(p.score) ? p.score : null,
          p.type ?? null,
        ).lastInsertRowid;
        if (p.rationale) {
          this.rationales.add([
            {
              seriesId,
              start: p.start,
              end: p.end,
              predictionId: Number(predictionId),
              source: p.rationale.source,
              detail: p.rationale.detail,
              type: p.type ?? null,
              text: p.rationale.text,
            },
          ]);
        }
      }
    })();
  }

  /**
   * The project's record of a learned model version a run used (the bundle's models manifest): one row per
   * NAME@VERSION, kept when the model file later moves or disappears. Returns its id.
   */
  recordModel(model: { name: string; version: string; path: string; sha256: string | null; card: unknown }): number {
    this.assertWritable();
    this.db
      .prepare(
        `INSERT INTO models(name, version, path, sha256, card, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(name, version) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, card = excluded.card`,
      )
      .run(model.name, model.version, model.path, model.sha256, JSON.stringify(model.card), new Date().toISOString());
    const row = this.db.prepare('SELECT id FROM models WHERE name = ? AND version = ?').get(model.name, model.version) as {
      id: number;
    };
    return row.id;
  }

  finish(
    runId: number,
    status: Exclude<RunStatus, 'queued' | 'running'>,
    extra: { timings?: Record<string, number>; error?: string | null; execution?: Record<string, unknown> } = {},
  ): void {
    this.assertWritable();
    const current = this.get(runId);
    this.db.prepare('UPDATE runs SET status = ?, finished_at = ?, timings = ?, error = ?, execution = ? WHERE id = ?').run(
      status,
      new Date().toISOString(),
      JSON.stringify(extra.timings ?? current.timings),
      // an endpoint's error may echo the key it was sent: the project never stores it
      extra.error === undefined || extra.error === null ? null : redactSecrets(extra.error),
      JSON.stringify({ ...current.execution, ...(extra.execution ?? {}) }),
      runId,
    );
  }

  get(runId: number): RunRecord {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new WorkbenchError('not_found', `No run with id ${runId}.`, { runId });
    return this.record(row);
  }

  list(): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]).map((r) => this.record(r));
  }

  delete(runId: number): void {
    this.assertWritable();
    this.get(runId);
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    for (const key of [...this.laneCache.keys()]) if (key.startsWith(`${runId}:`)) this.laneCache.delete(key);
  }

  predictions(filter: { runId?: number; seriesId?: number }): PredictionRecord[] {
    const where: string[] = [];
    const args: number[] = [];
    if (filter.runId !== undefined) {
      where.push('run_id = ?');
      args.push(filter.runId);
    }
    if (filter.seriesId !== undefined) {
      where.push('series_id = ?');
      args.push(filter.seriesId);
    }
    // "accepted" is derived from the labels, so undoing an acceptance (a label change) un-accepts it
    const rows = this.db
      .prepare(
        `SELECT p.id, p.run_id, p.series_id, p.start, p.end, p.score, p.type,
                CASE WHEN EXISTS (SELECT 1 FROM labels l WHERE l.source_prediction_id = p.id) THEN 'accepted' ELSE p.status END AS status
         FROM predictions p ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY p.series_id, p.start, p.id`,
      )
      .all(...args) as {
      id: number;
      run_id: number;
      series_id: number;
      start: number;
      end: number;
      score: number | null;
      type: string | null;
      status: PredictionStatus;
    }[];
    return rows.map((r) => ({
      id: r.id,
      runId: r.run_id,
      seriesId: r.series_id,
      start: r.start,
      end: r.end,
      score: r.score,
      type: r.type as AnomalyType | null,
      status: r.status,
    }));
  }

  /** Marks predictions rejected or unreviewed (acceptance is recorded as labels, see ProjectStore.acceptPredictions). */
  setPredictionStatus(predictionIds: number[], status: 'rejected' | 'unreviewed'): void {
    this.assertWritable();
    const stmt = this.db.prepare('UPDATE predictions SET status = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of predictionIds) {
        if (stmt.run(status, id).changes === 0)
          throw new WorkbenchError('not_found', `No prediction with id ${id}.`, { predictionId: id });
      }
    })();
  }

  predictionSeries(predictionId: number): number {
    const row = this.db.prepare('SELECT series_id FROM predictions WHERE id = ?').get(predictionId) as
      { series_id: number } | undefined;
    if (!row) throw new WorkbenchError('not_found', `No prediction with id ${predictionId}.`, { predictionId });
    return row.series_id;
  }

  /** The run's score lane for a series (one score per point), or null when the run did not cover it. */
  loadScores(runId: number, seriesId: number): Float32Array | null {
    const key = `${runId}:${seriesId}`;
    const cached = this.laneCache.get(key);
    if (cached) return cached;
    const chunks = this.db
      .prepare('SELECT chunk, data FROM run_scores WHERE run_id = ? AND series_id = ? ORDER BY chunk')
      .all(runId, seriesId) as { chunk: number; data: Buffer }[];
    if (chunks.length === 0) return null;
    const total = chunks.reduce((a, c) => a + c.data.byteLength, 0) / 4;
    const lane = joinFloat32(chunks, total);
    this.laneCache.set(key, lane);
    if (this.laneCache.size > 8) this.laneCache.delete(this.laneCache.keys().next().value as string);
    return lane;
  }

  private record(row: RunRow): RunRecord {
    const series = this.db
      .prepare('SELECT DISTINCT series_id FROM run_scores WHERE run_id = ? ORDER BY series_id')
      .all(row.id) as { series_id: number }[];
    const count = this.db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(row.id) as { n: number };
    const plan = this.db.prepare('SELECT series_id, state FROM run_series WHERE run_id = ? ORDER BY series_id').all(row.id) as {
      series_id: number;
      state: string;
    }[];
    const owner = ownerOf(row);
    // read-only projects are not recovered on open: a running run whose owner is gone still reads as interrupted
    const status: RunStatus = row.status === 'running' && ownerGone(owner) ? 'interrupted' : row.status;
    return {
      id: row.id,
      detector: row.detector,
      detectorVersion: row.detector_version,
      params: JSON.parse(row.params) as Record<string, unknown>,
      modelId: row.model_id,
      execution: JSON.parse(row.execution) as Record<string, unknown>,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      timings: JSON.parse(row.timings) as Record<string, number>,
      error: row.error,
      seriesIds: series.map((s) => s.series_id),
      predictionCount: count.n,
      plannedSeriesIds: plan.length > 0 ? plan.map((p) => p.series_id) : series.map((s) => s.series_id),
      missingSeriesIds: plan.filter((p) => p.state !== 'done').map((p) => p.series_id),
      owner,
      status,
    };
  }
}

function ownerOf(row: RunRow): RunOwner | null {
  if (row.owner_pid === null || row.owner_host === null) return null;
  return {
    pid: row.owner_pid,
    host: row.owner_host,
    startedAt: row.owner_started_at ?? row.created_at,
    heartbeatAt: row.heartbeat_at,
  };
}
