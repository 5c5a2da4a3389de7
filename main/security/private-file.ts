import fs from 'node:fs';
import path from 'node:path';
import { tempPath } from '../store/temp-files';

/**
 * Owner-only files for secrets: the folder is made (or fixed to) 0700 and the file 0600 on every write,
 * whatever modes they had before, and the file is written under a fresh temporary name and renamed into
 * place, so a reader never sees half of it and a stale temporary cannot lend it its mode.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
}

export function writePrivateFile(file: string, data: string | Buffer): void {
  ensurePrivateDir(path.dirname(file));
  const tmp = tempPath(file, 'state');
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      if (process.platform !== 'win32') fs.fchmodSync(fd, 0o600); // the umask may have narrowed or not
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Fixes the mode of an existing secret file (one written by an earlier version at 0644). */
export function fixPrivateMode(file: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  } catch {
    // absent: nothing to fix
  }
}
