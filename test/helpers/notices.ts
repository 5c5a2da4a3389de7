import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './tmp';

/**
 * Loud notices from test files (running in worker processes) for the run's end: each is a file here, one per
 * key, which test/summary-reporter.ts prints once above the summary line and clears at the next run's start.
 */
export const NOTICE_DIR = path.join(REPO_ROOT, 'test-output', 'notices');

/** Say once per run, loudly, that tests were skipped and why (also on stderr right away). */
export function notice(key: string, text: string): void {
  fs.mkdirSync(NOTICE_DIR, { recursive: true });
  fs.writeFileSync(path.join(NOTICE_DIR, `${key.replace(/[^a-z0-9-]/gi, '_')}.txt`), text);
  process.stderr.write(`\n*** ${text} ***\n`);
}
