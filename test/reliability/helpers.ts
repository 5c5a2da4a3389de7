import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ProjectStore } from '../../main/store';
import { REPO_ROOT } from '../helpers/tmp';

/** A project with `series` series of `length` points (a sine with one planted spike each) and a label per series. */
export function makeProject(file: string, series = 6, length = 3000): number[] {
  const store = ProjectStore.create(file);
  try {
    const columns = Array.from({ length: series }, (_, k) => {
      const values = new Float64Array(length).map((_, i) => Math.sin(i / (7 + k)) + 0.01 * ((i * 7919) % 13));
      const at = Math.floor(length * (0.3 + 0.08 * k));
      for (let i = at; i < at + 20; i++) values[i] += 6;
      return { name: `s${k}`, values };
    });
    const { seriesIds } = store.insertDataset({
      name: 'reliability',
      sourcePath: null,
      sourceHash: null,
      sourceSize: null,
      time: null,
      columns,
    });
    store.createLabels(
      seriesIds.map((seriesId, k) => {
        const at = Math.floor(length * (0.3 + 0.08 * k));
        return { seriesId, start: at, end: at + 20 };
      }),
    );
    return seriesIds;
  } finally {
    store.close();
  }
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real `tsad` entry point as a child process. `wrap` is shell text run first (`ulimit -f 64;`); where
 * it says $CMD, the command goes there instead of after it (`unshare -rm bash -c '…; "$@"' x $CMD`).
 */
export function spawnCli(args: string[], env: Record<string, string> = {}, wrap?: string): Spawned {
  const cli = path.join(REPO_ROOT, 'bin/tsad.mjs');
  const child = wrap
    ? spawn(
        'bash',
        [
          '-c',
          wrap.includes('$CMD') ? wrap.replace('$CMD', '"$0" "$@"') : `${wrap} exec "$0" "$@"`,
          process.execPath,
          cli,
          ...args,
        ],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, ...env },
        },
      )
    : spawn(process.execPath, [cli, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs the CLI to the end. */
export async function cli(
  args: string[],
  env: Record<string, string> = {},
  wrap?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const s = spawnCli(args, env, wrap);
  const { code } = await s.exited;
  return { status: code ?? -1, stdout: s.stdout(), stderr: s.stderr() };
}

/**
 * Starts the CLI with a pause point armed, waits until the process has paused there (it appends to the
 * pause file), kills it with SIGKILL and waits for it to be gone. Fails when it exits before pausing.
 */
export async function killAtPhase(args: string[], phase: string, dir: string, env: Record<string, string> = {}): Promise<void> {
  const pauseFile = path.join(dir, `pause-${phase.replace(/[^a-z0-9]/gi, '_')}-${Date.now()}.txt`);
  const s = spawnCli(args, { ...env, TSAD_TEST_PAUSE_AT: phase, TSAD_TEST_PAUSE_FILE: pauseFile });
  let exited = false;
  void s.exited.then(() => (exited = true));
  for (;;) {
    if (fs.existsSync(pauseFile) && fs.readFileSync(pauseFile, 'utf8').includes(phase.split('#')[0])) break;
    if (exited) throw new Error(`tsad ${args.join(' ')} ended before pausing at ${phase}:\n${s.stderr()}${s.stdout()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  s.child.kill('SIGKILL');
  const end = await s.exited;
  if (end.signal !== 'SIGKILL') throw new Error(`expected SIGKILL, got ${JSON.stringify(end)}`);
}

/** Every file under `dir` whose bytes contain `needle` (names relative to dir). */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.readFileSync(p).includes(Buffer.from(needle))) hits.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return hits;
}
