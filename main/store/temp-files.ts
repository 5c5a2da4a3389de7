import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ownerGone } from './owner';

/**
 * Every temporary file or folder the workbench writes beside a target (an export's partial output, a
 * bundle's snapshot, a project being created, a folder moved aside while it is replaced) has one name:
 *
 *   .TARGET.PURPOSE.PID.HOST.RANDOM.tsad-tmp[EXT]
 *
 * so a later process can tell whose it is and sweep those whose owner is gone (SQLite's -journal, -wal
 * and -shm, and a project lock, of a temporary database go with it). Names written by earlier versions
 * (.TARGET.partial-PID-…, .TARGET.snapshot-PID-….sqlite) are recognised too.
 */
const NAME = /^\.(.+)\.([a-z]+)\.(\d+)\.([0-9a-f]{8})\.([0-9a-z]+)\.tsad-tmp([.A-Za-z0-9]*?)(-journal|-wal|-shm|-lock)?$/;
const LEGACY = /^\.(.+)\.(partial|snapshot)-(\d+)-[0-9a-z]+(\.old|\.sqlite)?(-journal|-wal|-shm)?$/;

export type TempPurpose = 'partial' | 'aside' | 'snapshot' | 'create' | 'state';

export interface TempFile {
  name: string;
  path: string;
  /** the final name it stands in for, in the same folder */
  target: string;
  purpose: string;
  pid: number;
  /** null: a name from an earlier version (no host recorded; taken as this host) */
  hostHash: string | null;
}

export function hostHash(host = os.hostname()): string {
  return crypto.createHash('sha1').update(host).digest('hex').slice(0, 8);
}

/** A fresh temporary name for `target` (same folder, so a rename puts it in place atomically). */
export function tempPath(target: string, purpose: TempPurpose, ext = ''): string {
  const rand = crypto.randomBytes(6).toString('hex');
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${purpose}.${process.pid}.${hostHash()}.${rand}.tsad-tmp${ext}`,
  );
}

export function parseTempName(dir: string, name: string): TempFile | null {
  const m = NAME.exec(name);
  if (m) {
    return { name, path: path.join(dir, name), target: path.join(dir, m[1]), purpose: m[2], pid: Number(m[3]), hostHash: m[4] };
  }
  const l = LEGACY.exec(name);
  if (l) {
    const purpose = l[2] === 'partial' && l[4] === '.old' ? 'aside' : l[2];
    return { name, path: path.join(dir, name), target: path.join(dir, l[1]), purpose, pid: Number(l[3]), hostHash: null };
  }
  return null;
}

/** The temporaries in `dir` (optionally only those standing in for `target`). */
export function listTemporaries(dir: string, target?: string): TempFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => parseTempName(dir, n))
    .filter((t): t is TempFile => t !== null && (target === undefined || t.target === path.resolve(target)));
}

/**
 * Removes the temporaries in `dir` whose owner process is gone (this host only: another host's pids
 * cannot be checked). A folder moved aside while being replaced goes back to its name when the new one
 * never arrived. Returns the paths removed or restored; never throws (a read-only folder keeps them).
 */
export function sweepTemporaries(dir: string): string[] {
  const mine = hostHash();
  const swept: string[] = [];
  for (const t of listTemporaries(dir)) {
    if (t.hostHash !== null && t.hostHash !== mine) continue;
    if (!ownerGone({ pid: t.pid, host: os.hostname() })) continue;
    try {
      if (t.purpose === 'aside' && !fs.existsSync(t.target)) fs.renameSync(t.path, t.target);
      else fs.rmSync(t.path, { recursive: true, force: true });
      swept.push(t.path);
    } catch {
      // read-only media, or someone else swept it first
    }
  }
  return swept;
}

/** Removes a temporary database with its SQLite side files. */
export function removeWithSideFiles(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { recursive: true, force: true });
}
