import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, ProjectStore, SCHEMA_VERSION } from '../../../main/store';
import { makeTempDir } from '../../helpers/tmp';
import { rawDatabase } from '../../../main/store/testing';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('migrate an old (version 1) project file with data to the latest schema, keeping its labels', () => {
    const file = path.join(tmp.dir, 'old.tsad.sqlite');
    // Write a file the way version 1 of the app did.
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    expect(migrate(db, 1)).toBe(1);
    db.prepare("INSERT INTO meta(key, value) VALUES ('app', 'tsad-workbench')").run();
    db.prepare("INSERT INTO datasets(id, name, imported_at, row_count) VALUES (1, 'd', 'now', 10)").run();
    db.prepare("INSERT INTO series(id, dataset_id, name, position, length, chunk_size) VALUES (1, 1, 's', 0, 10, 65536)").run();
    db.prepare('INSERT INTO series_chunks(series_id, chunk, data) VALUES (1, 0, ?)').run(
      Buffer.from(new Float64Array(10).buffer),
    );
    db.prepare(
      "INSERT INTO labels(series_id, start, end, type, note, origin, created_at, updated_at) VALUES (1, 2, 4, 'level-shift', 'pump failure', 'drawn', 'now', 'now')",
    ).run();
    db.close();

    const store = ProjectStore.open(file);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.listLabels(1)).toMatchObject([{ start: 2, end: 4, note: 'pump failure' }]);
    // migration 2 indexed the existing label for full-text search
    const hits = rawDatabase(store).prepare("SELECT rowid FROM label_search WHERE label_search MATCH 'pump'").all();
    expect(hits).toEqual([{ rowid: 1 }]);
    // and keeps the index in step with later edits
    store.createLabels([{ seriesId: 1, start: 5, end: 6, note: 'valve stuck' }]);
    expect(rawDatabase(store).prepare("SELECT count(*) AS n FROM label_search WHERE label_search MATCH 'valve'").get()).toEqual({
      n: 1,
    });
    store.close();
  });

  it('refuses a project written by a newer schema', () => {
    const file = path.join(tmp.dir, 'new.tsad.sqlite');
    ProjectStore.create(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => ProjectStore.open(file)).toThrow(/newer version/);
  });
});
