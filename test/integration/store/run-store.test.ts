import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store';
import { makeTempDir } from '../../helpers/tmp';
import { rawDatabase } from '../../../main/store/testing';

let tmp: ReturnType<typeof makeTempDir>;
let store: ProjectStore;
let seriesId: number;

beforeEach(() => {
  tmp = makeTempDir();
  store = ProjectStore.create(path.join(tmp.dir, 'p.tsad.sqlite'));
  const values = new Float64Array(150_000).map((_, i) => Math.cos(i / 7));
  [seriesId] = store.insertDataset({
    name: 'd',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'v', values }],
  }).seriesIds;
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('RunStore', () => {
  it('records a run with its score lane and predictions, and reads them back', () => {
    const runId = store.runs.create({ detector: 'sr', detectorVersion: '1', params: { window: 100 }, execution: { workers: 2 } });
    expect(store.runs.get(runId)).toMatchObject({ status: 'running', params: { window: 100 }, seriesIds: [] });
    const scores = new Float32Array(150_000).map((_, i) => (i % 1000) / 1000);
    store.runs.saveSeriesResult(runId, seriesId, scores, [
      { start: 10, end: 20, score: 0.9, type: 'global-point' },
      { start: 500, end: 700, score: Infinity },
    ]);
    store.runs.finish(runId, 'done', { timings: { score: 1.5 } });
    const run = store.runs.get(runId);
    expect(run).toMatchObject({
      status: 'done',
      timings: { score: 1.5 },
      seriesIds: [seriesId],
      predictionCount: 2,
      execution: { workers: 2 },
    });
    expect(run.finishedAt).not.toBeNull();
    const lane = store.runs.loadScores(runId, seriesId);
    expect(lane?.length).toBe(150_000);
    expect(lane?.[123_456]).toBe(scores[123_456]);
    const preds = store.runs.predictions({ runId });
    expect(preds).toMatchObject([
      { start: 10, end: 20, score: expect.closeTo(0.9, 6), type: 'global-point', status: 'unreviewed' },
      { start: 500, end: 700, score: null, type: null },
    ]);
    // accepting makes a label (undoable); the prediction reads as accepted while that label exists
    const [label] = store.acceptPredictions([preds[0].id]);
    expect(label).toMatchObject({
      start: 10,
      end: 20,
      type: 'global-point',
      origin: 'accepted',
      sourceRunId: runId,
      sourcePredictionId: preds[0].id,
    });
    expect(store.runs.predictions({ seriesId })[0].status).toBe('accepted');
    expect(store.acceptPredictions([preds[0].id])).toEqual([]); // accepting twice adds nothing
    expect(store.updateLabel(label.id, { end: 25 }).origin).toBe('edited'); // reshaping makes it an edited prediction
    expect(store.updateLabel(label.id, { note: 'checked' }).origin).toBe('edited');
    store.undo();
    store.undo();
    expect(store.getLabel(label.id).origin).toBe('accepted');
    store.undo();
    expect(store.runs.predictions({ seriesId })[0].status).toBe('unreviewed');
    store.runs.setPredictionStatus([preds[1].id], 'rejected');
    expect(store.runs.predictions({ seriesId })[1].status).toBe('rejected');
  });

  it('rejects a lane of the wrong length and invalid predictions without a partial write', () => {
    const runId = store.runs.create({ detector: 'x', detectorVersion: '1', params: {} });
    expect(() => store.runs.saveSeriesResult(runId, seriesId, new Float32Array(10), [])).toThrow(/150000/);
    expect(() =>
      store.runs.saveSeriesResult(runId, seriesId, new Float32Array(150_000), [{ start: 5, end: 2, score: 1 }]),
    ).toThrow();
    expect(store.runs.loadScores(runId, seriesId)).toBeNull();
    expect(store.runs.predictions({ runId })).toEqual([]);
    expect(() => store.runs.setPredictionStatus([999], 'rejected')).toThrow(/No prediction/);
  });

  it('deletes a run with everything that belongs to it', () => {
    const runId = store.runs.create({ detector: 'x', detectorVersion: '1', params: {} });
    store.runs.saveSeriesResult(runId, seriesId, new Float32Array(150_000), [{ start: 1, end: 2, score: 1 }]);
    store.runs.delete(runId);
    expect(store.runs.list()).toEqual([]);
    expect(rawDatabase(store).prepare('SELECT COUNT(*) AS n FROM run_scores').get()).toEqual({ n: 0 });
    expect(() => store.runs.get(runId)).toThrow(/No run/);
  });
});
