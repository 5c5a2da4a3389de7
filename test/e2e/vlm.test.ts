import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/build';
import { e2eBrowser, launchBrowser, shot } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/tmp';

// Skipped, with one loud notice for the run, where no Chromium can run (test/helpers/browser.ts).
const e2e = await e2eBrowser();

let tmp: ReturnType<typeof makeTempDir>;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!e2e.ok) return;
  tmp = makeTempDir('tsad-e2e-vlm-');
  buildApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp?.cleanup();
});

describe.skipIf(!e2e.ok)('the bundled plot VLM in the workbench', () => {
  it('runs from the runs panel; its answer shows what the model saw and the check', async () => {
    const csv = path.join(tmp.dir, 'shift.csv');
    // a sine with a +6 bump at 360..380 (the renderer test's series, which the model flags)
    const values = Array.from(
      { length: 1000 },
      (_, i) => Math.sin(i / 7) + 0.01 * ((i * 7919) % 13) + (i >= 360 && i < 380 ? 6 : 0),
    );
    fs.writeFileSync(csv, 'value\n' + values.map((v) => v.toFixed(5)).join('\n') + '\n');
    const project = path.join(tmp.dir, 'vlm.tsad.sqlite');
    const imported = runCli(['import', csv, '--project', project, '--json']);
    expect(imported.status, imported.stderr).toBe(0);

    serve = await startServeProcess(['--root', tmp.dir, '--state-dir', path.join(tmp.dir, 'state')]);
    await page.goto(serve.url);
    await page.getByTestId('open-project').click();
    await page.getByRole('button', { name: /vlm\.tsad\.sqlite/ }).click();
    await page.getByTestId('tab-runs').click();
    const select = page.getByTestId('detector-select');
    const vlm = await select.locator('option', { hasText: 'plot VLM' }).first().getAttribute('value');
    expect(vlm).toMatch(/^vlm:tsad-plot-vlm@/);
    await select.selectOption(vlm!);
    await page.getByTestId('start-run').click();
    const item = page.getByTestId('run-item').first();
    await expect.poll(() => item.textContent(), { timeout: 60_000 }).toContain('done');
    await page.getByTestId('review-bar').waitFor({ state: 'visible' });
    const queued = async () => Number(((await page.getByTestId('queue-count').textContent()) ?? '0').split(' ')[0]);
    await expect.poll(queued).toBeGreaterThan(0);
    await page.getByTestId('queue-next').click();
    await page.getByTestId('queue-current').waitFor({ state: 'visible' });
    await page.getByTestId('tab-labels').click();
    const why = page.getByTestId('prediction-why');
    await why.waitFor({ state: 'visible' });
    await why.getByTestId('model-seen').locator('summary').click();
    await why.getByTestId('model-seen-image').waitFor({ state: 'visible' });
    expect(await why.getByTestId('model-seen-raw').textContent()).toMatch(/^<think>/);
    expect(await why.textContent()).toMatch(/verified · ✗ \d+ contradicted/);
    await page.screenshot({ path: shot('40-vlm-rationale.png') });
  }, 180_000);
});
