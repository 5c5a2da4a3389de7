import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { makeTempDir, TEST_DATA } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-batch-')));
afterAll(() => tmp.cleanup());

describe('tsad batch (real CLI process)', () => {
  it('processes every data file, keeps going past a bad one, and exits 1 with a summary that says why', () => {
    const dir = path.join(tmp.dir, 'in');
    fs.mkdirSync(dir);
    for (const f of ['001_NAB_id_1_Facility_tr_1007_1st_2014.csv', '277_NEK_id_1_WebService_tr_500_1st_17.csv']) {
      fs.copyFileSync(path.join(TEST_DATA, 'tsb-ad-sample', f), path.join(dir, f));
    }
    fs.writeFileSync(path.join(dir, 'broken.csv'), 'a,b\n1,2\n3\n');
    fs.writeFileSync(path.join(dir, 'README.txt'), 'not data');
    const out = path.join(tmp.dir, 'out');
    const r = runCli(['batch', dir, '--detector', 'level-shift', '--out', out, '--json']);
    expect(r.status).toBe(1);
    const summary = JSON.parse(r.stdout) as {
      files: number;
      failed: number;
      rows: { file: string; rows: number; labels: number; error: string | null; metrics: Record<string, number | null> | null }[];
    };
    expect(summary).toMatchObject({ files: 3, failed: 1 });
    const byName = new Map(summary.rows.map((row) => [path.basename(row.file), row]));
    expect(byName.get('broken.csv')?.error).toMatch(/broken\.csv/);
    expect(byName.get('001_NAB_id_1_Facility_tr_1007_1st_2014.csv')).toMatchObject({ rows: 4031, labels: 3, error: null });
    expect(typeof byName.get('277_NEK_id_1_WebService_tr_500_1st_17.csv')?.metrics?.auc_pr).toBe('number');
    expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(true);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tsad.sqlite'))).toHaveLength(2);
  });
});
