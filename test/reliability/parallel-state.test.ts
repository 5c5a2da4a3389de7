// CLI commands at once on one per-user state folder: none fails, and every project they opened
// is in the recent list (each writer writes its own entry under a fresh temporary name; the list is the
// merge of what is on disk).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppState } from '../../main/backend/app-state';
import { ProjectStore } from '../../main/store';
import { makeTempDir } from '../helpers/tmp';
import { cli } from './helpers';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-reliability-state-')));
afterAll(() => tmp.cleanup());

describe('parallel CLI commands on one state folder', () => {
  it('all succeed and every project is in the recent list', async () => {
    const stateDir = path.join(tmp.dir, 'state');
    const projects = Array.from({ length: 5 }, (_, i) => path.join(tmp.dir, `p${i}.tsad.sqlite`));
    for (const p of projects) ProjectStore.create(p).close();
    // ten commands, two per project, all at once (more would only measure a loaded machine's process start-up)
    const results = await Promise.all(
      [...projects, ...projects].map((p) => cli(['explain', p, '--json'], { TSAD_STATE_DIR: stateDir })),
    );
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const recent = new AppState(stateDir).recentProjects().map((r) => r.path);
    expect([...recent].sort()).toEqual([...projects].sort());
    expect(fs.readdirSync(path.join(stateDir, 'recent')).filter((n) => n.includes('tsad-tmp'))).toEqual([]);
  }, 300_000);
});
