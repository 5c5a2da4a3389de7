import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store';
import { makeTempDir, REPO_ROOT } from '../../helpers/tmp';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

describe('a backend killed in the middle of a burst of label edits', () => {
  it('loses no committed label and leaves a database that passes integrity_check', async () => {
    const file = path.join(tmp.dir, 'crash.tsad.sqlite');
    const store = ProjectStore.create(file);
    const values = new Float64Array(1000).map((_, i) => Math.sin(i));
    const [seriesId] = store.insertDataset({
      name: 'd',
      sourcePath: null,
      sourceHash: null,
      sourceSize: null,
      time: null,
      columns: [{ name: 'v', values }],
    }).seriesIds;
    store.close();

    // What the child reported as committed: label id -> expected end (null = deleted).
    const committed = new Map<number, number | null>();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'label-burst.child.ts'), file, String(seriesId)],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [op, id, arg] = line.split(' ');
          if (op === 'created') committed.set(Number(id), Number(arg) + 10);
          else if (op === 'updated') committed.set(Number(id), Number(arg));
          else if (op === 'deleted') committed.set(Number(id), null);
        }
        if (committed.size >= 300 && !child.killed) {
          child.kill('SIGKILL'); // mid-burst: the child is writing continuously
        }
      });
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`)),
      );
    });

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();

    const after = ProjectStore.open(file);
    const labels = new Map(after.listLabels(seriesId).map((l) => [l.id, l]));
    // The newest label may have moved on (updated or deleted) after its last report reached us.
    const newest = Math.max(...committed.keys());
    for (const [id, end] of committed) {
      if (id === newest) {
        if (end !== null && labels.has(id)) expect(labels.get(id)!.end).toBeGreaterThanOrEqual(end);
        continue;
      }
      if (end === null) expect(labels.has(id)).toBe(false);
      else expect(labels.get(id)?.end, `label ${id}`).toBe(end);
    }
    // the history replays: undo works on the recovered file
    expect(after.historyState().canUndo).toBe(true);
    after.undo();
    after.close();
  });
});
