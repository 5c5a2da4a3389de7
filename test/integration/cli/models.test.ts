import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { makeTempDir, TEST_DATA } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
let env: Record<string, string>;
let project: string;
beforeAll(() => {
  tmp = makeTempDir('tsad-cli-models-');
  env = { TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
  project = path.join(tmp.dir, 'p.tsad.sqlite');
  const file = path.join(TEST_DATA, 'tsb-ad-sample/001_NAB_id_1_Facility_tr_1007_1st_2014.csv');
  expect(runCli(['import', file, '--project', project, '--json'], env).status).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('tsad models / synth / calibrate / finetune / detect model: (real CLI processes)', () => {
  it('lists the models as one JSON object', () => {
    const r = runCli(['models', 'list', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const listing = JSON.parse(r.stdout) as { models: { id: string; source: string }[]; providers: { name: string }[] };
    expect(listing.models.some((m) => m.id.startsWith('tsad-window-cnn@') && m.source === 'bundled')).toBe(true);
    expect(listing.providers.map((p) => p.name)).toContain('cpu');
  });

  it('writes the same synthetic series for the same seed', () => {
    const outs = ['a', 'b', 'c'].map((n) => path.join(tmp.dir, `synth-${n}`));
    for (const [i, out] of outs.entries()) {
      const r = runCli(['synth', '--out', out, '--count', '3', '--seed', i < 2 ? '5' : '6', '--length', '1000', '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ series: 3, seed: i < 2 ? 5 : 6, length: 1000 });
    }
    const read = (dir: string) => fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    expect(read(outs[0])).toBe(read(outs[1]));
    expect(read(outs[0])).not.toBe(read(outs[2]));
    expect(runCli(['synth', '--out', outs[0], '--count', '-1'], env).status).toBe(2);
  });

  it('runs a learned model as a detector and records the version and provider that ran', () => {
    const r = runCli(['detect', project, '--detector', 'model:tsad-window-cnn', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const { run } = JSON.parse(r.stdout) as {
      run: { detector: string; detectorVersion: string; status: string; execution: Record<string, unknown> };
    };
    expect(run.status).toBe('done');
    expect(run.detector).toBe(`model:tsad-window-cnn@${run.detectorVersion}`);
    expect(run.execution.provider).toBe('cpu');
    const bad = runCli(['detect', project, '--detector', 'model:nope', '--json'], env);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/No model 'nope'/);
  });

  it('calibrates the ensemble from the labels and prints the parameters to run it with', () => {
    const r = runCli(['calibrate', project, '--hold-out', '0.3', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const { calibration } = JSON.parse(r.stdout) as { calibration: { params: { members: string[] }; seriesUsed: number } };
    expect(calibration.seriesUsed).toBe(1);
    expect(calibration.params.members.length).toBeGreaterThan(0);
    expect(runCli(['calibrate', project, '--hold-out', '2'], env).status).toBe(2);
  });

  it('without Python prints the training command and exits 3, leaving no model behind', () => {
    const out = path.join(tmp.dir, 'ft-out');
    const r = runCli(['finetune', project, '--base', 'tsad-window-cnn', '--out', out, '--json'], { ...env, TSAD_PYTHON: 'none' });
    expect(r.status, r.stderr).toBe(3);
    const { finetune, done } = JSON.parse(r.stdout) as { finetune: { command: string; dataDir: string }; done: boolean };
    expect(done).toBe(false);
    expect(finetune.command).toContain('finetune.py');
    expect(fs.existsSync(path.join(finetune.dataDir, 'manifest.json'))).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
    const missing = runCli(['finetune', project, '--out', out], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--base is required/);
  });
});
