/**
 * The packaging config (electron-builder.json). Installers cannot be built here (electron-builder downloads
 * Electron and platform tools), so the config is checked instead: against electron-builder's own schema
 * (vendored, test/fixtures/electron-builder/), and for what the app needs from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/tmp';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Record<string, unknown>;
const config = read('electron-builder.json') as {
  files: string[];
  extraResources: { from: string; to: string }[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  fileAssociations: { ext: string[]; name: string; role: string }[];
  linux: { target: string[]; maintainer: string };
  mac: { target: string[] };
  win: { target: string[] };
  electronFuses: Record<string, boolean>;
};
const pkg = read('package.json') as { main: string; scripts: Record<string, string> };

function validate(candidate: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
  const check = ajv.compile(read('test/fixtures/electron-builder/scheme.json'));
  return check(candidate) ? [] : (check.errors ?? []).map((e) => `${e.dataPath} ${e.message} ${JSON.stringify(e.params)}`);
}

describe('electron-builder.json', () => {
  it('is valid against the schema of the electron-builder version npm run dist uses', () => {
    expect(validate(config)).toEqual([]);
    // the check can fail: a misspelled fuse or an unknown key is caught
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsnode: false } }).join()).toMatch(/runAsnode/);
    expect(validate({ ...config, linux: { ...config.linux, targets: ['AppImage'] } }).join()).toMatch(/targets/);
    const version = /electron-builder@(\d+\.\d+\.\d+)/.exec(pkg.scripts.dist)?.[1];
    expect(version).toBeDefined();
    expect(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/electron-builder/README.md'), 'utf8')).toContain(
      `app-builder-lib\` ${version}`,
    );
  });

  it('builds AppImage and deb for Linux, dmg for macOS, nsis for Windows', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // deb needs a maintainer e-mail
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
  });

  it('associates the project file type with the app', () => {
    const assoc = config.fileAssociations.find((a) => a.ext.includes('tsad.sqlite'));
    expect(assoc).toMatchObject({ name: 'TSAD Workbench project', role: 'Editor' });
  });

  it('checklist 15: sets the Electron fuses (no run-as-node, NODE_OPTIONS or inspect arguments; ASAR integrity, ASAR only)', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs what the packaged app loads: the built main entry, the resources it reads, native addons unpacked and rebuilt for Electron', () => {
    expect(pkg.main).toMatch(/^out\//);
    expect(config.files).toContain('out/**');
    // main/index.ts reads models and the sample from process.resourcesPath when packaged
    const res = config.extraResources.find((r) => r.from === 'resources');
    expect(res?.to).toBe('.');
    for (const sub of ['models', 'sample']) expect(fs.existsSync(path.join(REPO_ROOT, 'resources', sub)), sub).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.asarUnpack).toContain('node_modules/onnxruntime-node/**');
    expect(config.npmRebuild).toBe(true); // better-sqlite3 rebuilt for Electron's ABI inside the package
  });
});
