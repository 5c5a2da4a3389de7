// An import killed with SIGKILL: into a new project, before and after the dataset went in (the project is
// built under a temporary name), it leaves no project and, after the next import into the folder, no
// temporary; into an existing project it leaves the project as it was. The retry then succeeds.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTemporaries, ProjectStore } from '../../main/store';
import { makeTempDir, TEST_DATA } from '../helpers/tmp';
import { cli, killAtPhase, makeProject } from './helpers';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-reliability-import-')));
afterAll(() => tmp.cleanup());

const FILE = path.join(TEST_DATA, 'tsb-ad-sample', '001_NAB_id_1_Facility_tr_1007_1st_2014.csv');

describe('a killed import', () => {
  it('leaves no project when it was creating one, the project as it was otherwise, and no temporaries', async () => {
    const env = { TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
    const fresh = path.join(tmp.dir, 'new.tsad.sqlite');
    await killAtPhase(['import', FILE, '--project', fresh], 'import:read', tmp.dir, env);
    expect(fs.existsSync(fresh)).toBe(false);
    await killAtPhase(['import', FILE, '--project', fresh], 'import:inserted', tmp.dir, env);
    expect(fs.existsSync(fresh)).toBe(false);
    expect(listTemporaries(tmp.dir).map((t) => t.purpose)).toContain('create');

    const retry = await cli(['import', FILE, '--project', fresh, '--json'], env);
    expect(retry.status, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ rows: 4031, labels: 3 });
    expect(fs.readdirSync(tmp.dir).filter((n) => n.startsWith('.'))).toEqual([]);

    const existing = path.join(tmp.dir, 'old.tsad.sqlite');
    makeProject(existing, 2, 500);
    await killAtPhase(['import', FILE, '--project', existing], 'import:read', tmp.dir, env);
    const store = ProjectStore.open(existing, { readOnly: true });
    try {
      expect(store.listSeries()).toHaveLength(2);
    } finally {
      store.close();
    }
  }, 240_000);
});
