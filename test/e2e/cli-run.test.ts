import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/build';
import { e2eBrowser, launchBrowser, shot } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir, TEST_DATA } from '../helpers/tmp';

// Skipped, with one loud notice for the run, where no Chromium can run (test/helpers/browser.ts).
const e2e = await e2eBrowser();

let tmp: ReturnType<typeof makeTempDir>;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

const DATA_FILE = path.join(TEST_DATA, 'tsb-ad-sample/001_NAB_id_1_Facility_tr_1007_1st_2014.csv');

beforeAll(async () => {
  if (!e2e.ok) return;
  tmp = makeTempDir('tsad-e2e-cli-run-');
  buildApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp?.cleanup();
});

describe.skipIf(!e2e.ok)('a run started from the command line', () => {
  it('shows in the workbench with its intervals in the review queue', async () => {
    const project = path.join(tmp.dir, 'from-cli.tsad.sqlite');
    const imported = runCli(['import', DATA_FILE, '--project', project, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const detected = runCli(['detect', project, '--detector', 'poly', '--json']);
    expect(detected.status, detected.stderr).toBe(0);
    const { run } = JSON.parse(detected.stdout) as { run: { id: number; detector: string; predictionCount: number } };
    expect(run.predictionCount).toBeGreaterThan(0);

    serve = await startServeProcess(['--root', tmp.dir, '--state-dir', path.join(tmp.dir, 'state')]);
    await page.goto(serve.url);
    await page.getByTestId('open-project').click();
    await page.getByRole('button', { name: /from-cli\.tsad\.sqlite/ }).click();
    await page.getByTestId('tab-runs').click();
    const item = page.getByTestId('run-item').first();
    await expect.poll(() => item.textContent()).toContain('poly');
    await expect.poll(() => item.textContent()).toContain('done');
    // its predictions are the review queue of the active run, one per interval the CLI reported
    await page.getByTestId('review-bar').waitFor({ state: 'visible' });
    const queued = async () => Number(((await page.getByTestId('queue-count').textContent()) ?? '0').split(' ')[0]);
    await expect.poll(queued).toBe(run.predictionCount);
    await page.screenshot({ path: shot('30-cli-run-in-workbench.png') });
  });
});
