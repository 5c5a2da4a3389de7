export interface Migration {
  /** equals the database's `PRAGMA user_version` once applied */
  version: number;
  name: string;
  /** SQL run inside the migration's transaction */
  up: string;
}
