import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { sineWithSpikeAndShift } from '../../helpers/random';
import { makeTempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
let env: Record<string, string>;
let project: string;
beforeAll(() => {
  tmp = makeTempDir('tsad-cli-verifier-');
  env = { TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
  const values = sineWithSpikeAndShift(3000);
  // the spike at 1500 labeled in the file
  const rows = Array.from(values, (v, i) => `${v.toFixed(5)},${i >= 1498 && i < 1503 ? 1 : 0}`);
  const csv = path.join(tmp.dir, 'labeled.csv');
  fs.writeFileSync(csv, `value,label\n${rows.join('\n')}\n`);
  project = path.join(tmp.dir, 'p.tsad');
  const imported = runCli(['import', csv, '--project', project, '--label-column', 'label', '--no-time', '--json'], env);
  expect(imported.status, imported.stderr).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('tsad detect (two-stage by default) and tsad verifier (real CLI processes)', () => {
  it('runs the two stages when no detector is named, and records the verifier', () => {
    const r = runCli(['detect', project, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const { run } = JSON.parse(r.stdout) as { run: { detector: string; status: string; execution: Record<string, unknown> } };
    expect(run).toMatchObject({ detector: 'two-stage', status: 'done' });
    expect(run.execution).toMatchObject({ stage: 'two-stage', verifier: 'tsad-verifier@1.0.0' });
  });

  it('lists the bundled verifier, retrains one on the project labels, and lists it too', () => {
    const list = runCli(['verifier', 'list', '--json'], env);
    expect(list.status, list.stderr).toBe(0);
    const before = (JSON.parse(list.stdout) as { verifiers: { id: string; source: string }[] }).verifiers;
    expect(before).toContainEqual(expect.objectContaining({ id: 'tsad-verifier@1.0.0', source: 'bundled' }));
    const retrain = runCli(['verifier', 'retrain', project, '--json'], env);
    expect(retrain.status, retrain.stderr).toBe(0);
    const { retrain: result } = JSON.parse(retrain.stdout) as { retrain: { verifier: string; examples: { positives: number } } };
    expect(result.verifier).toBe('tsad-verifier@1.0.0-r.1');
    expect(result.examples.positives).toBeGreaterThan(0);
    const after = (JSON.parse(runCli(['verifier', 'list', '--json'], env).stdout) as { verifiers: { id: string }[] }).verifiers;
    expect(after.map((v) => v.id)).toContain('tsad-verifier@1.0.0-r.1');
  });

  it('says what is wrong with a bad action or a missing project', () => {
    const bad = runCli(['verifier', 'frobnicate'], env);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Unknown verifier action "frobnicate"/);
    const missing = runCli(['verifier', 'retrain'], env);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/project/);
  });
});
