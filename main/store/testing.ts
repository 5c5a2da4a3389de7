import type Database from 'better-sqlite3';
import type { ProjectStore } from './project-store';

/**
 * The store's SQLite connection, for tests that check the file itself (pragmas, triggers, raw rows).
 * Application code goes through the store's methods; ESLint keeps this module out of main/ outside store/.
 */
export function rawDatabase(store: ProjectStore): Database.Database {
  return store['db'];
}
