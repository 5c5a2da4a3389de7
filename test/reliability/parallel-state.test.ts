// Dozens of processes at once on one per-user state folder: none fails, and every project they opened
// is in the recent list (each writer writes its own entry under a fresh temporary name; the list is the
// merge of what is on disk). Twelve are real CLI commands (one per project); 36 more record the same
// projects through the backend's own AppState.touch in a small process (recent.child.ts), since a whole
// CLI start-up costs about 2 s of CPU and 48 of them would only measure a loaded machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppState } from '../../main/backend/app-state';
import { ProjectStore } from '../../main/store';
import { makeTempDir, REPO_ROOT } from '../helpers/tmp';
import { cli } from './helpers';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir('tsad-reliability-state-')));
afterAll(() => tmp.cleanup());

function touchInChild(stateDir: string, project: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/reliability/recent.child.ts', stateDir, project], {
      cwd: REPO_ROOT,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('parallel processes on one state folder', () => {
  it('48 at once (12 CLI commands): all succeed and every project is in the recent list', async () => {
    const stateDir = path.join(tmp.dir, 'state');
    const projects = Array.from({ length: 12 }, (_, i) => path.join(tmp.dir, `p${i}.tsad.sqlite`));
    for (const p of projects) ProjectStore.create(p).close();
    const results = await Promise.all([
      ...projects.map((p) => cli(['explain', p, '--json'], { TSAD_STATE_DIR: stateDir })),
      ...[...projects, ...projects, ...projects].map((p) => touchInChild(stateDir, p)),
    ]);
    expect(results).toHaveLength(48);
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const recent = new AppState(stateDir).recentProjects().map((r) => r.path);
    expect([...recent].sort()).toEqual([...projects].sort());
    expect(fs.readdirSync(path.join(stateDir, 'recent')).filter((n) => n.includes('tsad-tmp'))).toEqual([]);
  }, 300_000);
});
