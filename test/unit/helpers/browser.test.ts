import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser, systemBrowserCandidates } from '../../helpers/browser';
import { makeTempDir } from '../../helpers/tmp';

// Which Chromium the end-to-end tests drive. The last case unpacks and launches the real Chromium of the
// @sparticuz/chromium devDependency: what a machine with only Node and npm has.
const tmp = makeTempDir('tsad-browser-');
afterAll(() => tmp.cleanup());
const exe = path.join(tmp.dir, 'chromium');
fs.writeFileSync(exe, '');
const noNpm = async () => ({ reason: 'no npm Chromium in this test' });

describe('findBrowser', () => {
  it('takes TSAD_CHROMIUM first, and refuses one that names no file instead of falling back', async () => {
    expect(await findBrowser({ TSAD_CHROMIUM: exe }, ['/usr/bin/chromium'], noNpm)).toEqual({
      ok: true,
      executablePath: exe,
      source: 'TSAD_CHROMIUM',
    });
    await expect(findBrowser({ TSAD_CHROMIUM: path.join(tmp.dir, 'nope') }, [exe], noNpm)).rejects.toThrow(
      /TSAD_CHROMIUM=.*nope: no such file/,
    );
  });

  it('then the first system install present, then the npm one', async () => {
    const missing = path.join(tmp.dir, 'missing');
    expect(await findBrowser({}, [missing, exe], noNpm)).toMatchObject({ ok: true, executablePath: exe, source: 'system' });
    const none = await findBrowser({}, [missing], noNpm);
    expect(none).toMatchObject({ ok: false });
    expect(!none.ok && none.reason).toContain(missing);
    expect(!none.ok && none.reason).toContain('no npm Chromium in this test');
  });

  it('says why when the npm Chromium does not start', async () => {
    const choice = await findBrowser({}, [], async () => '/bin/false');
    expect(choice.ok).toBe(false);
    expect(!choice.ok && choice.reason).toMatch(/\/bin\/false\) does not start here/);
  });

  it('knows where Chrome lives on each platform', () => {
    expect(systemBrowserCandidates('linux')).toContain('/usr/bin/chromium');
    expect(systemBrowserCandidates('darwin')[1]).toMatch(/Google Chrome\.app/);
    expect(systemBrowserCandidates('win32', { PROGRAMFILES: 'C:\\Program Files' })[0]).toMatch(/chrome\.exe$/);
  });

  it.runIf(process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64'))(
    'launches the Chromium that npm install brought (@sparticuz/chromium), no download',
    async () => {
      const choice = await findBrowser({}, []);
      expect(choice, !choice.ok ? choice.reason : '').toMatchObject({ ok: true, source: '@sparticuz/chromium' });
    },
  );
});
