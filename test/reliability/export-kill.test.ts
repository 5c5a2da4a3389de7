// Exports killed with SIGKILL while their temporaries exist: the final name is never there half-written,
// and the next open of the project or the next export into that folder leaves no temporary behind.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../common/contract';
import { listTemporaries } from '../../main/store';
import { makeBackend, valueOf } from '../helpers/backend';
import { killAtPhase, makeProject } from './helpers';

let h: ReturnType<typeof makeBackend>;
let env: Record<string, string>;
beforeAll(() => {
  h = makeBackend();
  env = { TSAD_STATE_DIR: path.join(h.dir, 'cli-state') };
});
afterAll(() => h.cleanup());

describe('a killed export', () => {
  it('leaves its temporaries only until the next open or export, and never a partial final file', async () => {
    const project = path.join(h.dir, 'p.tsad.sqlite');
    makeProject(project, 2, 2000);
    const out = path.join(h.dir, 'out');
    fs.mkdirSync(out);

    // a bundle killed after its snapshot, and after its tar was written but before the rename
    await killAtPhase(['export', project, '--format', 'bundle', '--out', path.join(out, 'a.tar')], 'export:snapshot', h.dir, env);
    await killAtPhase(['export', project, '--format', 'bundle', '--out', path.join(out, 'b.tar')], 'export:written', h.dir, env);
    // a labels file killed before its rename, next to the project
    await killAtPhase(
      ['export', project, '--format', 'labels-json', '--out', path.join(h.dir, 'l.json')],
      'export:written',
      h.dir,
      env,
    );

    const left = listTemporaries(out).map((t) => t.purpose);
    expect(left).toContain('snapshot');
    expect(left).toContain('partial');
    expect(listTemporaries(h.dir).map((t) => t.purpose)).toContain('partial');
    for (const name of ['a.tar', 'b.tar']) expect(fs.existsSync(path.join(out, name))).toBe(false);
    expect(fs.existsSync(path.join(h.dir, 'l.json'))).toBe(false);

    // opening the project sweeps its folder
    valueOf(await h.backend.call('openProject', { path: project }));
    expect(listTemporaries(h.dir)).toEqual([]);
    expect(fs.readdirSync(h.dir).filter((n) => n.startsWith('.'))).toEqual([]);

    // starting an export sweeps the destination folder
    const { jobId } = valueOf<{ jobId: string }>(
      await h.backend.call('exportProject', { format: 'labels-json', path: path.join(out, 'c.json') }),
    );
    const job: JobInfo = await h.backend.jobs.wait(jobId);
    expect(job.state, job.error?.message).toBe('done');
    expect(fs.readdirSync(out).sort()).toEqual(['c.json']);
  }, 240_000);
});
