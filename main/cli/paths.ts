import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root: two levels above this file. */
export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESOURCES_DIR = path.join(APP_ROOT, 'resources');
export const RENDERER_DIR = path.join(APP_ROOT, 'out', 'renderer');

export function defaultStateDir(): string {
  if (process.env.TSAD_STATE_DIR) return path.resolve(process.env.TSAD_STATE_DIR);
  const base = process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'tsad-workbench');
}

export function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
