import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinetuneStarted } from '../../../common/detection';
import { splitSeries } from '../../../main/backend/models';
import { makeBackend, valueOf as value } from '../../helpers/backend';

// Without a Python that has PyTorch (forced here with TSAD_PYTHON=none, read once per process), "fine-tune"
// exports the labeled data and hands back the exact command instead of a job.
process.env.TSAD_PYTHON = 'none';

let made: ReturnType<typeof makeBackend>;
beforeAll(async () => {
  made = makeBackend();
  value(await made.backend.call('openSampleProject', {}));
});
afterAll(() => made.cleanup());

describe('fine-tuning without Python', () => {
  it('exports the labeled series and returns the command that trains the new version', async () => {
    const started = value<FinetuneStarted>(await made.backend.call('finetuneModel', { base: 'tsad-window-cnn' }));
    expect(started.jobId).toBeNull();
    expect(started.reason).toMatch(/TSAD_PYTHON=none/);
    expect(started.heldOutSeriesIds).toEqual([]); // one labeled series: nothing to hold out
    expect(fs.existsSync(path.join(started.dataDir, 'manifest.json'))).toBe(true);
    expect(started.command).toContain('finetune.py');
    expect(started.command).toContain(started.dataDir);
    expect(started.command).toContain(started.outDir);
    expect(started.outDir.startsWith(path.join(made.dir, 'state', 'models'))).toBe(true);
    expect(fs.existsSync(started.outDir)).toBe(false); // nothing trained, nothing registered
  });
});

describe('labels are required', () => {
  it('refuses to calibrate or fine-tune when no chosen series has a label', async () => {
    const store = made.backend.currentProject()!;
    const [series] = store.listSeries();
    store.deleteLabels(store.listLabels(series.id).map((l) => l.id));
    for (const call of [
      made.backend.call('calibrateEnsemble', {}),
      made.backend.call('finetuneModel', { base: 'tsad-window-cnn' }),
    ]) {
      const result = await call;
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid_input');
        expect(result.error.message).toMatch(/label/);
      }
    }
  });
});

describe('splitSeries', () => {
  it('holds out a seeded, disjoint share and keeps at least one series on each side', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const a = splitSeries(ids, 0.3, 7);
    expect(a.heldOut).toHaveLength(3);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual(ids);
    expect(splitSeries(ids, 0.3, 7)).toEqual(a);
    expect(splitSeries(ids, 0.3, 8)).not.toEqual(a);
    expect(splitSeries([1, 2], 0.9, 1).train).toHaveLength(1);
    expect(splitSeries([1], 0.5, 1)).toEqual({ train: [1], heldOut: [] });
    expect(splitSeries(ids, 0, 1).heldOut).toEqual([]);
  });
});
