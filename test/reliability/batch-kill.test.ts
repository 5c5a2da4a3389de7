// A batch killed with SIGKILL midway: its output folder holds only finished projects (each built under a
// temporary name and renamed once imported and detected), summary.json reads back as interrupted with the
// files that finished, and the next batch into the folder says so, sweeps the temporaries and completes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBatchSummary } from '../../main/runs';
import { listTemporaries, ProjectStore } from '../../main/store';
import { makeTempDir, TEST_DATA } from '../helpers/tmp';
import { cli, killAtPhase } from './helpers';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-reliability-batch-')));
afterAll(() => tmp.cleanup());

describe('a killed batch', () => {
  it('leaves finished projects only, an interrupted summary, and nothing after the next batch', async () => {
    const dir = path.join(tmp.dir, 'in');
    fs.mkdirSync(dir);
    const names = ['001_NAB_id_1_Facility_tr_1007_1st_2014.csv', '277_NEK_id_1_WebService_tr_500_1st_17.csv'];
    for (const f of names) fs.copyFileSync(path.join(TEST_DATA, 'tsb-ad-sample', f), path.join(dir, f));
    fs.copyFileSync(path.join(dir, names[0]), path.join(dir, `copy-${names[0]}`));
    const out = path.join(tmp.dir, 'out');
    const env = { TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
    const args = ['batch', dir, '--detector', 'level-shift', '--out', out];

    await killAtPhase(args, 'batch:imported#2', tmp.dir, env);
    const summary = readBatchSummary(out);
    expect(summary?.status).toBe('interrupted');
    expect(summary?.message).toMatch(/was interrupted: process \d+ .* ended after \d of 3 files/);
    expect(summary!.rows.length).toBeLessThan(3);
    expect(listTemporaries(out).filter((t) => t.purpose === 'create').length).toBeGreaterThan(0);
    const finished = new Set(summary!.rows.map((r) => r.project));
    const projects = fs.readdirSync(out).filter((n) => n.endsWith('.tsad.sqlite') && !n.startsWith('.'));
    // every project there is one the summary lists as finished, and its run is done
    expect(projects.map((n) => path.join(out, n)).filter((p) => !finished.has(p))).toEqual([]);
    for (const p of projects) {
      const store = ProjectStore.open(path.join(out, p), { readOnly: true });
      try {
        expect(store.runs.list().map((r) => r.status)).toEqual(['done']);
      } finally {
        store.close();
      }
    }

    const again = await cli(args, env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('was interrupted');
    expect(readBatchSummary(out)).toMatchObject({ status: 'done', files: 3, failed: 0 });
    expect(fs.readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(fs.readdirSync(out).filter((n) => n.endsWith('.tsad.sqlite'))).toHaveLength(3);
  }, 240_000);
});
