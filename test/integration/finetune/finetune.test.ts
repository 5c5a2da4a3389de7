import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import {
  finetuneCommand,
  finetuneVersion,
  parseProgressLine,
  runFinetune,
  writeTrainingFolder,
  type TrainingSeries,
} from '../../../main/finetune';
import { compareVersions, modelDetector, resolveModel, type ModelEntry } from '../../../main/inference';
import { generateSeries, writeSynthDataset } from '../../../main/synth';
import type { SeriesFolderManifest } from '../../../main/synth/format';
import { trainingPython } from '../../helpers/python';

const python = await trainingPython();
const NO_TORCH = python.ok ? '' : ` (skipped: ${python.reason})`;

let base: ModelEntry;
let tmp: string;

beforeAll(async () => {
  base = await resolveModel('tsad-window-cnn');
  tmp = await mkdtemp(join(tmpdir(), 'finetune-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function trainingSeries(count: number, length: number, seed: number): TrainingSeries[] {
  return Array.from({ length: count }, (_, i) => {
    const s = generateSeries({ length, seed: seed + i, anomalies: 2 });
    return {
      name: `series ${i}/${seed}`,
      values: s.values,
      intervals: s.anomalies.map(({ start, end, type }) => ({ start, end, type })),
    };
  });
}

async function rejection(p: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return err as WorkbenchError;
  }
  throw new Error('expected a rejection');
}

describe('writeTrainingFolder', () => {
  it('writes a manifest and index,value,label CSVs that read back to the same series', async () => {
    const values = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i / 3) * 2.5 + 0.125);
    values[7] = Number.NaN;
    const series: TrainingSeries[] = [
      {
        name: 'plant/a b',
        values,
        intervals: [
          { start: 20, end: 25, type: 'level-shift' },
          { start: 3, end: 4, type: 'unknown' },
        ],
      },
      { name: 'plant/a b', values: Float64Array.from([1, 2, 3]), intervals: [] },
    ];
    const dir = join(tmp, 'export-roundtrip');
    const manifestPath = await writeTrainingFolder(dir, series);
    expect(manifestPath).toBe(join(dir, 'manifest.json'));
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as SeriesFolderManifest;
    expect(manifest.format).toBe('tsad-series-folder-v1');
    expect(manifest.series.map((s) => s.name)).toEqual(['plant/a b', 'plant/a b']);
    expect(new Set(manifest.series.map((s) => s.file)).size).toBe(2);
    expect(manifest.series[0]?.anomalies).toEqual([
      { start: 3, end: 4, type: 'unknown' },
      { start: 20, end: 25, type: 'level-shift' },
    ]);
    for (const [k, entry] of manifest.series.entries()) {
      const [header, ...rows] = (await readFile(join(dir, entry.file), 'utf8')).trimEnd().split('\n');
      expect(header).toBe('index,value,label');
      const src = series[k] as TrainingSeries;
      expect(rows).toHaveLength(src.values.length);
      expect(entry.length).toBe(src.values.length);
      rows.forEach((row, i) => {
        const [index, value, label] = row.split(',');
        expect(Number(index)).toBe(i);
        const expected = src.values[i] as number;
        if (Number.isNaN(expected)) expect(value).toBe('');
        else expect(Number(value)).toBeCloseTo(expected, 6);
        const inside = src.intervals.some((iv) => i >= iv.start && i < iv.end);
        expect(label).toBe(inside ? '1' : '0');
      });
    }
  });

  it('rejects an interval outside its series and an empty list with invalid_input', async () => {
    const bad: TrainingSeries = { name: 'x', values: new Float64Array(10), intervals: [{ start: 5, end: 11, type: 'flatline' }] };
    const err = await rejection(writeTrainingFolder(join(tmp, 'bad'), [bad]));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain("'x'");
    expect((await rejection(writeTrainingFolder(join(tmp, 'empty'), []))).code).toBe('invalid_input');
  });
});

describe('fine-tune plan', () => {
  it('derives the next -ft.N version above the base and names every path in the command', async () => {
    const outDir = join(tmp, 'user-models-cmd');
    const plan = { base, dataDir: join(tmp, 'export data'), outDir, quick: true };
    const v1 = finetuneVersion(plan);
    expect(v1).toBe(`${base.version}-ft.1`);
    expect(compareVersions(v1, base.version)).toBeGreaterThan(0);
    const cmd = finetuneCommand(plan, '/opt/py/bin/python3');
    expect(cmd).toContain('/opt/py/bin/python3');
    expect(cmd).toContain('training/finetune.py');
    expect(cmd).toContain(base.dir);
    expect(cmd).toContain(`'${join(tmp, 'export data')}'`);
    expect(cmd).toContain(join(outDir, base.name, v1));
    expect(cmd).toContain('--quick');

    await mkdir(join(outDir, base.name, v1), { recursive: true });
    const v2 = finetuneVersion(plan);
    expect(v2).toBe(`${base.version}-ft.2`);
    expect(compareVersions(v2, v1)).toBeGreaterThan(0);
    // a fine-tune of a fine-tune continues the numbering of the root version
    expect(finetuneVersion({ ...plan, base: { ...base, version: v1 } })).toBe(v2);
  });

  it('reads PROGRESS lines and ignores other output', () => {
    expect(parseProgressLine('PROGRESS 0.4200 step 10/20 loss 0.5')).toEqual({ fraction: 0.42, message: 'step 10/20 loss 0.5' });
    expect(parseProgressLine('PROGRESS 1.5')).toEqual({ fraction: 1, message: '' });
    expect(parseProgressLine('step 10/20 loss 0.5')).toBeUndefined();
  });

  it('refuses a base model without PyTorch weights', async () => {
    const noWeights = { ...base, dir: join(tmp, 'no-weights') };
    const err = await rejection(
      runFinetune(
        { base: noWeights, dataDir: tmp, outDir: join(tmp, 'out-none') },
        { python: python.ok ? python.python : 'python3' },
      ),
    );
    expect(err.code).toBe('unsupported');
    expect(err.message).toContain('weights.pt');
  });
});

describe('runFinetune with training/finetune.py', () => {
  let dataDir: string;
  let synthDir: string;
  beforeAll(async () => {
    dataDir = join(tmp, 'export');
    synthDir = join(tmp, 'synth');
    await writeTrainingFolder(dataDir, trainingSeries(4, 1024, 50));
    await writeSynthDataset(synthDir, 12, 7, { length: 1024 });
  });

  it.skipIf(!python.ok)(
    `quick run: a new user version the registry resolves, with parent, data summary and metrics, that scores a series${NO_TORCH}`,
    async () => {
      if (!python.ok) return;
      const outDir = join(tmp, 'user-models');
      const fractions: number[] = [];
      const entry = await runFinetune(
        { base, dataDir, outDir, quick: true, steps: 40, synthDir },
        { python: python.python, progress: (f) => fractions.push(f) },
      );
      expect(entry.version).toBe(`${base.version}-ft.1`);
      expect(entry.source).toBe('user');
      expect(fractions.length).toBeGreaterThan(3);
      expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (fractions[i - 1] as number)))).toBe(true);
      expect(fractions[fractions.length - 1]).toBe(1);

      const resolved = await resolveModel(base.name, { userDir: outDir });
      expect(resolved.id).toBe(entry.id);
      const card = resolved.card as typeof resolved.card & {
        training: { data: { series: number; labels: number; sha256: string } };
        metrics: { before: unknown; after: unknown };
      };
      expect(card.parent).toBe(base.id);
      // the weights were trained on the parent's features (its tail) and for its scales: both carry over
      expect(card.preprocessing).toEqual(base.card.preprocessing);
      expect(card.postprocessing).toEqual(base.card.postprocessing);
      expect(card.training.data.series).toBe(4);
      expect(card.training.data.labels).toBe(trainingSeries(4, 1024, 50).reduce((a, s) => a + s.intervals.length, 0));
      expect(card.training.data.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(card.metrics.before).toBeDefined();
      expect(card.metrics.after).toBeDefined();
      expect(card.onnx.sha256).toMatch(/^[0-9a-f]{64}$/);

      const detector = await modelDetector(entry.id, { userDir: outDir });
      try {
        const s = generateSeries({ length: 700, seed: 3, anomalies: 1, types: ['global-point'] });
        const scores = await detector.score(s.values, { stride: 128, batchSize: 8 });
        expect(scores).toHaveLength(700);
        expect(scores.every((v) => v >= 0 && v <= 1)).toBe(true);
        expect(detector.model.id).toBe(entry.id);
      } finally {
        await detector.release();
      }
    },
    180_000,
  );

  it.skipIf(!python.ok)(
    `a failing run rejects with the script's stderr and leaves no version folder${NO_TORCH}`,
    async () => {
      if (!python.ok) return;
      const shortDir = join(tmp, 'short');
      await writeTrainingFolder(shortDir, trainingSeries(2, 100, 9)); // shorter than the model window
      const outDir = join(tmp, 'user-models-fail');
      const err = await rejection(
        runFinetune({ base, dataDir: shortDir, outDir, quick: true, synthDir }, { python: python.python }),
      );
      expect(err.code).toBe('internal');
      expect((err.details?.stderr as string[]).join('\n')).toContain('no series of at least');
      expect(existsSync(join(outDir, base.name, `${base.version}-ft.1`))).toBe(false);
    },
    120_000,
  );

  it('a cancel that lands while the synthetic series are written never starts the trainer', async () => {
    const outDir = join(tmp, 'user-models-cancel-early');
    const controller = new AbortController();
    const err = await rejection(
      runFinetune(
        { base, dataDir, outDir, quick: true, steps: 40 },
        // the last synthetic-writing progress (0.05) comes after the last series, when no later check would see it
        {
          python: python.ok ? python.python : 'python3',
          signal: controller.signal,
          progress: (f) => f >= 0.05 && controller.abort(),
        },
      ),
    );
    expect(err.code).toBe('cancelled');
    expect(existsSync(join(outDir, base.name, `${base.version}-ft.1`))).toBe(false);
  }, 60_000);

  it.skipIf(!python.ok)(
    `cancelling kills the run: cancelled, no version folder${NO_TORCH}`,
    async () => {
      if (!python.ok) return;
      const outDir = join(tmp, 'user-models-cancel');
      const controller = new AbortController();
      const err = await rejection(
        runFinetune(
          { base, dataDir, outDir, steps: 5000, synthDir },
          { python: python.python, signal: controller.signal, progress: (f) => f > 0.1 && controller.abort() },
        ),
      );
      expect(err.code).toBe('cancelled');
      expect(existsSync(join(outDir, base.name, `${base.version}-ft.1`))).toBe(false);
    },
    120_000,
  );
});
