import type { Migration } from './types';

/** The first schema. Shipped: never edit; add a new numbered migration instead. */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up: `
    CREATE TABLE meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    CREATE TABLE datasets (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      source_path TEXT,
      source_hash TEXT,
      source_size INTEGER,
      imported_at TEXT NOT NULL,
      row_count   INTEGER NOT NULL CHECK (row_count >= 0),
      has_time    INTEGER NOT NULL DEFAULT 0,
      options     TEXT NOT NULL DEFAULT '{}'
    );

    -- epoch milliseconds per row, Float64 chunks; absent when the dataset has no time axis
    CREATE TABLE dataset_time_chunks (
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      chunk      INTEGER NOT NULL,
      data       BLOB NOT NULL,
      PRIMARY KEY (dataset_id, chunk)
    ) WITHOUT ROWID;

    CREATE TABLE series (
      id         INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      name       TEXT NOT NULL,
      position   INTEGER NOT NULL,
      length     INTEGER NOT NULL CHECK (length >= 0),
      missing    INTEGER NOT NULL DEFAULT 0,
      min        REAL,
      max        REAL,
      chunk_size INTEGER NOT NULL
    );
    CREATE INDEX series_dataset ON series(dataset_id);

    -- values, Float64 chunks (NaN = missing)
    CREATE TABLE series_chunks (
      series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
      chunk     INTEGER NOT NULL,
      data      BLOB NOT NULL,
      PRIMARY KEY (series_id, chunk)
    ) WITHOUT ROWID;

    CREATE TABLE models (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      version    TEXT NOT NULL,
      path       TEXT,
      sha256     TEXT,
      card       TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      UNIQUE (name, version)
    );

    CREATE TABLE runs (
      id               INTEGER PRIMARY KEY,
      detector         TEXT NOT NULL,
      detector_version TEXT NOT NULL DEFAULT '',
      params           TEXT NOT NULL DEFAULT '{}',
      model_id         INTEGER REFERENCES models(id) ON DELETE SET NULL,
      execution        TEXT NOT NULL DEFAULT '{}',
      status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
      created_at       TEXT NOT NULL,
      finished_at      TEXT,
      timings          TEXT NOT NULL DEFAULT '{}',
      error            TEXT
    );

    -- one score lane per (run, series), Float32 chunks
    CREATE TABLE run_scores (
      run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
      chunk     INTEGER NOT NULL,
      data      BLOB NOT NULL,
      PRIMARY KEY (run_id, series_id, chunk)
    ) WITHOUT ROWID;

    CREATE TABLE predictions (
      id        INTEGER PRIMARY KEY,
      run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
      start     INTEGER NOT NULL,
      end       INTEGER NOT NULL,
      score     REAL,
      type      TEXT,
      status    TEXT NOT NULL DEFAULT 'unreviewed'
                CHECK (status IN ('unreviewed', 'accepted', 'rejected', 'edited')),
      CHECK (start >= 0 AND end > start)
    );
    CREATE INDEX predictions_series ON predictions(series_id, start);
    CREATE INDEX predictions_run ON predictions(run_id);

    -- human truth; intervals are half-open [start, end)
    CREATE TABLE labels (
      id                   INTEGER PRIMARY KEY,
      series_id            INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
      start                INTEGER NOT NULL,
      end                  INTEGER NOT NULL,
      type                 TEXT NOT NULL,
      note                 TEXT NOT NULL DEFAULT '',
      origin               TEXT NOT NULL CHECK (origin IN ('drawn', 'imported', 'accepted', 'edited')),
      source_run_id        INTEGER,
      source_prediction_id INTEGER,
      created_at           TEXT NOT NULL,
      updated_at           TEXT NOT NULL,
      CHECK (start >= 0 AND end > start)
    );
    CREATE INDEX labels_series ON labels(series_id, start);

    -- append-only history of label changes: undo/redo and audit read from it
    CREATE TABLE label_batches (
      id          INTEGER PRIMARY KEY,
      action      TEXT NOT NULL CHECK (action IN ('do', 'undo', 'redo')),
      target      INTEGER REFERENCES label_batches(id),
      description TEXT NOT NULL,
      actor       TEXT NOT NULL,
      at          TEXT NOT NULL
    );
    CREATE TABLE label_history (
      seq      INTEGER PRIMARY KEY AUTOINCREMENT,
      batch    INTEGER NOT NULL REFERENCES label_batches(id),
      label_id INTEGER NOT NULL,
      op       TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
      before   TEXT,
      after    TEXT
    );
    CREATE INDEX label_history_batch ON label_history(batch);
    CREATE TRIGGER label_history_append_only_u BEFORE UPDATE ON label_history
      BEGIN SELECT RAISE(ABORT, 'label_history is append-only'); END;
    CREATE TRIGGER label_history_append_only_d BEFORE DELETE ON label_history
      BEGIN SELECT RAISE(ABORT, 'label_history is append-only'); END;
    CREATE TRIGGER label_batches_append_only_u BEFORE UPDATE ON label_batches
      BEGIN SELECT RAISE(ABORT, 'label_batches is append-only'); END;
    CREATE TRIGGER label_batches_append_only_d BEFORE DELETE ON label_batches
      BEGIN SELECT RAISE(ABORT, 'label_batches is append-only'); END;

    CREATE TABLE rationales (
      id            INTEGER PRIMARY KEY,
      series_id     INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
      start         INTEGER NOT NULL,
      end           INTEGER NOT NULL,
      label_id      INTEGER,
      prediction_id INTEGER REFERENCES predictions(id) ON DELETE CASCADE,
      source        TEXT NOT NULL,
      source_detail TEXT NOT NULL DEFAULT '{}',
      anomaly_type  TEXT,
      confidence    REAL,
      text          TEXT NOT NULL,
      evidence      TEXT NOT NULL DEFAULT '{}',
      reward        TEXT NOT NULL DEFAULT '{}',
      edited        INTEGER NOT NULL DEFAULT 0,
      created_at    TEXT NOT NULL,
      CHECK (start >= 0 AND end > start)
    );
    CREATE INDEX rationales_series ON rationales(series_id, start);
  `,
};
