#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here; otherwise (headless server, no Electron
// binary) it says why and starts serve mode instead.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronUnavailableReason() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display is available (DISPLAY and WAYLAND_DISPLAY are unset)';
  }
  let binary;
  try {
    binary = require('electron'); // the path of the Electron binary
  } catch (err) {
    return `the electron package cannot be loaded (${err.message})`;
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) {
    return `the Electron binary is not installed (${binary}); it is downloaded on first launch, which needs access to Electron's download host`;
  }
  return null;
}

function run(cmd, args, env = process.env) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env });
}

/**
 * better-sqlite3 is built for the machine's Node (tests and CLI use it). Electron embeds a different
 * Node ABI, so the desktop path builds a second copy of the addon for Electron into
 * .electron-native/ and points the backend at it; the Node build stays untouched.
 */
function electronSqliteBinding() {
  const electronVersion = require('electron/package.json').version;
  const outDir = path.join(root, '.electron-native', electronVersion);
  const binding = path.join(outDir, 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.join(root, '.electron-native', 'build-better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`);
  const gyp = require.resolve('node-gyp/bin/node-gyp.js', {
    paths: [path.dirname(process.execPath), '/usr/lib/node_modules/npm/node_modules', root],
  });
  run(process.execPath, [
    gyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    '--dist-url=https://electronjs.org/headers',
    '--directory',
    work,
  ]);
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
  return binding;
}

const reason = electronUnavailableReason();
if (reason) {
  console.log(`Cannot launch the desktop app: ${reason}.`);
  console.log('Starting serve mode instead: open the URL below in a browser on this machine.\n');
  run('npm', ['run', '--silent', 'build']);
  const child = spawn(process.execPath, [path.join(root, 'bin/tsad.mjs'), 'serve'], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const binding = electronSqliteBinding();
  run('npm', ['run', '--silent', 'build']);
  const child = spawn(require('electron'), ['.'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TSAD_SQLITE_NATIVE_BINDING: binding },
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
