import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertInsideRoots } from '../../../main/datasets/index';
import { makeTempDir } from '../../helpers/tmp';

const { dir, cleanup } = makeTempDir('tsad-datasets-paths-');
afterAll(cleanup);

const root = path.join(dir, 'root');
const outside = path.join(dir, 'outside');
fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
fs.mkdirSync(outside, { recursive: true });
fs.writeFileSync(path.join(root, 'sub', 'a.csv'), 'x\n');
fs.writeFileSync(path.join(outside, 'secret.csv'), 'x\n');
fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'escape.csv'));
fs.symlinkSync(outside, path.join(root, 'escape-dir'));
fs.symlinkSync(path.join(root, 'sub', 'a.csv'), path.join(root, 'inside-link.csv'));

describe('assertInsideRoots', () => {
  it('returns the real path of a file inside a root', () => {
    expect(assertInsideRoots(path.join(root, 'sub', 'a.csv'), [root])).toBe(path.join(root, 'sub', 'a.csv'));
    expect(assertInsideRoots(path.join(root, 'sub', '..', 'sub', 'a.csv'), [root])).toBe(path.join(root, 'sub', 'a.csv'));
    expect(assertInsideRoots(path.join(root, 'inside-link.csv'), [root])).toBe(path.join(root, 'sub', 'a.csv'));
    expect(assertInsideRoots(root, [root])).toBe(root);
  });

  it('accepts a not-yet-existing path inside a root (an export target)', () => {
    expect(assertInsideRoots(path.join(root, 'new', 'out.csv'), [root])).toBe(path.join(root, 'new', 'out.csv'));
  });

  it('refuses .. traversal out of the root', () => {
    expect(() => assertInsideRoots(path.join(root, '..', 'outside', 'secret.csv'), [root])).toThrow(
      /outside the allowed folders/,
    );
    expect(() => assertInsideRoots(path.join(root, '..', 'root-sibling.csv'), [root])).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
  });

  it('refuses symlinks that escape the root', () => {
    expect(() => assertInsideRoots(path.join(root, 'escape.csv'), [root])).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
    expect(() => assertInsideRoots(path.join(root, 'escape-dir', 'secret.csv'), [root])).toThrow(/outside the allowed folders/);
  });

  it('does not take a name prefix for containment', () => {
    fs.mkdirSync(`${root}2`, { recursive: true });
    expect(() => assertInsideRoots(path.join(`${root}2`, 'x.csv'), [root])).toThrow(/outside/);
  });

  it('accepts any of several roots, and refuses with none', () => {
    expect(assertInsideRoots(path.join(outside, 'secret.csv'), [root, outside])).toBe(path.join(outside, 'secret.csv'));
    expect(() => assertInsideRoots(path.join(root, 'sub', 'a.csv'), [])).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
    expect(() => assertInsideRoots('', [root])).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
