// Full disks, file size limits and read-only media: a failed create leaves no file, a failed write loses
// nothing, a read-only project opens read-only, and no disk error is reported as `internal` or as "not a
// SQLite database". A file size limit (`ulimit -f` with SIGXFSZ ignored, so writes fail with EFBIG) stands
// in for a full disk everywhere; where unprivileged user namespaces exist, a tiny tmpfs gives a real
// ENOSPC and a read-only bind mount gives real read-only media.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorData } from '../../common/errors';
import { makeTempDir } from '../helpers/tmp';
import { cli, makeProject } from './helpers';

let tmp: ReturnType<typeof makeTempDir>;
let env: Record<string, string>;
let csv: string;
beforeAll(() => {
  tmp = makeTempDir('tsad-reliability-media-');
  env = { TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
  csv = path.join(tmp.dir, 'data.csv');
  fs.writeFileSync(csv, 'v\n' + Array.from({ length: 20_000 }, (_, i) => Math.sin(i).toFixed(6)).join('\n') + '\n');
});
afterAll(() => tmp.cleanup());

const namespaces = spawnSync('unshare', ['-rm', 'true']).status === 0;
const LIMIT = 'trap "" XFSZ; ulimit -f 256;'; // 256 KiB

function errorOf(stderr: string): ErrorData {
  const line = stderr.split('\n').find((l) => l.startsWith('{"error"'));
  if (!line) throw new Error(`no JSON error on stderr:\n${stderr}`);
  return (JSON.parse(line) as { error: ErrorData }).error;
}

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.includes('tsad-tmp') || n.startsWith('.'));
}

describe('a file size limit (EFBIG)', () => {
  it('makes a project create fail with file_too_large naming the file, and leaves no file behind', async () => {
    const dir = path.join(tmp.dir, 'efbig-create');
    fs.mkdirSync(dir);
    const project = path.join(dir, 'new.tsad.sqlite');
    const r = await cli(['import', csv, '--project', project, '--json'], env, LIMIT);
    expect(r.status).toBe(1);
    const error = errorOf(r.stderr);
    expect(error.code).toBe('file_too_large');
    expect(error.message).toContain(project);
    expect(r.stderr).not.toMatch(/not a SQLite database|internal/);
    expect(fs.readdirSync(dir)).toEqual([]);
    // and the retry without the limit just works (no 0-byte file in the way)
    const retry = await cli(['import', csv, '--project', project, '--json'], env);
    expect(retry.status, retry.stderr).toBe(0);
  }, 240_000);

  it('makes a write to an existing project fail with file_too_large and lose nothing', async () => {
    const dir = path.join(tmp.dir, 'efbig-write');
    fs.mkdirSync(dir);
    const project = path.join(dir, 'p.tsad.sqlite');
    makeProject(project, 1, 500);
    // the project opens (nothing to write), then the import's first 64 KiB WAL frame passes the limit
    const r = await cli(['import', csv, '--project', project, '--json'], env, 'trap "" XFSZ; ulimit -f 48;');
    expect(r.status).toBe(1);
    expect(errorOf(r.stderr).code).toBe('file_too_large');
    const db = new Database(project, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT COUNT(*) AS n FROM datasets').get() as { n: number }).n).toBe(1);
    db.close();
  }, 240_000);
});

describe.skipIf(!namespaces)('a full disk and read-only media (user namespaces)', () => {
  it('a create on a full disk fails with disk_full and leaves no file', async () => {
    const dir = path.join(tmp.dir, 'full');
    fs.mkdirSync(dir);
    const project = path.join(dir, 'new.tsad.sqlite');
    const r = await cli(
      ['import', csv, '--project', project, '--json'],
      env,
      `unshare -rm bash -c 'mount -t tmpfs -o size=256k tmpfs ${dir} && exec "$@"' unshare $CMD`,
    );
    expect(r.status).toBe(1);
    const error = errorOf(r.stderr);
    expect(error.code).toBe('disk_full');
    expect(error.message).toContain(project);
  }, 240_000);

  it('a project on read-only media opens read-only: info, evaluate and export elsewhere work, a write is refused clearly', async () => {
    const dir = path.join(tmp.dir, 'ro');
    fs.mkdirSync(dir);
    const project = path.join(dir, 'p.tsad.sqlite');
    makeProject(project, 2, 800);
    const det = await cli(['detect', project, '--detector', 'rolling-zscore', '--json'], env);
    expect(det.status, det.stderr).toBe(0);
    const out = path.join(tmp.dir, 'ro-out.json');
    const script = [
      `mount --bind ${dir} ${dir} && mount -o remount,bind,ro ${dir}`,
      `"$@" info ${project} --json`,
      `"$@" evaluate ${project} --run 1 --json`,
      `"$@" export ${project} --format labels-json --labels with-predictions --out ${out} --json`,
      `"$@" detect ${project} --detector rolling-zscore --json`,
      'true',
    ].join('; ');
    const r = await cli([], env, `unshare -rm bash -c '${script}' unshare $CMD`);
    const lines = r.stdout.split('\n').filter(Boolean);
    const info = JSON.parse(lines[0]) as { readOnly: { kind: string; message: string } | null };
    expect(info.readOnly?.kind).toBe('media');
    expect(info.readOnly?.message).toContain('read-only');
    expect(JSON.parse(lines[1]) as object).toHaveProperty('overall');
    expect(fs.existsSync(out)).toBe(true);
    const refused = errorOf(r.stderr);
    expect(refused.code).toBe('read_only');
    expect(refused.message).toContain(project);
    expect(r.stderr).not.toMatch(/not a SQLite database|"internal"/);
    expect(leftovers(dir)).toEqual([]);
  }, 240_000);
});
