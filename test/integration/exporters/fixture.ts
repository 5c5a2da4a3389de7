import fs from 'node:fs';
import path from 'node:path';
import { ProjectStore } from '../../../main/store';
import { rawDatabase } from '../../../main/store/testing';

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);

/** A small project: a timed dataset with two series, an untimed one, labels of every origin, a rationale, a run. */
export function buildProject(dir: string, name = 'source.tsad.sqlite'): ProjectStore {
  const store = ProjectStore.create(path.join(dir, name));
  const n = 600;
  const time = Float64Array.from({ length: n }, (_, i) => T0 + i * 60_000);
  const temp = Float64Array.from(
    { length: n },
    (_, i) => 20 + Math.sin(i / 9) + (i >= 100 && i < 120 ? 5 : 0) + (i === 300 ? 12 : 0),
  );
  const pressure = Float64Array.from({ length: n }, (_, i) => 1 + 0.001 * i + (i >= 50 && i < 80 ? 0.02 * (i - 50) : 0));
  pressure[7] = NaN;
  const plant = store.insertDataset({
    name: 'plant_A',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time,
    columns: [
      { name: 'temp', values: temp },
      { name: 'pressure', values: pressure },
    ],
  });
  const ecg = Float64Array.from({ length: 500 }, (_, i) => Math.sin(i / 5) * (i >= 200 && i < 260 ? 0.2 : 1) + 1e-7 * i);
  const heart = store.insertDataset({
    name: 'ecg',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'lead1', values: ecg }],
  });
  const [tempId, pressureId] = plant.seriesIds;
  const ecgId = heart.seriesIds[0];
  const runId = store.runs.create({ detector: 'rolling-zscore', detectorVersion: '1', params: { window: 50 } });
  store.runs.saveSeriesResult(runId, tempId, new Float32Array(n), [
    { start: 298, end: 303, score: 0.9, type: 'global-point' },
    { start: 400, end: 410, score: 0.4, type: null },
  ]);
  store.runs.finish(runId, 'done');
  const [accepted] = store.acceptPredictions([store.runs.predictions({ runId }).find((p) => p.start === 298)!.id], 'alice');
  store.updateLabel(accepted.id, { start: 300, end: 301, type: 'global-point' }, 'alice'); // reshaped: origin becomes 'edited'
  store.createLabels(
    [
      { seriesId: tempId, start: 100, end: 120, type: 'level-shift', note: 'pump trip, "B" side\nsecond line', origin: 'drawn' },
      { seriesId: tempId, start: 301, end: 310, type: 'contextual-point', note: '', origin: 'drawn' },
      { seriesId: pressureId, start: 50, end: 80, type: 'trend-change', note: 'ramp', origin: 'imported' },
      { seriesId: ecgId, start: 200, end: 260, type: 'shapelet', note: 'damped beats', origin: 'drawn' },
    ],
    'bob',
  );
  rawDatabase(store)
    .prepare(
      `INSERT INTO rationales(series_id, start, end, source, text, edited, created_at) VALUES (?, 100, 120, 'analyst', ?, 1, '2024-01-02T00:00:00Z')`,
    )
    .run(tempId, 'The level jumps by 5 inside [100, 120) lasts 20 points.');
  return store;
}

export interface ComparableLabel {
  dataset: string;
  series: string;
  start: number;
  end: number;
  type: string;
  note: string;
  origin: string;
  rationale: string;
}

/** Every label of the project with its series' names and stored rationale text, in a stable order. */
export function labelsOf(store: ProjectStore, opts: { seriesNames?: string[] } = {}): ComparableLabel[] {
  const datasets = new Map(store.listDatasets().map((d) => [d.id, d.name]));
  const out: ComparableLabel[] = [];
  for (const s of store.listSeries()) {
    if (opts.seriesNames && !opts.seriesNames.includes(s.name)) continue;
    for (const l of store.listLabels(s.id)) {
      const r = rawDatabase(store)
        .prepare('SELECT text FROM rationales WHERE series_id = ? AND start = ? AND end = ? ORDER BY id DESC LIMIT 1')
        .get(s.id, l.start, l.end) as { text: string } | undefined;
      out.push({
        dataset: datasets.get(s.datasetId) ?? '',
        series: s.name,
        start: l.start,
        end: l.end,
        type: l.type,
        note: l.note,
        origin: l.origin,
        rationale: r?.text ?? '',
      });
    }
  }
  return out.sort((a, b) => `${a.dataset}/${a.series}`.localeCompare(`${b.dataset}/${b.series}`) || a.start - b.start);
}

/** A second project holding the same datasets (values and time) but no labels: the target of label imports. */
export function twinWithoutLabels(source: ProjectStore, file: string): ProjectStore {
  const twin = ProjectStore.create(file);
  for (const d of source.listDatasets()) {
    const series = source.listSeries().filter((s) => s.datasetId === d.id);
    twin.insertDataset({
      name: d.name,
      sourcePath: null,
      sourceHash: null,
      sourceSize: null,
      time: series.length > 0 ? source.loadTime(series[0].id) : null,
      columns: series.map((s) => ({ name: s.name, values: Float64Array.from(source.loadValues(s.id)) })),
    });
  }
  return twin;
}

export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}
