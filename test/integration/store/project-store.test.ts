import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import { ProjectStore, SCHEMA_VERSION } from '../../../main/store';
import { VALUE_CHUNK } from '../../../main/store/chunks';
import { makeTempDir } from '../../helpers/tmp';
import { rawDatabase } from '../../../main/store/testing';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

function sineDataset(n: number) {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i / 10);
  values[5] = NaN;
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) time[i] = Date.UTC(2024, 0, 1) + i * 60_000;
  return {
    name: 'sine',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time,
    columns: [
      { name: 'a', values },
      { name: 'b', values: values.map((v) => v * 2) },
    ],
  };
}

describe('ProjectStore', () => {
  it('creates a WAL-mode project file with foreign keys on and the latest schema', () => {
    const file = path.join(tmp.dir, 'p.tsad.sqlite');
    const store = ProjectStore.create(file);
    expect(rawDatabase(store).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(rawDatabase(store).pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    store.close();
    expect(() => ProjectStore.create(file)).toThrow(/already exists/);
  });

  it('refuses files that are not projects, and missing files, with clear errors', () => {
    const notDb = path.join(tmp.dir, 'x.tsad.sqlite');
    fs.writeFileSync(notDb, 'hello, I am text');
    expect(() => ProjectStore.open(notDb)).toThrow(/not a/);
    const otherDb = path.join(tmp.dir, 'other.sqlite');
    new Database(otherDb).exec('CREATE TABLE t(x)');
    expect(() => ProjectStore.open(otherDb)).toThrow(/not a TSAD Workbench project/);
    expect(() => ProjectStore.open(path.join(tmp.dir, 'missing.tsad.sqlite'))).toThrow(/No project file/);
  });

  it('stores series values and time as chunked blobs that read back bit-exact, NaN included', () => {
    const file = path.join(tmp.dir, 'p.tsad.sqlite');
    const store = ProjectStore.create(file);
    const n = VALUE_CHUNK * 2 + 5; // three chunks, the last one short
    const ds = sineDataset(n);
    const { seriesIds } = store.insertDataset(ds);
    store.close();
    const reopened = ProjectStore.open(file);
    const a = reopened.loadValues(seriesIds[0]);
    expect(a.length).toBe(n);
    expect(Number.isNaN(a[5])).toBe(true);
    expect(a[n - 1]).toBe(Math.sin((n - 1) / 10));
    expect(a[VALUE_CHUNK]).toBe(Math.sin(VALUE_CHUNK / 10));
    expect(reopened.loadValues(seriesIds[1])[10]).toBe(2 * Math.sin(1));
    expect(reopened.loadTime(seriesIds[0])?.[3]).toBe(Date.UTC(2024, 0, 1) + 3 * 60_000);
    const info = reopened.getSeries(seriesIds[0]);
    expect(info).toMatchObject({ length: n, missing: 1, labelCount: 0 });
    expect(info.min).toBeCloseTo(-1, 6);
    expect(info.max).toBeCloseTo(1, 6);
    reopened.close();
  });

  it('imports labels that come with the data as origin "imported", in the same transaction', () => {
    const store = ProjectStore.create(path.join(tmp.dir, 'p.tsad.sqlite'));
    const ds = { ...sineDataset(100), labels: [{ series: null, intervals: [{ start: 10, end: 20 }] }] };
    const { seriesIds } = store.insertDataset(ds);
    for (const id of seriesIds) expect(store.listLabels(id)).toMatchObject([{ start: 10, end: 20, origin: 'imported' }]);
    // a bad label interval rolls back the whole dataset
    const bad = { ...sineDataset(100), name: 'bad', labels: [{ series: 'a', intervals: [{ start: 90, end: 120 }] }] };
    expect(() => store.insertDataset(bad)).toThrow(/past the end/);
    expect(store.listDatasets().map((d) => d.name)).toEqual(['sine']);
    store.close();
  });

  it('creates, edits, deletes labels and undoes/redoes each step from the history', () => {
    const file = path.join(tmp.dir, 'p.tsad.sqlite');
    const store = ProjectStore.create(file);
    const [sid] = store.insertDataset(sineDataset(1000)).seriesIds;
    const [l] = store.createLabels([{ seriesId: sid, start: 100, end: 150, type: 'level-shift', note: 'step' }]);
    store.updateLabel(l.id, { end: 180, note: 'wider' });
    store.deleteLabels([l.id]);
    expect(store.listLabels(sid)).toEqual([]);

    store.undo(); // delete undone
    expect(store.listLabels(sid)).toMatchObject([{ id: l.id, start: 100, end: 180, note: 'wider' }]);
    store.undo(); // edit undone
    expect(store.listLabels(sid)).toMatchObject([{ id: l.id, end: 150, note: 'step' }]);
    store.undo(); // create undone
    expect(store.listLabels(sid)).toEqual([]);
    expect(store.historyState()).toMatchObject({ canUndo: false, canRedo: true });
    expect(() => store.undo()).toThrow(/Nothing to undo/);

    store.redo();
    store.redo();
    expect(store.listLabels(sid)).toMatchObject([{ id: l.id, end: 180 }]);
    store.close();

    // the stacks are derived from the log, so they survive a reopen
    const again = ProjectStore.open(file);
    expect(again.historyState()).toMatchObject({ canUndo: true, canRedo: true, redoLabel: 'delete label' });
    again.redo();
    expect(again.listLabels(sid)).toEqual([]);
    // a new change clears the redo stack
    again.undo();
    again.createLabels([{ seriesId: sid, start: 1, end: 2 }]);
    expect(again.historyState().canRedo).toBe(false);
    again.close();
  });

  it('keeps the label history append-only', () => {
    const store = ProjectStore.create(path.join(tmp.dir, 'p.tsad.sqlite'));
    const [sid] = store.insertDataset(sineDataset(100)).seriesIds;
    store.createLabels([{ seriesId: sid, start: 1, end: 5 }]);
    expect(() => rawDatabase(store).prepare('DELETE FROM label_history').run()).toThrow(/append-only/);
    expect(() => rawDatabase(store).prepare("UPDATE label_batches SET description = 'x'").run()).toThrow(/append-only/);
    expect(store.historyEntries()).toHaveLength(1);
    store.close();
  });

  it('rejects inverted, empty and out-of-range intervals and unknown ids without writing anything', () => {
    const store = ProjectStore.create(path.join(tmp.dir, 'p.tsad.sqlite'));
    const [sid] = store.insertDataset(sineDataset(100)).seriesIds;
    const before = store.historyEntries().length;
    expect(() => store.createLabels([{ seriesId: sid, start: 50, end: 40 }])).toThrow(WorkbenchError);
    expect(() => store.createLabels([{ seriesId: sid, start: 50, end: 50 }])).toThrow(/start < end/);
    expect(() => store.createLabels([{ seriesId: sid, start: 90, end: 101 }])).toThrow(/past the end/);
    expect(() => store.createLabels([{ seriesId: 999, start: 1, end: 2 }])).toThrow(/No series/);
    // a batch with one bad label writes none of them
    expect(() =>
      store.createLabels([
        { seriesId: sid, start: 1, end: 2 },
        { seriesId: sid, start: 1, end: 200 },
      ]),
    ).toThrow();
    expect(store.listLabels(sid)).toEqual([]);
    expect(store.historyEntries().length).toBe(before);
    expect(() => store.updateLabel(12345, { end: 3 })).toThrow(/No label/);
    store.close();
  });
});
