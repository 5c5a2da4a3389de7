import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertInsideRoots } from '../../../main/datasets/paths';
import { makeBackend, valueOf } from '../../helpers/backend';
import { makeTempDir } from '../../helpers/tmp';

// Path confinement (serve mode's roots): a name inside a root that is a dangling symlink to a place outside the
// roots must be refused like the outside path itself; before, the file was created through the link.
let made: ReturnType<typeof makeBackend>;
let outside: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  made = makeBackend();
  outside = makeTempDir('tsad-outside-');
});
afterAll(() => {
  made.cleanup();
  outside.cleanup();
});

function danglingLink(name: string): { link: string; target: string } {
  const target = path.join(outside.dir, `${name}-target`);
  const link = path.join(made.dir, name);
  fs.symlinkSync(target, link);
  return { link, target };
}

describe('a dangling symlink inside a root that points outside', () => {
  it('is refused by createProject, and nothing is written outside', async () => {
    const { link, target } = danglingLink('p.tsad.sqlite');
    const r = await made.backend.call('createProject', { path: link });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(!r.ok && r.error.message).toContain('outside the allowed folders');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('is refused by exportProject, and nothing is written outside', async () => {
    valueOf(await made.backend.call('createProject', { path: path.join(made.dir, 'real.tsad.sqlite') }));
    const { link, target } = danglingLink('labels.csv');
    const r = await made.backend.call('exportProject', { format: 'labels-csv', path: link });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(fs.existsSync(target)).toBe(false);
  });

  it('is followed when it points inside a root (chains too), and a link loop is refused', () => {
    const inside = path.join(made.dir, 'inside-target.csv');
    fs.symlinkSync(inside, path.join(made.dir, 'b-link'));
    fs.symlinkSync(path.join(made.dir, 'b-link'), path.join(made.dir, 'a-link'));
    expect(assertInsideRoots(path.join(made.dir, 'a-link'), [made.dir])).toBe(inside);
    fs.symlinkSync(path.join(made.dir, 'loop-2'), path.join(made.dir, 'loop-1'));
    fs.symlinkSync(path.join(made.dir, 'loop-1'), path.join(made.dir, 'loop-2'));
    expect(() => assertInsideRoots(path.join(made.dir, 'loop-1'), [made.dir])).toThrow(/loop/);
    // a dangling link in a missing sub-folder's parent chain: the link's own target decides
    const { link } = danglingLink('dir-link');
    expect(() => assertInsideRoots(path.join(link, 'x.csv'), [made.dir])).toThrow(/outside the allowed folders/);
  });
});
