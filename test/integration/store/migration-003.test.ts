import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, ProjectStore } from '../../../main/store';
import { rawDatabase } from '../../../main/store/testing';
import { makeTempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

describe('migration 3 (run lifecycle)', () => {
  it('keeps every run with its scores and predictions, backfills the finished series, and a left-over running run becomes interrupted', () => {
    const file = path.join(tmp.dir, 'v2.tsad.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    expect(migrate(db, 2)).toBe(2);
    db.prepare("INSERT INTO meta(key, value) VALUES ('app', 'tsad-workbench')").run();
    db.prepare("INSERT INTO datasets(id, name, imported_at, row_count) VALUES (1, 'd', 'now', 4)").run();
    for (const id of [1, 2])
      db.prepare("INSERT INTO series(id, dataset_id, name, position, length, chunk_size) VALUES (?, 1, 's', 0, 4, 65536)").run(
        id,
      );
    db.prepare(
      "INSERT INTO runs(id, detector, status, created_at) VALUES (1, 'poly', 'done', 'then'), (2, 'sr', 'running', 'then')",
    ).run();
    db.prepare('INSERT INTO run_scores(run_id, series_id, chunk, data) VALUES (1, 1, 0, ?), (1, 2, 0, ?), (2, 1, 0, ?)').run(
      Buffer.alloc(16),
      Buffer.alloc(16),
      Buffer.alloc(16),
    );
    db.prepare('INSERT INTO predictions(run_id, series_id, start, end) VALUES (1, 1, 0, 2), (2, 1, 1, 3)').run();
    db.close();

    const store = ProjectStore.open(file);
    const raw = rawDatabase(store);
    const [done, stuck] = store.runs.list();
    expect(done).toMatchObject({ status: 'done', seriesIds: [1, 2], missingSeriesIds: [], predictionCount: 1 });
    // written by a version without owners: nobody can still be running it
    expect(stuck).toMatchObject({ status: 'interrupted', seriesIds: [1], predictionCount: 1 });
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    // the widened CHECK still refuses unknown statuses, and deleting a run still cascades
    expect(() => raw.prepare("UPDATE runs SET status = 'bogus' WHERE id = 1").run()).toThrow(/CHECK/);
    store.runs.delete(1);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM run_scores WHERE run_id = 1').get()).toEqual({ n: 0 });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM run_series WHERE run_id = 1').get()).toEqual({ n: 0 });
    store.close();
  });
});
