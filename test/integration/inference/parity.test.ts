import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  defaultBundledModelsDir,
  FEATURE_CHANNELS,
  globalStats,
  listModels,
  scoreSeriesWithModel,
  writeWindowFeatures,
  type ModelEntry,
} from '../../../main/inference';

/**
 * The fixture (written by training/parity.py with PyTorch, committed beside the model) holds fixed inputs
 * with PyTorch's outputs and raw series with the Python preprocessing and windowed scores.
 */
interface SeriesCase {
  name: string;
  values: (number | null)[];
  stride: number;
  batchSize: number;
  median: number;
  scale: number;
  firstWindowFeatures: number[];
  windowStarts: number[];
  scores: number[];
  typeProbs: number[];
}
interface Fixture {
  model: string;
  sha256: string;
  batch: { shape: [number, number, number]; input: number[]; score: number[]; typeProbs: number[] };
  series: SeriesCase[];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const TOL = 1e-4;

const { models: bundledModels } = await listModels({ bundledDir: defaultBundledModelsDir() });

it('finds the bundled models (each must have parity.json beside it)', () => {
  expect(bundledModels.length).toBeGreaterThan(0);
});

for (const entry of bundledModels) describeParity(entry);

function describeParity(entry: ModelEntry): void {
  const fixture = JSON.parse(readFileSync(join(entry.dir, 'parity.json'), 'utf8')) as Fixture;

  describe(`ONNX vs PyTorch parity (bundled ${entry.id})`, () => {
    it('fixture belongs to this model file', () => {
      expect(fixture.model).toBe(entry.id);
      expect(fixture.sha256).toBe(entry.card.onnx.sha256);
    });

    it('raw model outputs agree within 1e-4', async () => {
      const session = await ort.InferenceSession.create(entry.modelPath, { executionProviders: ['cpu'] });
      try {
        const input = new ort.Tensor('float32', Float32Array.from(fixture.batch.input), fixture.batch.shape);
        const out = await session.run({ x: input });
        const score = out.score?.data as Float32Array;
        const types = out.type_probs?.data as Float32Array;
        expect(maxAbsDiff(score, fixture.batch.score)).toBeLessThan(TOL);
        expect(maxAbsDiff(types, fixture.batch.typeProbs)).toBeLessThan(TOL);
      } finally {
        await session.release();
      }
    });

    for (const c of fixture.series) {
      it(`series '${c.name}': preprocessing and windowed scores agree`, async () => {
        const values = Float64Array.from(c.values, (v) => (v === null ? Number.NaN : v));
        const stats = globalStats(values);
        expect(stats.median).toBeCloseTo(c.median, 9);
        expect(stats.scale).toBeCloseTo(c.scale, 9);

        const window = entry.card.preprocessing.window;
        const padded = new Float64Array(Math.max(window, values.length));
        padded.set(values);
        if (values.length < window) {
          let last = 0;
          for (const v of values) if (Number.isFinite(v)) last = v;
          padded.fill(last, values.length);
        }
        const feats = new Float32Array(FEATURE_CHANNELS * window);
        writeWindowFeatures(padded, 0, window, stats, feats, 0, entry.card.preprocessing.tail);
        expect(maxAbsDiff(feats, c.firstWindowFeatures)).toBeLessThan(1e-5);

        const result = await scoreSeriesWithModel(entry.modelPath, values, {
          stride: c.stride,
          batchSize: c.batchSize,
          provider: 'cpu',
          card: entry.card,
        });
        expect(Array.from(result.windowStarts)).toEqual(c.windowStarts);
        expect(maxAbsDiff(result.scores, c.scores)).toBeLessThan(TOL);
        expect(maxAbsDiff(result.typeProbs ?? [], c.typeProbs)).toBeLessThan(TOL);
      });
    }
  });
}
