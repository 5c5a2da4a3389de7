import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/build';
import { e2eBrowser, launchBrowser, shot } from '../helpers/browser';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/tmp';
import { trainingPython } from '../helpers/python';

// Skipped, with one loud notice for the run, where no Chromium can run (test/helpers/browser.ts).
const e2e = await e2eBrowser();

// The learning loop in the UI, in Chromium through serve mode: calibrate the ensemble, fine-tune the bundled
// model on the sample's labels (a real PyTorch child process when Python with torch is present, else the
// printed command), and compare two versions side by side.
let tmp: ReturnType<typeof makeTempDir>;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
const python = await trainingPython();

beforeAll(async () => {
  if (!e2e.ok) return;
  tmp = makeTempDir('tsad-e2e-models-');
  buildApp();
  serve = await startServeProcess(['--root', tmp.dir, '--state-dir', path.join(tmp.dir, 'state')]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp?.cleanup();
});

describe.skipIf(!e2e.ok)('models panel in Chromium', () => {
  it('calibrates the ensemble, fine-tunes a version and compares it with its base', async () => {
    await page.goto(serve.url);
    await page.getByTestId('open-sample').click();
    await page.locator('[data-testid="series-chart"] canvas').waitFor();
    await page.getByTestId('tab-models').click();
    await expect.poll(() => page.getByTestId('model-item').count()).toBeGreaterThan(0);
    const modelsBefore = await page.getByTestId('model-item').count();

    await page.getByTestId('start-calibrate').click();
    await page.getByTestId('calibration-table').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('calibration-table').textContent()).toMatch(/calibrated/);
    await page.screenshot({ path: shot('20-models-calibrated.png') });

    await page.getByTestId('finetune-quick').check();
    await page.getByTestId('start-finetune').click();
    await page.getByTestId('finetune-result').waitFor();
    if (python.ok) {
      await expect
        .poll(() => page.getByTestId('finetune-state').textContent(), { timeout: 180_000, interval: 500 })
        .toMatch(/done|failed/);
      expect(await page.getByTestId('finetune-state').textContent()).toMatch(/done/);
      expect(await page.getByTestId('model-item').count()).toBe(modelsBefore + 1);
      expect(await page.getByTestId('compare-b').inputValue()).toMatch(/-ft\.1$/);
    } else {
      expect(await page.getByTestId('finetune-command').textContent()).toContain('finetune.py');
    }

    await page.getByTestId('start-compare').click();
    await page.getByTestId('compare-table').waitFor({ timeout: 180_000 });
    const table = (await page.getByTestId('compare-table').textContent()) ?? '';
    expect(table).toMatch(/VUS-PR/);
    expect(table).toMatch(/\d\.\d{3}/);
    await page.screenshot({ path: shot('21-models-compared.png') });
  }, 420_000);
});
