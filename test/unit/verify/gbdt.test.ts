import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fitGbdt, fitPlatt, gbdtToOnnx, predictProbability, predictRaw, scaleGbdt } from '../../../main/verify/gbdt';
import { seeded } from '../../helpers/random';

/** Two noisy features decide the class; a third is noise. Values are float32, as the verifier's features are. */
function dataset(n: number, seed: number) {
  const r = seeded(seed);
  const X: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from([r(), r(), r()], Math.fround);
    X.push(x);
    y.push(x[0] + 0.6 * x[1] * x[1] + 0.15 * (r() - 0.5) > 0.9 ? 1 : 0);
  }
  return { X, y };
}

async function onnxProbabilities(bytes: Uint8Array, X: Float64Array[], output: string, width: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  const flat = new Float32Array(X.length * X[0].length);
  X.forEach((x, i) => flat.set(x, i * x.length));
  const out = await session.run({ features: new ort.Tensor('float32', flat, [X.length, X[0].length]) });
  await session.release();
  const data = out[output].data as Float32Array;
  expect(data.length).toBe(X.length * width);
  return data;
}

describe('gradient-boosted trees', () => {
  it('learns a nonlinear boundary that holds on new data', () => {
    const train = dataset(2000, 1);
    const test = dataset(1000, 2);
    const model = fitGbdt(train.X, train.y, { rounds: 80 });
    const accuracy = test.X.filter((x, i) => (predictProbability(model, x) > 0.5 ? 1 : 0) === test.y[i]).length / test.X.length;
    expect(accuracy).toBeGreaterThan(0.9);
    // the noise feature is never the most useful split at the root
    expect(model.trees[0][0].feature).not.toBe(2);
  });

  it('is deterministic: same data, same trees, same ONNX bytes', () => {
    const { X, y } = dataset(500, 3);
    const a = gbdtToOnnx(fitGbdt(X, y, { rounds: 20 }));
    const b = gbdtToOnnx(fitGbdt(X, y, { rounds: 20 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('onnxruntime computes the same probabilities as the TypeScript trees, for the binary and the type head', async () => {
    const { X, y } = dataset(800, 4);
    const model = fitGbdt(X, y, { rounds: 40 });
    const other = fitGbdt(
      X,
      y.map((v) => 1 - v),
      { rounds: 10 },
    );
    const empty = { base: -2, trees: [], featureCount: 3 };
    const bytes = gbdtToOnnx(model, { name: 'test' }, [model, other, empty]);
    const p = await onnxProbabilities(bytes, X, 'probability', 1);
    const types = await onnxProbabilities(bytes, X, 'type_probability', 3);
    let worst = 0;
    X.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(p[i] - predictProbability(model, x)));
      worst = Math.max(worst, Math.abs(types[i * 3] - predictProbability(model, x)));
      worst = Math.max(worst, Math.abs(types[i * 3 + 1] - predictProbability(other, x)));
      worst = Math.max(worst, Math.abs(types[i * 3 + 2] - predictProbability(empty, x)));
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('Platt scaling recovers a known sigmoid and folds into the trees', () => {
    const r = seeded(5);
    const raw = Array.from({ length: 4000 }, () => 6 * (r() - 0.5));
    // true probability sigmoid(2·raw − 1)
    const y = raw.map((z) => (r() < 1 / (1 + Math.exp(-(2 * z - 1))) ? 1 : 0));
    const { a, b } = fitPlatt(raw, y);
    expect(a).toBeGreaterThan(1.6);
    expect(a).toBeLessThan(2.4);
    expect(b).toBeGreaterThan(-1.4);
    expect(b).toBeLessThan(-0.6);
    const { X, y: yy } = dataset(300, 6);
    const model = fitGbdt(X, yy, { rounds: 10 });
    const scaled = scaleGbdt(model, a, b);
    for (const x of X.slice(0, 20)) expect(predictRaw(scaled, x)).toBeCloseTo(a * predictRaw(model, x) + b, 9);
  });

  it('refuses an empty training set', () => {
    expect(() => fitGbdt([], [])).toThrow(/no examples/);
  });
});
