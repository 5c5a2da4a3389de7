import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { makeTempDir, TEST_DATA } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-cli-detect-')));
afterAll(() => tmp.cleanup());

describe('tsad detectors / detect / evaluate (real CLI processes)', () => {
  it('lists detectors with their manifests as one JSON object', () => {
    const r = runCli(['detectors', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const { detectors } = JSON.parse(r.stdout) as { detectors: { id: string; params: Record<string, { default: unknown }> }[] };
    expect(detectors.map((d) => d.id)).toContain('ensemble');
    expect(detectors.find((d) => d.id === 'rolling-zscore')?.params.window.default).toBe(100);
  });

  it('runs a detector on a project in worker threads, stores the run, and evaluates it against the labels', () => {
    const project = path.join(tmp.dir, 'p.tsad.sqlite');
    const file = path.join(TEST_DATA, 'tsb-ad-sample/001_NAB_id_1_Facility_tr_1007_1st_2014.csv');
    expect(runCli(['import', file, '--project', project, '--json']).status).toBe(0);
    const env = { TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
    const r = runCli(['detect', project, '--detector', 'sr', '--params', '{"threshold":"top-k","k":3}', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const { run } = JSON.parse(r.stdout) as {
      run: { id: number; detector: string; status: string; predictionCount: number; seriesIds: number[] };
    };
    expect(run).toMatchObject({ detector: 'sr', status: 'done', predictionCount: 3 });
    const ev = runCli(['evaluate', project, '--run', String(run.id), '--json'], env);
    expect(ev.status, ev.stderr).toBe(0);
    const parsed = JSON.parse(ev.stdout) as { overall: Record<string, number | null>; perSeries: { labelCount: number }[] };
    expect(parsed.perSeries[0].labelCount).toBeGreaterThan(0);
    for (const key of ['auc_pr', 'auc_roc', 'standard_f1', 'interval_f1']) {
      expect(typeof parsed.overall[key], key).toBe('number');
    }
    expect(parsed.overall.auc_roc!).toBeGreaterThan(0.5); // better than chance on this labeled file
  });

  it('refuses bad detector input with a clear error and exit code', () => {
    const project = path.join(tmp.dir, 'p.tsad.sqlite');
    const bad = runCli(['detect', project, '--detector', 'rolling-zscore', '--params', '{"window":-1}', '--json']);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/window/);
    const unknown = runCli(['detect', project, '--detector', 'nope']);
    expect(unknown.stderr).toMatch(/No detector "nope"/);
  });
});
