import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { WorkbenchError } from '../../common/errors';

/** The target of `path` when it is a symlink (dangling ones included), else null. */
function linkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? resolve(dirname(path), readlinkSync(path)) : null;
  } catch {
    return null;
  }
}

/**
 * realpath of the longest existing prefix, with the missing rest appended (for paths about to be created).
 * A dangling symlink on the way is followed to its target (writing to the link would create the target), so a
 * link inside a root that points outside resolves outside.
 */
function realpathAllowingMissing(path: string): string {
  const missing: string[] = [];
  let current = resolve(path);
  let links = 0;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new WorkbenchError('invalid_input', `${path}: symbolic link loop`, { path });
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const target = linkTarget(current);
      if (target !== null) {
        if (++links > 40) throw new WorkbenchError('invalid_input', `${path}: symbolic link loop`, { path });
        current = target;
        continue;
      }
      const parent = dirname(current);
      if (parent === current) return join(current, ...missing.reverse());
      missing.push(basename(current));
      current = parent;
    }
  }
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves `path` (symlinks and `..` included) and returns its real path when it lies inside one of
 * `roots` (also resolved); refuses it otherwise, so neither `..` nor a symlink can lead out of the roots.
 */
export function assertInsideRoots(path: string, roots: string[]): string {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw new WorkbenchError('invalid_input', 'path must be a non-empty string without NUL bytes', { parameter: 'path' });
  }
  if (roots.length === 0)
    throw new WorkbenchError('unauthorized', `no allowed folders are configured, so ${path} is refused`, { path });
  const target = realpathAllowingMissing(path);
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realpathSync(resolve(root));
    } catch {
      continue;
    }
    if (isInside(realRoot, target)) return target;
  }
  throw new WorkbenchError('unauthorized', `${path} is outside the allowed folders`, { path, resolved: target });
}
