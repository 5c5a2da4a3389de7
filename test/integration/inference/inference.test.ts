import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import {
  addModelFromDisk,
  compareVersions,
  defaultBundledModelsDir,
  FEATURE_CHANNELS,
  globalStats,
  intervalTypeDistribution,
  listModels,
  listSupportedBackends,
  loadModel,
  modelDetector,
  providerCandidates,
  resolveModel,
  scoreSeriesWithModel,
  windowStarts,
  writeWindowFeatures,
  type ModelEntry,
} from '../../../main/inference';
import { aucRoc } from '../../../main/evaluation';
import { createRng, generateSeries } from '../../../main/synth';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
let bundled: ModelEntry;
let tmp: string;

beforeAll(async () => {
  bundled = await resolveModel('tsad-window-cnn');
  tmp = await mkdtemp(join(tmpdir(), 'inference-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return (err as WorkbenchError).code;
  }
  return 'no error';
}

describe('execution providers', () => {
  it('lists the binary backends, CPU included', () => {
    expect(listSupportedBackends().map((b) => b.name)).toContain('cpu');
  });

  it('orders candidates CUDA, WebGPU, DirectML, CoreML, CPU and puts a preference first', () => {
    const all = ['cpu', 'webgpu', 'cuda', 'dml', 'coreml'].map((name) => ({ name, bundled: true }));
    expect(providerCandidates('auto', all)).toEqual(['cuda', 'webgpu', 'dml', 'coreml', 'cpu']);
    expect(providerCandidates('auto', [{ name: 'cpu', bundled: true }])).toEqual(['cpu']);
    expect(providerCandidates('webgpu', all)).toEqual(['webgpu', 'cpu']);
    expect(providerCandidates('cpu', all)).toEqual(['cpu']);
  });

  it('falls back to CPU with a reason when the preferred provider cannot create a session', async () => {
    const preferred = process.platform === 'darwin' ? 'dml' : 'coreml';
    const model = await loadModel(bundled.modelPath, { provider: preferred, card: bundled.card });
    try {
      expect(model.provider).toBe('cpu');
      expect(model.fallbackReason).toContain(preferred);
    } finally {
      await model.release();
    }
  });
});

describe('bad model files are clear errors', () => {
  it('missing file: not_found', async () => {
    expect(await errorCode(loadModel(join(tmp, 'nope.onnx')))).toBe('not_found');
  });

  it('a folder instead of a file: invalid_input', async () => {
    expect(await errorCode(loadModel(tmp))).toBe('invalid_input');
  });

  it('random bytes: parse_error', async () => {
    const path = join(tmp, 'random.onnx');
    const rng = createRng(1);
    await writeFile(
      path,
      Uint8Array.from({ length: 4096 }, () => rng.int(0, 255)),
    );
    expect(await errorCode(loadModel(path, { provider: 'cpu' }))).toBe('parse_error');
  });

  it('truncated model: parse_error', async () => {
    const bytes = await readFile(bundled.modelPath);
    const path = join(tmp, 'truncated.onnx');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await errorCode(loadModel(path, { provider: 'cpu' }))).toBe('parse_error');
  });

  it('file that does not match its card sha256: parse_error', async () => {
    const path = join(tmp, 'other.onnx');
    await copyFile(join(FIXTURES, 'wrong-shape.onnx'), path);
    expect(await errorCode(loadModel(path, { card: bundled.card }))).toBe('parse_error');
  });

  it('valid ONNX with the wrong input shape: invalid_input naming the shape', async () => {
    try {
      await loadModel(join(FIXTURES, 'wrong-shape.onnx'), { provider: 'cpu' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkbenchError);
      expect((err as WorkbenchError).code).toBe('invalid_input');
      expect((err as WorkbenchError).message).toMatch(/shape \[batch, 1, 128\]/);
    }
  });
});

/** Obviously-correct reference: every window run alone, outputs averaged with the documented weights. */
async function naiveScores(values: Float64Array, stride: number): Promise<Float64Array> {
  const model = await loadModel(bundled.modelPath, { provider: 'cpu' });
  try {
    const w = model.window;
    const stats = globalStats(values);
    const acc = new Float64Array(values.length);
    const wsum = new Float64Array(values.length);
    const starts: number[] = [];
    for (let s = 0; s + w <= values.length; s += stride) starts.push(s);
    if (starts[starts.length - 1] !== values.length - w) starts.push(values.length - w);
    for (const s of starts) {
      const input = new Float32Array(FEATURE_CHANNELS * w);
      writeWindowFeatures(values, s, w, stats, input, 0);
      const { scores } = await model.run(input, 1);
      for (let i = 0; i < w; i++) {
        const weight = Math.sin((Math.PI * (i + 0.5)) / w) + 0.05;
        acc[s + i] = (acc[s + i] as number) + weight * (scores[i] as number);
        wsum[s + i] = (wsum[s + i] as number) + weight;
      }
    }
    return acc.map((a, i) => a / (wsum[i] as number));
  } finally {
    await model.release();
  }
}

describe('writeWindowFeatures feature tail', () => {
  // median 0, scale 1: the global channel is the value itself before the tail
  const values = [0, 5, 12, 100, 1e4, -50, Number.NaN, 1e12];
  const globalChannel = (tail?: 'clip' | 'log'): number[] => {
    const out = new Float32Array(FEATURE_CHANNELS * values.length);
    writeWindowFeatures(values, 0, values.length, { median: 0, scale: 1 }, out, 0, tail);
    return Array.from(out.subarray(values.length, 2 * values.length));
  };

  it("clips at ±10 by default and with 'clip'", () => {
    expect(globalChannel()).toEqual([0, 5, 10, 10, 10, -10, 0, 10]);
    expect(globalChannel('clip')).toEqual(globalChannel());
  });

  it("'log' keeps |z| ≤ 10, orders larger values by size and caps them at ±30", () => {
    const g = globalChannel('log');
    expect(g.slice(0, 2)).toEqual([0, 5]);
    expect(g[2]).toBeCloseTo(10 + Math.log(3), 5);
    expect(g[3]).toBeCloseTo(10 + Math.log(91), 5);
    expect(g[4]).toBeCloseTo(10 + Math.log(9991), 5);
    expect(g[5]).toBeCloseTo(-(10 + Math.log(41)), 5);
    expect(g[6]).toBe(0); // missing
    expect(g[7]).toBe(30);
  });
});

describe('scoreSeriesWithModel', () => {
  const series = generateSeries({ length: 3000, seed: 21, anomalies: 3 });

  it('matches the naive per-window reference, for any batch size', async () => {
    const reference = await naiveScores(series.values, 100);
    for (const batchSize of [1, 5, 64]) {
      const r = await scoreSeriesWithModel(bundled.modelPath, series.values, { stride: 100, batchSize, provider: 'cpu' });
      expect(r.scores.length).toBe(3000);
      expect(r.execution).toMatchObject({ provider: 'cpu', batchSize, stride: 100, windows: r.windowStarts.length });
      let maxDiff = 0;
      r.scores.forEach((s, i) => (maxDiff = Math.max(maxDiff, Math.abs(s - (reference[i] as number)))));
      expect(maxDiff).toBeLessThan(1e-5);
    }
  });

  it('covers the series with windows ending exactly at its end', () => {
    expect(windowStarts(1000, 256, 256)).toEqual([0, 256, 512, 744]);
    expect(windowStarts(512, 256, 256)).toEqual([0, 256]);
    expect(windowStarts(100, 256, 256)).toEqual([0]);
  });

  it('reports progress up to 1 and scores in [0, 1]', async () => {
    const fractions: number[] = [];
    const r = await scoreSeriesWithModel(bundled.modelPath, series.values, { batchSize: 4, progress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions[fractions.length - 1]).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] as number);
    for (const s of r.scores) expect(s >= 0 && s <= 1).toBe(true);
    expect(r.typeLabels).toHaveLength(9);
    expect(r.typeProbs?.length).toBe(r.windowStarts.length * 9);
  });

  it('can be cancelled between batches', async () => {
    const ctl = new AbortController();
    const run = scoreSeriesWithModel(bundled.modelPath, series.values, {
      batchSize: 1,
      stride: 16,
      signal: ctl.signal,
      progress: (f) => f > 0.2 && ctl.abort(),
    });
    expect(await errorCode(run)).toBe('cancelled');
  });

  it('handles short series and rejects a bad stride', async () => {
    expect(Array.from((await scoreSeriesWithModel(bundled.modelPath, new Float64Array([3]))).scores)).toEqual([0]);
    const short = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i / 5));
    const r = await scoreSeriesWithModel(bundled.modelPath, short);
    expect(r.scores.length).toBe(100);
    expect(r.windowStarts.length).toBe(1);
    expect(await errorCode(scoreSeriesWithModel(bundled.modelPath, short, { stride: 0 }))).toBe('invalid_input');
    expect(await errorCode(scoreSeriesWithModel(bundled.modelPath, short, { stride: 1000 }))).toBe('invalid_input');
  });

  it('scores injected anomalies above normal points', async () => {
    // Ranking, not calibration: the bundled model is trained on labels widened around each event, so
    // points next to an anomaly score high too. Pooled AUC-ROC over six series (0.5 = chance).
    const pooledScores: number[] = [];
    const pooledLabels: number[] = [];
    for (let seed = 100; seed < 106; seed++) {
      const s = generateSeries({
        length: 2048,
        seed,
        anomalies: 2,
        types: ['global-point', 'level-shift', 'flatline', 'variance-change'],
      });
      const r = await scoreSeriesWithModel(bundled.modelPath, s.values, { provider: 'cpu', card: bundled.card });
      const labels = new Uint8Array(2048);
      for (const a of s.anomalies) labels.fill(1, a.start, a.end);
      pooledScores.push(...r.scores);
      pooledLabels.push(...labels);
      for (const a of s.anomalies) {
        const dist = intervalTypeDistribution(r, a.start, a.end);
        expect(Object.values(dist ?? {}).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      }
    }
    expect(aucRoc(Float64Array.from(pooledScores), Uint8Array.from(pooledLabels))).toBeGreaterThan(0.85);
  });
});

describe('model registry', () => {
  it('finds the bundled model with its card', async () => {
    const { models, problems } = await listModels({ bundledDir: defaultBundledModelsDir() });
    expect(problems).toEqual([]);
    const m = models.find((x) => x.id === bundled.id);
    expect(m?.source).toBe('bundled');
    expect(m?.card.inputs[0]?.shape).toEqual(['batch', 3, 256]);
  });

  it('orders versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.2')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.0-ft1')).toBeLessThan(0);
    expect(compareVersions('2.0', '2.0')).toBe(0);
  });

  it('adds user models, resolves the newest, reports bad folders and refuses bad or duplicate models', async () => {
    const userDir = join(tmp, 'user-models');
    const source = join(tmp, 'plain.onnx');
    await copyFile(bundled.modelPath, source);
    const added = await addModelFromDisk(source, { userDir, name: bundled.name, version: '99.0.0' });
    expect(added.id).toBe(`${bundled.name}@99.0.0`);
    // a bare ONNX file gets its hash in the card written for it (checked on every later load)
    expect(added.card.onnx.sha256).toBe(bundled.card.onnx.sha256);
    expect((await resolveModel(added.id, { userDir })).card.onnx.sha256).toBe(bundled.card.onnx.sha256);
    expect((await resolveModel(bundled.name, { userDir })).id).toBe(added.id);
    expect((await resolveModel(bundled.id, { userDir })).source).toBe('bundled');
    expect(await errorCode(addModelFromDisk(source, { userDir, name: bundled.name, version: '99.0.0' }))).toBe('conflict');
    expect(await errorCode(addModelFromDisk(join(FIXTURES, 'wrong-shape.onnx'), { userDir, name: 'bad', version: '1' }))).toBe(
      'invalid_input',
    );
    expect(await errorCode(addModelFromDisk(source, { userDir }))).toBe('invalid_input');
    // A folder copy of the bundled model (card + onnx), as fine-tuning writes it.
    const copied = await addModelFromDisk(bundled.dir, { userDir: join(tmp, 'user2') });
    expect(copied.card.onnx.sha256).toBe(bundled.card.onnx.sha256);

    await mkdir(join(userDir, 'broken', '1'), { recursive: true });
    await writeFile(join(userDir, 'broken', '1', 'card.json'), '{ not json');
    const { problems } = await listModels({ userDir });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/not valid JSON/);
    expect(await errorCode(resolveModel('no-such-model', { userDir }))).toBe('not_found');
  });
});

describe('modelDetector', () => {
  it('scores like the Detector contract: one score per point, NaN where input is missing', async () => {
    const det = await modelDetector('tsad-window-cnn', { provider: 'cpu' });
    try {
      expect(det.id).toBe('model:tsad-window-cnn');
      const values = generateSeries({ length: 1000, seed: 3, anomalies: 1, types: ['dropout'] }).values;
      const scores = await det.score(values, { stride: 256, batchSize: 16 });
      expect(scores.length).toBe(1000);
      for (let i = 0; i < 1000; i++) expect(Number.isNaN(scores[i])).toBe(Number.isNaN(values[i]));
      expect(det.lastExecution()).toMatchObject({ provider: 'cpu', model: bundled.id });
    } finally {
      await det.release();
    }
  });
});
