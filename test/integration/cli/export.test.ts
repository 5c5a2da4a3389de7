import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store';
import { runCli } from '../../helpers/cli';
import { makeTempDir, TEST_DATA } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-cli-export-')));
afterAll(() => tmp.cleanup());

describe('tsad export / tsad import-labels (real CLI processes)', () => {
  it('exports labels, refuses to overwrite, reports a dry run, and imports them into another project unchanged', () => {
    const file = path.join(TEST_DATA, 'tsb-ad-sample/277_NEK_id_1_WebService_tr_500_1st_17.csv');
    const a = path.join(tmp.dir, 'a.tsad.sqlite');
    const b = path.join(tmp.dir, 'b.tsad.sqlite');
    expect(runCli(['import', file, '--project', a, '--json']).status).toBe(0);
    expect(runCli(['import', file, '--project', b, '--json']).status).toBe(0);
    // b starts without labels: delete the imported ones
    const sb = ProjectStore.open(b);
    sb.deleteLabels(sb.listLabels(sb.listSeries()[0].id).map((l) => l.id));
    sb.close();

    const out = path.join(tmp.dir, 'labels.csv');
    const dry = runCli(['export', a, '--format', 'labels-csv', '--out', out, '--dry-run', '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, labels: 2 });
    expect(fs.existsSync(out)).toBe(false);

    expect(runCli(['export', a, '--format', 'labels-csv', '--out', out, '--json']).status).toBe(0);
    const again = runCli(['export', a, '--format', 'labels-csv', '--out', out, '--json']);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/exist/i);

    const strip = (p: string) => {
      const s = ProjectStore.open(p);
      const labels = s.listLabels(s.listSeries()[0].id).map((l) => ({ start: l.start, end: l.end, type: l.type, note: l.note }));
      s.close();
      return labels;
    };
    const before = strip(b);
    const check = runCli(['import-labels', b, out, '--format', 'labels-csv', '--dry-run', '--json']);
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ dryRun: true, labels: 2 });
    expect(strip(b)).toEqual(before); // a dry run changes nothing

    const imp = runCli(['import-labels', b, out, '--format', 'labels-csv', '--json']);
    expect(imp.status, imp.stderr).toBe(0);
    expect(strip(b)).toEqual(strip(a));

    const bad = path.join(tmp.dir, 'bad.csv');
    fs.writeFileSync(bad, fs.readFileSync(out, 'utf8').replace(/\n([^\n#]*?),(\d+),(\d+),/, '\n$1,$3,$2,'));
    const refused = runCli(['import-labels', b, bad, '--format', 'labels-csv', '--json']);
    expect(refused.status).not.toBe(0);
  });
});
