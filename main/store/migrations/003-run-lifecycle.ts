import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * Runs that survive a crash: an owner (pid, host, start) and a heartbeat, the status `interrupted`, and
 * the series a run was asked to cover with which of them finished (`run_series`), so a run killed midway
 * keeps what finished and Resume scores only the rest.
 */
export const migration003: Migration = {
  version: 3,
  name: 'run owner, heartbeat, interrupted status and per-series state',
  foreignKeysOff: true,
  up: `
    CREATE TABLE run_series (
      run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
      state     TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
      PRIMARY KEY (run_id, series_id)
    ) WITHOUT ROWID;
  `,
  apply: (db) => {
    widenRunStatus(db);
    db.exec(`
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE runs ADD COLUMN owner_host TEXT;
      ALTER TABLE runs ADD COLUMN owner_started_at TEXT;
      ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
      -- runs from before this migration: every series with a score lane is done
      INSERT INTO run_series(run_id, series_id, state) SELECT DISTINCT run_id, series_id, 'done' FROM run_scores;
    `);
  },
};

/**
 * Rebuilds `runs` with 'interrupted' allowed in its status CHECK, copying every column the table has now
 * (so a column another migration added survives), per SQLite's twelve-step ALTER TABLE procedure.
 */
function widenRunStatus(db: Database.Database): void {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get() as { sql: string };
  const check = /CHECK\s*\(\s*status\s+IN\s*\(([^)]*)\)\s*\)/i;
  const match = check.exec(row.sql);
  if (!match) throw new Error('runs.status has no CHECK (status IN (...)) to widen');
  if (/'interrupted'/.test(match[1])) return;
  const widened = row.sql
    .replace(check, `CHECK (status IN (${match[1].trim()}, 'interrupted'))`)
    .replace(/^CREATE TABLE\s+"?runs"?/i, 'CREATE TABLE runs_rebuilt');
  const columns = (db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
  const indexes = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL")
    .all() as { sql: string }[];
  db.exec(widened);
  db.exec(`INSERT INTO runs_rebuilt(${columns}) SELECT ${columns} FROM runs`);
  db.exec('DROP TABLE runs');
  db.exec('ALTER TABLE runs_rebuilt RENAME TO runs');
  for (const i of indexes) db.exec(i.sql);
}
