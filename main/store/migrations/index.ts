import type Database from 'better-sqlite3';
import { WorkbenchError } from '../../../common/errors';
import { migration001 } from './001-initial';
import { migration002 } from './002-text-search';
import { migration003 } from './003-run-lifecycle';
import type { Migration } from './types';

export type { Migration };

/** Every migration, in order. Append only; a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Applies the migrations after the file's current version, each in its own transaction. */
export function migrate(db: Database.Database, upTo: number = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new WorkbenchError(
      'unsupported',
      `This project was written by a newer version of the workbench (schema ${current}; this version knows up to ${SCHEMA_VERSION}).`,
      { schemaVersion: current },
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue;
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.up);
        m.apply?.(db);
        if (m.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${m.version} broke ${broken.length} foreign key(s)`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.foreignKeysOff) db.pragma('foreign_keys = ON');
    }
  }
  return db.pragma('user_version', { simple: true }) as number;
}
