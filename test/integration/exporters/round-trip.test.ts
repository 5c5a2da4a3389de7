import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import { exportProject, importIntoStore, restoreBundle } from '../../../main/exporters';
import { ProjectStore } from '../../../main/store';
import { makeTempDir } from '../../helpers/tmp';
import { buildProject, labelsOf, listTree, T0, twinWithoutLabels } from './fixture';
import { rawDatabase } from '../../../main/store/testing';

let dir: string;
let cleanup: () => void;
let source: ProjectStore;
let fresh = 0;
const newProject = () => ProjectStore.create(path.join(dir, `fresh-${++fresh}.tsad.sqlite`));

beforeAll(() => {
  ({ dir, cleanup } = makeTempDir('tsad-export-'));
  source = buildProject(dir);
});
afterAll(() => {
  source.close();
  cleanup();
});

function seriesId(store: ProjectStore, name: string): number {
  return store.listSeries().find((s) => s.name === name)!.id;
}

describe('label files round-trip into a project holding the same series', () => {
  for (const format of ['labels-csv', 'labels-json'] as const) {
    it(`${format}: identical labels, types, notes, origins and rationales; a second import adds nothing`, async () => {
      const out = path.join(dir, `labels.${format === 'labels-csv' ? 'csv' : 'json'}`);
      const summary = await exportProject(source, format, {}, out);
      expect(summary.labels).toBe(5);
      expect(summary.records).toBe(5);
      const twin = twinWithoutLabels(source, path.join(dir, `twin-${format}.tsad.sqlite`));
      try {
        const imported = await importIntoStore(twin, format, out, { actor: 'carol' });
        expect(imported.labels).toBe(5);
        expect(imported.rationales).toBe(1);
        expect(labelsOf(twin)).toEqual(labelsOf(source));
        expect(twin.historyEntries(10).every((e) => e.actor === 'carol')).toBe(true);
        const again = await importIntoStore(twin, format, out);
        expect(again).toMatchObject({ labels: 0, skipped: 5 });
        expect(labelsOf(twin)).toEqual(labelsOf(source));
      } finally {
        twin.close();
      }
    });
  }

  it('labels-csv states its convention, writes ISO times of the first and last row, and quotes free text', async () => {
    const out = path.join(dir, 'conv.csv');
    await exportProject(source, 'labels-csv', { seriesIds: [seriesId(source, 'temp')] }, out);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\n')[1]).toMatch(/half-open \[start, end\)/);
    // [100, 120) on a 1-minute axis from 2024-01-01T00:00Z: rows 100 and 119
    expect(text).toContain(
      `,100,120,${new Date(T0 + 100 * 60_000).toISOString()},${new Date(T0 + 119 * 60_000).toISOString()},level-shift,drawn,`,
    );
    expect(text).toContain('"pump trip, ""B"" side\nsecond line"');
  });

  it('with-predictions adds the run predictions; accepted-only keeps accepted/edited labels', async () => {
    const all = await exportProject(
      source,
      'labels-json',
      { labels: 'with-predictions', dryRun: true },
      path.join(dir, 'x.json'),
    );
    expect(all).toMatchObject({ labels: 5, predictions: 2, dryRun: true });
    const accepted = await exportProject(
      source,
      'labels-json',
      { labels: 'accepted-only', dryRun: true },
      path.join(dir, 'x.json'),
    );
    expect(accepted).toMatchObject({ labels: 1, predictions: 0 });
    expect(fs.existsSync(path.join(dir, 'x.json'))).toBe(false);
    const range = { unit: 'time' as const, from: T0 + 110 * 60_000, to: T0 + 301 * 60_000 };
    const plantIds = ['temp', 'pressure'].map((n) => seriesId(source, n));
    const out = path.join(dir, 'ranged.json');
    const ranged = await exportProject(source, 'labels-json', { seriesIds: plantIds, range }, out);
    // rows [110, 301): temp's [100, 120) is clipped to [110, 120), [300, 301) kept, [301, 310) and pressure's [50, 80) fall outside
    expect(ranged.labels).toBe(2);
    const written = (JSON.parse(fs.readFileSync(out, 'utf8')) as { labels: { start: number; end: number }[] }).labels;
    expect(written.map(({ start, end }) => [start, end])).toEqual([
      [110, 120],
      [300, 301],
    ]);
    await expect(exportProject(source, 'labels-json', { range, dryRun: true }, out)).rejects.toThrow(
      /"lead1" .* has no time axis/,
    );
  }, 20_000);
});

describe('label imports refuse bad files whole, naming each problem line', () => {
  it('reports unknown series, inverted, out-of-range and overlapping intervals and changes nothing', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      [
        '# a comment line',
        'dataset,series,start,end,type,note',
        'plant_A,temp,10,20,level-shift,ok',
        'plant_A,nosuch,10,20,level-shift,',
        'plant_A,temp,30,25,,',
        'ecg,lead1,490,501,,',
        'plant_A,temp,15,18,,"overlaps line 3"',
        'plant_A,temp,100,110,,overlaps an existing label',
        'plant_A,temp,40,41,bogus-type,',
      ].join('\n') + '\n',
    );
    const before = { labels: labelsOf(source), history: source.historyEntries(1000).length };
    const err = await importIntoStore(source, 'labels-csv', file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    const { code, details } = err as WorkbenchError;
    expect(code).toBe('invalid_input');
    const problems = (details?.problems ?? []) as { line: number; message: string }[];
    expect(problems.map((p) => p.line)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(problems[0].message).toMatch(/unknown series "nosuch"/);
    expect(problems[1].message).toMatch(/inverted/);
    expect(problems[2].message).toMatch(/runs past the end .*length 500/);
    expect(problems[3].message).toMatch(/overlaps \[10, 20\) of line 3/);
    expect(problems[4].message).toMatch(/existing label/);
    expect(problems[5].message).toMatch(/unknown type "bogus-type"/);
    expect({ labels: labelsOf(source), history: source.historyEntries(1000).length }).toEqual(before);
  });

  it('labels-json problems carry the line each object starts on', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(
      file,
      '{"labels": [\n{"series": "temp", "start": 1, "end": 2},\n{"series": "temp",\n "start": 5, "end": 5}\n]}\n',
    );
    const err = (await importIntoStore(source, 'labels-json', file).catch((e: unknown) => e)) as WorkbenchError;
    expect(err.details?.problems).toEqual([{ line: 3, message: expect.stringMatching(/inverted/) }]);
    fs.writeFileSync(file, '[\n{"series": "temp", "start": 1, "end": 2},\n\n{"series": "temp", "start": 9, "end": 1}\n]\n');
    const bare = (await importIntoStore(source, 'labels-json', file).catch((e: unknown) => e)) as WorkbenchError;
    expect(bare.details?.problems).toEqual([{ line: 4, message: expect.stringMatching(/inverted/) }]);
  });
});

describe('exports are safe', () => {
  it('never overwrite without force, and replace with force', async () => {
    const out = path.join(dir, 'safe.csv');
    fs.writeFileSync(out, 'keep me');
    const err = (await exportProject(source, 'labels-csv', {}, out).catch((e: unknown) => e)) as WorkbenchError;
    expect(err.code).toBe('conflict');
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
    await exportProject(source, 'labels-csv', { force: true }, out);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^# TSAD Workbench labels/);
  });

  it('never replace the project itself, its SQLite files or a folder holding it, even with force', async () => {
    const before = fs.readFileSync(source.path);
    for (const [format, out] of [
      ['labels-csv', source.path],
      ['bundle', `${source.path}-wal`],
      ['sft-jsonl', path.dirname(source.path)],
    ] as const) {
      const err = (await exportProject(source, format, { force: true }, out).catch((e: unknown) => e)) as WorkbenchError;
      expect(err.code, `${format} to ${out}`).toBe('conflict');
    }
    expect(fs.readFileSync(source.path).equals(before)).toBe(true);
    expect(source.listSeries().length).toBeGreaterThan(0);
  });

  it('a cancelled or failing export leaves nothing behind', async () => {
    const folder = makeTempDir('tsad-export-safe-');
    try {
      const controller = new AbortController();
      controller.abort();
      const err = (await exportProject(source, 'tsb-ad', { signal: controller.signal }, path.join(folder.dir, 'out')).catch(
        (e: unknown) => e,
      )) as WorkbenchError;
      expect(err.code).toBe('cancelled');
      const ucrErr = (await exportProject(source, 'ucr', {}, path.join(folder.dir, 'ucr')).catch(
        (e: unknown) => e,
      )) as WorkbenchError;
      expect(ucrErr.code).toBe('unsupported');
      expect(ucrErr.message).toMatch(/"temp" \(id \d+\) has 3 labels/);
      expect(fs.readdirSync(folder.dir)).toEqual([]);
    } finally {
      folder.cleanup();
    }
  });
});

describe('bundle', () => {
  it('restores the whole project elsewhere exactly as it was', async () => {
    const out = path.join(dir, 'project.tar');
    const summary = await exportProject(source, 'bundle', {}, out);
    expect(summary.files).toEqual(['project.tar']);
    const target = path.join(dir, 'restored', 'copy.tsad.sqlite');
    fs.mkdirSync(path.dirname(target));
    await restoreBundle(out, target);
    const copy = ProjectStore.open(target);
    try {
      expect(copy.listDatasets()).toEqual(source.listDatasets());
      expect(copy.listSeries()).toEqual(source.listSeries());
      for (const s of source.listSeries()) {
        expect(Buffer.from(copy.loadValues(s.id).buffer).equals(Buffer.from(source.loadValues(s.id).buffer))).toBe(true);
        expect(copy.loadTime(s.id)).toEqual(source.loadTime(s.id));
        expect(copy.listLabels(s.id)).toEqual(source.listLabels(s.id));
      }
      expect(copy.historyEntries(1000)).toEqual(source.historyEntries(1000));
      expect(copy.historyState()).toEqual(source.historyState());
      expect(copy.runs.list()).toEqual(source.runs.list());
      expect(copy.runs.predictions({})).toEqual(source.runs.predictions({}));
      expect(rawDatabase(copy).prepare('SELECT * FROM rationales').all()).toEqual(
        rawDatabase(source).prepare('SELECT * FROM rationales').all(),
      );
      // undo still works on the copy: the history came along
      copy.undo();
      expect(copy.listLabels(seriesId(copy, 'lead1')).length).toBe(0);
    } finally {
      copy.close();
    }
    const again = (await restoreBundle(out, target).catch((e: unknown) => e)) as WorkbenchError;
    expect(again.code).toBe('conflict');
  });
});

describe('data formats round-trip into an empty project as new datasets', () => {
  const cases = [
    { format: 'tsb-ad', series: ['temp', 'pressure', 'lead1'] },
    { format: 'nab', series: ['temp', 'pressure'] },
    { format: 'timeeval', series: ['temp', 'pressure', 'lead1'] },
    { format: 'ucr', series: ['lead1', 'pressure'] },
  ] as const;
  for (const c of cases) {
    it(`${c.format}: values and labels (types, notes via the sidecar) come back`, async () => {
      const out = path.join(dir, `out-${c.format}`);
      const ids = c.series.map((n) => seriesId(source, n));
      await exportProject(source, c.format, { seriesIds: ids }, out);
      const target = newProject();
      try {
        const summary = await importIntoStore(target, c.format, out);
        expect(summary.notes.filter((n) => /differ/.test(n))).toEqual([]);
        const strip = (l: ReturnType<typeof labelsOf>[number]) => ({ ...l, dataset: '' });
        expect(labelsOf(target, { seriesNames: [...c.series] }).map(strip)).toEqual(
          labelsOf(source, { seriesNames: [...c.series] }).map(strip),
        );
        for (const name of c.series) {
          const a = source.loadValues(seriesId(source, name));
          const b = target.loadValues(seriesId(target, name));
          expect(Array.from(b)).toEqual(Array.from(a));
        }
        if (c.format === 'nab')
          expect(target.loadTime(seriesId(target, 'temp'))).toEqual(source.loadTime(seriesId(source, 'temp')));
      } finally {
        target.close();
      }
    });
  }

  it('tsb-ad without its sidecar: the Label column alone, merged where labels touch', async () => {
    const out = path.join(dir, 'out-tsb-ad');
    fs.rmSync(path.join(out, 'workbench-labels.json'));
    const names = listTree(out);
    expect(names[0]).toMatch(/^001_plant-A_id_\d+_temp_tr_150_1st_100\.csv$/);
    const target = newProject();
    try {
      await importIntoStore(target, 'tsb-ad', out);
      const temp = target.listSeries().find((s) => s.name === 'Data' && target.listLabels(s.id).length === 2)!;
      // [300, 301) and [301, 310) touch: a 0/1 column cannot tell them apart
      expect(target.listLabels(temp.id).map(({ start, end, type, origin }) => ({ start, end, type, origin }))).toEqual([
        { start: 100, end: 120, type: 'unknown', origin: 'imported' },
        { start: 300, end: 310, type: 'unknown', origin: 'imported' },
      ]);
    } finally {
      target.close();
    }
  });

  it('nab windows are inclusive timestamps; ucr names are 1-based inclusive', () => {
    const windows = JSON.parse(fs.readFileSync(path.join(dir, 'out-nab', 'labels', 'combined_windows.json'), 'utf8')) as Record<
      string,
      string[][]
    >;
    expect(windows['plant-A/temp.csv'][0]).toEqual(['2024-01-01 01:40:00.000000', '2024-01-01 01:59:00.000000']);
    expect(fs.readFileSync(path.join(dir, 'out-nab', 'data', 'plant-A', 'temp.csv'), 'utf8').split('\n')[1]).toMatch(
      /^2024-01-01 00:00:00,20$/,
    );
    const ucr = listTree(path.join(dir, 'out-ucr'));
    // ecg [200, 260) → rows 201..260 (1-based inclusive); trainEnd = min(500/4, 200) = 125
    expect(ucr).toContain('001_UCR_Anomaly_ecg_125_201_260.txt');
    expect(ucr).toContain('002_UCR_Anomaly_plant-A-pressure_50_51_80.txt');
  });
});
