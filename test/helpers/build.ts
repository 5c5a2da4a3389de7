import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './tmp';

/** Builds main, preload and renderer with electron-vite (about a second), as CI does. */
export function buildApp(): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
}
