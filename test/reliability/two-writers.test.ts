// Two serve processes on one project (issue 23 option (b): an advisory write lock). The second opens the
// project read-only and is told who writes it; its edits and undos are refused with read_only naming the
// other process, never `internal`, and no edit of the writer is lost. A foreign process holding SQLite's
// write lock makes writes end in `busy` at once while appInfo keeps answering. When the writer is killed,
// the next open takes the stale lock over.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, Label, ProjectSummary } from '../../common/contract';
import { makeTempDir, REPO_ROOT } from '../helpers/tmp';
import { makeProject } from './helpers';

interface Serve {
  origin: string;
  token: string;
  pid: number;
  child: ChildProcess;
  call<T>(name: string, input?: unknown): Promise<Envelope<T>>;
}

function startServe(stateDir: string, root: string): Promise<Serve> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'serve.child.ts'), stateDir, root], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      const info = JSON.parse(out.slice(0, out.indexOf('\n'))) as { origin: string; token: string; pid: number };
      resolve({
        ...info,
        child,
        call: async <T>(name: string, input: unknown = {}) => {
          const res = await fetch(`${info.origin}/api/${name}`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${info.token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(input),
          });
          return (await res.json()) as Envelope<T>;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

let tmp: ReturnType<typeof makeTempDir>;
const children: ChildProcess[] = [];
beforeAll(() => (tmp = makeTempDir('tsad-reliability-writers-')));
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

const value = <T>(e: Envelope<T>): T => {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
};

describe('two serve processes on one project', () => {
  it('the second is read-only and told who writes; nothing is lost; busy is busy; a killed writer is taken over', async () => {
    const project = path.join(tmp.dir, 'p.tsad.sqlite');
    const [seriesId] = makeProject(project, 1, 500);
    const a = await startServe(path.join(tmp.dir, 'state-a'), tmp.dir);
    const b = await startServe(path.join(tmp.dir, 'state-b'), tmp.dir);
    children.push(a.child, b.child);

    const openedA = value(await a.call<ProjectSummary>('openProject', { path: project }));
    expect(openedA.readOnly).toBeNull();
    const openedB = value(await b.call<ProjectSummary>('openProject', { path: project }));
    expect(openedB.readOnly?.kind).toBe('locked');
    expect(openedB.readOnly?.message).toContain(`pid ${a.pid}`);

    // the undo scenarios: A edits; B's undo and edits are refused, A's edits all stay
    const created = value(await a.call<Label>('createLabel', { seriesId, start: 100, end: 120 }));
    value(await a.call<Label>('updateLabel', { id: created.id, end: 130 }));
    const undoB = await b.call('undo');
    expect(undoB.ok || undoB.error.code).toBe('read_only');
    expect(undoB.ok || undoB.error.message).toContain(`pid ${a.pid}`);
    const deleteB = await b.call('deleteLabel', { id: created.id });
    expect(deleteB.ok || deleteB.error.code).toBe('read_only');
    const createB = await b.call('createLabel', { seriesId, start: 200, end: 210 });
    expect(createB.ok || createB.error.code).toBe('read_only');
    // a rationale edit is a write too
    const rationaleB = await b.call('saveRationale', { seriesId, start: 100, end: 130, text: 'A spike.' });
    expect(rationaleB.ok || rationaleB.error.code).toBe('read_only');
    const seenByB = value(await b.call<Label[]>('listLabels', { seriesId }));
    expect(seenByB.find((l) => l.id === created.id)?.end).toBe(130);

    // a foreign writer holds SQLite's write lock: A's write ends in busy while the lock is still held,
    // and appInfo answers meanwhile
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const db=new D(process.argv[1]);db.exec('BEGIN IMMEDIATE');` +
          `process.stdout.write('held\\n');process.stdin.once('data',()=>{db.exec('COMMIT');db.close();process.exit(0)});`,
        project,
      ],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    children.push(holder);
    await new Promise<void>((r) => holder.stdout?.once('data', () => r()));
    const t0 = performance.now();
    const info = await a.call('appInfo');
    const appInfoMs = performance.now() - t0;
    expect(info.ok).toBe(true);
    const busy = await a.call('createLabel', { seriesId, start: 300, end: 310 });
    expect(holder.exitCode).toBeNull(); // still holding
    expect(busy.ok || busy.error.code).toBe('busy');
    console.log(`appInfo answered in ${appInfoMs.toFixed(1)} ms while another process held the write lock`);
    holder.stdin?.write('go\n');
    await new Promise((r) => holder.once('exit', r));
    value(await a.call<Label>('createLabel', { seriesId, start: 300, end: 310 }));

    // the writer is killed: B's next open takes the stale lock and may write
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    const reopened = value(await b.call<ProjectSummary>('openProject', { path: project }));
    expect(reopened.readOnly).toBeNull();
    const labels = value(await b.call<Label[]>('listLabels', { seriesId }));
    expect(labels.map((l) => [l.start, l.end])).toEqual(
      expect.arrayContaining([
        [100, 130],
        [300, 310],
      ]),
    );
    // the undo history is the project's (rebuilt on open): B's undo reverts A's last change, nothing else
    value(await b.call('undo'));
    const afterUndo = value(await b.call<Label[]>('listLabels', { seriesId }));
    expect(afterUndo.map((l) => [l.start, l.end])).toContainEqual([100, 130]);
    expect(afterUndo.map((l) => [l.start, l.end])).not.toContainEqual([300, 310]);
    b.child.kill('SIGTERM');
  }, 240_000);
});
