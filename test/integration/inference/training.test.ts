import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateTrainingDir } from '../../../main/finetune';
import { loadModel, scanModels } from '../../../main/inference';
import { writeSynthDataset } from '../../../main/synth';
import { trainingPython } from '../../helpers/python';

// CI's small training run: training/train.py --quick from scratch on a few synthetic series, then
// training/parity.py, and onnxruntime-node must reproduce the fresh PyTorch outputs within 1e-4. Needs a
// Python with torch and onnx (CI installs python3-torch); skipped, naming why, without one.
const run = promisify(execFile);
const python = await trainingPython();
const NO_TORCH = python.ok ? '' : ` (skipped: ${python.reason})`;
const TOL = 1e-4;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'train-quick-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('training/train.py quick run', () => {
  it.skipIf(!python.ok)(
    `trains a model from scratch, exports ONNX with a consistent card, and passes parity in onnxruntime-node${NO_TORCH}`,
    async () => {
      if (!python.ok) return;
      const data = join(tmp, 'synth');
      await writeSynthDataset(data, 30, 11, { length: 1024 });
      const root = join(tmp, 'models');
      const out = join(root, 'tsad-window-cnn', '0.0.1');
      const training = locateTrainingDir();
      const env = { ...process.env, OMP_NUM_THREADS: '1' };
      const t0 = performance.now();
      await run(python.python, [join(training, 'train.py'), '--data', data, '--out', out, '--quick', '--steps', '60'], {
        cwd: training,
        env,
      });
      await run(python.python, [join(training, 'parity.py'), '--model', out], { cwd: training, env });
      expect((performance.now() - t0) / 1000).toBeLessThan(60);

      const { models, problems } = await scanModels(root, 'user');
      expect(problems).toEqual([]);
      const entry = models[0];
      expect(entry?.id).toBe('tsad-window-cnn@0.0.1');
      const fixture = JSON.parse(await readFile(join(out, 'parity.json'), 'utf8')) as {
        sha256: string;
        batch: { shape: number[]; input: number[]; score: number[]; typeProbs: number[] };
      };
      expect(fixture.sha256).toBe(entry?.card.onnx.sha256);
      // the registry's checks: the file's sha256 matches its card, input/outputs are what the card says
      await (await loadModel(entry!.modelPath, { card: entry!.card, provider: 'cpu' })).release();
      const session = await ort.InferenceSession.create(entry!.modelPath, { executionProviders: ['cpu'] });
      try {
        const input = new ort.Tensor('float32', Float32Array.from(fixture.batch.input), fixture.batch.shape);
        const result = await session.run({ x: input });
        expect(maxAbsDiff(result.score?.data as Float32Array, fixture.batch.score)).toBeLessThan(TOL);
        expect(maxAbsDiff(result.type_probs?.data as Float32Array, fixture.batch.typeProbs)).toBeLessThan(TOL);
      } finally {
        await session.release();
      }
    },
    120_000,
  );
});
