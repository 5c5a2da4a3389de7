import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { notice } from './notices';
import { REPO_ROOT } from './tmp';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e');

/** The flags this machine needs: headless, no sandbox (root in CI), nothing that reaches the network. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export type BrowserChoice = { ok: true; executablePath: string; source: string } | { ok: false; reason: string };

/** System Chromium/Chrome installs, most common first, for this platform. */
export function systemBrowserCandidates(platform: NodeJS.Platform = process.platform, env = process.env): string[] {
  if (platform === 'darwin')
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  if (platform === 'win32')
    return [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
      .filter((d): d is string => !!d)
      .map((d) => path.join(d, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ];
}

/** The Chromium inside the @sparticuz/chromium devDependency (Linux x64/arm64 only), unpacked on first use. */
async function npmChromium(): Promise<string | { reason: string }> {
  if (process.platform !== 'linux')
    return { reason: `@sparticuz/chromium ships a Linux build only (this is ${process.platform})` };
  try {
    const mod = (await import('@sparticuz/chromium')) as { default: { executablePath(): Promise<string> } };
    return await mod.default.executablePath();
  } catch (e) {
    return { reason: `@sparticuz/chromium could not be unpacked: ${(e as Error).message}` };
  }
}

/**
 * Which browser the end-to-end tests drive: TSAD_CHROMIUM (an error when it names no file: an explicit choice
 * never falls back silently), else a system Chromium/Chrome, else the Chromium of the @sparticuz/chromium
 * devDependency. The npm one is tried by launching it, since it is built for another Linux.
 */
export async function findBrowser(
  env: NodeJS.ProcessEnv = process.env,
  candidates: string[] = systemBrowserCandidates(),
  fromNpm: () => Promise<string | { reason: string }> = npmChromium,
): Promise<BrowserChoice> {
  const chosen = env.TSAD_CHROMIUM;
  if (chosen) {
    if (!fs.existsSync(chosen)) throw new Error(`TSAD_CHROMIUM=${chosen}: no such file`);
    return { ok: true, executablePath: chosen, source: 'TSAD_CHROMIUM' };
  }
  const system = candidates.find((c) => fs.existsSync(c));
  if (system) return { ok: true, executablePath: system, source: 'system' };
  const npm = await fromNpm();
  if (typeof npm !== 'string')
    return { ok: false, reason: `no Chromium: TSAD_CHROMIUM unset, none of ${candidates.join(', ')}, and ${npm.reason}` };
  try {
    const browser = await chromium.launch({ executablePath: npm, args: ARGS });
    await browser.close();
  } catch (e) {
    return {
      ok: false,
      reason: `the Chromium of @sparticuz/chromium (${npm}) does not start here: ${(e as Error).message.split('\n')[0]}`,
    };
  }
  return { ok: true, executablePath: npm, source: '@sparticuz/chromium' };
}

let found: Promise<BrowserChoice> | undefined;

/**
 * The browser for this test file, found once. Without one the e2e tests skip, with one loud notice for the run
 * (never silently), unless TSAD_REQUIRE_E2E=1 (CI), where that is an error.
 */
export async function e2eBrowser(): Promise<BrowserChoice> {
  found ??= findBrowser();
  const choice = await found;
  if (!choice.ok) {
    if (process.env.TSAD_REQUIRE_E2E === '1') throw new Error(`TSAD_REQUIRE_E2E=1 but ${choice.reason}`);
    notice('e2e-browser', `END-TO-END TESTS SKIPPED: ${choice.reason}. Install Chromium or set TSAD_CHROMIUM.`);
  }
  return choice;
}

/** Launches the browser e2eBrowser found (call it only when that was ok). */
export async function launchBrowser(): Promise<Browser> {
  const choice = await e2eBrowser();
  if (!choice.ok) throw new Error(choice.reason);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A fixed locale: with LANG=C the headless Chromium of @sparticuz/chromium reports "en-US@posix", which
  // toLocaleString() rejects ("Invalid language tag"), and screenshots stay the same on every machine.
  return chromium.launch({ executablePath: choice.executablePath, args: ARGS, env: { ...process.env, LANG: 'en_US.UTF-8' } });
}

export const shot = (name: string) => path.join(SCREENSHOT_DIR, name);
