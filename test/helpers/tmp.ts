import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A fresh temporary folder per test file; removed by the returned cleanup. */
export function makeTempDir(prefix = 'tsad-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The public labeled series the tests read (test/fixtures/data/README.md): inside the repository, never ../shared. */
export const TEST_DATA = path.join(REPO_ROOT, 'test', 'fixtures', 'data');
