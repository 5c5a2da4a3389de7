import type Database from 'better-sqlite3';

export interface Migration {
  /** equals the database's `PRAGMA user_version` once applied */
  version: number;
  name: string;
  /** SQL run inside the migration's transaction */
  up: string;
  /** code run inside the same transaction after `up` (for changes plain SQL cannot express, e.g. a table rebuild) */
  apply?: (db: Database.Database) => void;
  /**
   * Rebuilds a table other tables reference: foreign keys are switched off around the transaction (as
   * SQLite's ALTER TABLE procedure asks, so dropping the old table cascades nothing) and checked before commit.
   */
  foreignKeysOff?: boolean;
}
