import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoProject } from '../../../main/datasets/import-into-project';
import { ProjectStore } from '../../../main/store';
import { runCli } from '../../helpers/cli';
import { makeTempDir, TEST_DATA } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-cli-')));
afterAll(() => tmp.cleanup());

function listCsv(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listCsv(p);
    return e.name.endsWith('.csv') && !e.name.startsWith('uni_mergedTable') ? [p] : [];
  });
}

/** Rows and label runs counted the naive way, straight from the text. */
function expected(file: string): { rows: number; labelRuns: number | null; valueColumns: number } {
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const labelCol = header.findIndex((h) => h === 'Label' || h === 'is_anomaly');
  let runs = 0;
  let prev = '0';
  for (const line of lines.slice(1)) {
    const cell = labelCol >= 0 ? line.split(',')[labelCol] : '0';
    const on = cell !== '0' && cell !== '0.0' ? '1' : '0';
    if (on === '1' && prev === '0') runs++;
    prev = on;
  }
  const ignored = header.filter(
    (h) => h === 'timestamp' || h === '' || h === 'is_ignored' || h === 'Label' || h === 'is_anomaly',
  ).length;
  return { rows: lines.length - 1, labelRuns: labelCol >= 0 ? runs : null, valueColumns: header.length - ignored };
}

const nabWindows = JSON.parse(fs.readFileSync(path.join(TEST_DATA, 'nab/labels/combined_windows.json'), 'utf8')) as Record<
  string,
  unknown[]
>;

describe('importing every file of test/fixtures/data', () => {
  const files = listCsv(TEST_DATA);

  it('finds the test data', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it('imports each file with the right length and label count', async () => {
    for (const file of files) {
      const project = path.join(tmp.dir, `${path.basename(file)}.tsad.sqlite`);
      ProjectStore.create(project).close();
      const result = await importIntoProject({ projectPath: project, filePath: file });
      const want = expected(file);
      const rel = path.relative(TEST_DATA, file);
      expect(result.rows, rel).toBe(want.rows);
      expect(result.seriesIds.length, rel).toBe(want.valueColumns);
      const nabKey = rel.startsWith('nab/data/') ? rel.slice('nab/data/'.length) : null;
      const wantLabels = nabKey ? (nabWindows[nabKey]?.length ?? 0) : (want.labelRuns ?? 0);
      expect(result.labels, rel).toBe(wantLabels);
      const store = ProjectStore.open(project);
      for (const s of store.listSeries()) {
        expect(s.length, rel).toBe(want.rows);
        expect(s.labelCount, rel).toBe(wantLabels);
      }
      store.close();
    }
  });
});

describe('tsad import / tsad info (real CLI processes)', () => {
  it('creates the project, imports with labels, and reports lengths and label counts as one JSON object', () => {
    const project = path.join(tmp.dir, 'cli.tsad.sqlite');
    const file = path.join(TEST_DATA, 'nab/data/realKnownCause/machine_temperature_system_failure.csv');
    const imported = runCli(['import', file, '--project', project, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const result = JSON.parse(imported.stdout) as { rows: number; labels: number; seriesIds: number[] };
    expect(result).toMatchObject({ rows: 22_695, labels: 4 });

    const second = runCli([
      'import',
      path.join(TEST_DATA, 'tsb-ad-sample/277_NEK_id_1_WebService_tr_500_1st_17.csv'),
      '--project',
      project,
      '--json',
    ]);
    expect(second.status, second.stderr).toBe(0);

    const info = runCli(['info', project, '--json']);
    expect(info.status).toBe(0);
    expect(info.stdout.trim().split('\n')).toHaveLength(1);
    const parsed = JSON.parse(info.stdout) as {
      datasets: { name: string; series: { id: number; name: string; length: number; labelCount: number }[] }[];
    };
    expect(parsed.datasets).toHaveLength(2);
    expect(parsed.datasets[0].series[0]).toMatchObject({ id: result.seriesIds[0], name: 'value', length: 22_695, labelCount: 4 });
    expect(parsed.datasets[1].series[0]).toMatchObject({ name: 'Data', length: 1073 });
  });

  it('fails with a clear error, exit code and no project left behind on bad input', () => {
    const project = path.join(tmp.dir, 'bad.tsad.sqlite');
    const garbage = path.join(tmp.dir, 'garbage.csv');
    fs.writeFileSync(garbage, Buffer.from([0, 159, 146, 150, 0, 1, 2, 3, 255, 254]));
    const r = runCli(['import', garbage, '--project', project, '--json']);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    const err = JSON.parse(r.stderr.trim().split('\n').at(-1) ?? '{}') as { error?: { message: string } };
    expect(err.error?.message).toContain('garbage.csv');
    expect(fs.existsSync(project)).toBe(false);

    const missing = runCli(['info', path.join(tmp.dir, 'nope.tsad.sqlite')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No project file/);
    const usage = runCli(['import', '--json']);
    expect(usage.status).toBe(2);
  });

  it('prints help', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['serve', 'import', 'info', 'detect', 'detectors', 'evaluate']) expect(r.stdout).toContain(cmd);
  });
});
