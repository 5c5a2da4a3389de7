import fs from 'node:fs';

/**
 * A test-only hook: the reliability suite (test/reliability/) sets TSAD_TEST_PAUSE_AT=NAME (or NAME#N for
 * the N-th time the point is reached) and kills the process with SIGKILL once it has paused there, which
 * is exact where sleeps would be flaky. When the point is reached the process appends "NAME PID" to
 * TSAD_TEST_PAUSE_FILE and blocks its thread (at most two minutes, then exits). Without the variable
 * this is one environment lookup.
 */
const seen = new Map<string, number>();

export function pausePoint(name: string): void {
  const want = process.env.TSAD_TEST_PAUSE_AT;
  if (!want) return;
  const [point, nth] = want.split('#');
  if (point !== name) return;
  const count = (seen.get(name) ?? 0) + 1;
  seen.set(name, count);
  if (count !== Number(nth ?? 1)) return;
  const file = process.env.TSAD_TEST_PAUSE_FILE;
  if (file) fs.appendFileSync(file, `${name} ${process.pid}\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(cell, 0, 0, 120_000);
  process.exit(99);
}
