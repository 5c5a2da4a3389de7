import type { Migration } from './types';

/** Full-text search over label notes/types and rationale texts (SQLite FTS5, kept by triggers). */
export const migration002: Migration = {
  version: 2,
  name: 'full-text search over labels and rationales',
  up: `
    CREATE VIRTUAL TABLE label_search USING fts5(type, note, content='labels', content_rowid='id');
    INSERT INTO label_search(rowid, type, note) SELECT id, type, note FROM labels;
    CREATE TRIGGER labels_search_ai AFTER INSERT ON labels BEGIN
      INSERT INTO label_search(rowid, type, note) VALUES (new.id, new.type, new.note);
    END;
    CREATE TRIGGER labels_search_ad AFTER DELETE ON labels BEGIN
      INSERT INTO label_search(label_search, rowid, type, note) VALUES ('delete', old.id, old.type, old.note);
    END;
    CREATE TRIGGER labels_search_au AFTER UPDATE ON labels BEGIN
      INSERT INTO label_search(label_search, rowid, type, note) VALUES ('delete', old.id, old.type, old.note);
      INSERT INTO label_search(rowid, type, note) VALUES (new.id, new.type, new.note);
    END;

    CREATE VIRTUAL TABLE rationale_search USING fts5(text, content='rationales', content_rowid='id');
    INSERT INTO rationale_search(rowid, text) SELECT id, text FROM rationales;
    CREATE TRIGGER rationales_search_ai AFTER INSERT ON rationales BEGIN
      INSERT INTO rationale_search(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER rationales_search_ad AFTER DELETE ON rationales BEGIN
      INSERT INTO rationale_search(rationale_search, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER rationales_search_au AFTER UPDATE ON rationales BEGIN
      INSERT INTO rationale_search(rationale_search, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO rationale_search(rowid, text) VALUES (new.id, new.text);
    END;
  `,
};
