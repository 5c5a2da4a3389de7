import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store';
import { makeTempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
let store: ProjectStore;
let seriesId: number;

beforeEach(() => {
  tmp = makeTempDir('tsad-rationales-');
  store = ProjectStore.create(path.join(tmp.dir, 'p.tsad.sqlite'));
  ({
    seriesIds: [seriesId],
  } = store.insertDataset({
    name: 'd',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'v', values: new Float64Array(500) }],
  }));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('rationale store', () => {
  it('keeps the newest analyst edit per interval, apart from model rationales', () => {
    store.rationales.add([
      { seriesId, start: 100, end: 120, source: 'analyst', text: 'first', edited: true },
      { seriesId, start: 100, end: 120, source: 'analyst', text: 'second', edited: true },
      { seriesId, start: 110, end: 130, source: 'model', detail: { model: 'm' }, type: 'level-shift', text: 'model says' },
      { seriesId, start: 300, end: 310, source: 'model', text: 'elsewhere' },
    ]);
    expect(store.rationales.analystEdit(seriesId, { start: 100, end: 120 })?.text).toBe('second');
    expect(store.rationales.analystEdit(seriesId, { start: 100, end: 121 })).toBeUndefined();
    const near = store.rationales.overlapping(seriesId, { start: 100, end: 120 });
    expect(near.map((r) => [r.text, r.type, r.detail])).toEqual([['model says', 'level-shift', { model: 'm' }]]);
    expect(store.rationales.forSeries(seriesId).map((r) => r.edited)).toEqual([true, true, false, false]);
  });

  it("finds a label's rationale: the analyst's first, then the label's, then its prediction's", () => {
    const [label] = store.createLabels([{ seriesId, start: 200, end: 220, origin: 'drawn' }]);
    expect(store.rationales.forLabel(seriesId, label, label.id, null)).toBeUndefined();
    store.rationales.add([{ seriesId, start: 200, end: 220, labelId: label.id, source: 'imported', text: 'from a file' }]);
    expect(store.rationales.forLabel(seriesId, label, label.id, null)).toEqual({ text: 'from a file', source: 'imported' });
    store.rationales.add([{ seriesId, start: 200, end: 220, source: 'analyst', text: 'mine', edited: true }]);
    expect(store.rationales.forLabel(seriesId, label, label.id, null)).toEqual({ text: 'mine', source: 'analyst' });
  });

  it('adds nothing when one row of a batch is invalid', () => {
    expect(() =>
      store.rationales.add([
        { seriesId, start: 10, end: 20, source: 'model', text: 'ok' },
        { seriesId, start: 30, end: 30, source: 'model', text: 'empty interval' },
      ]),
    ).toThrow(/CHECK constraint/);
    expect(store.rationales.forSeries(seriesId)).toEqual([]);
  });
});
