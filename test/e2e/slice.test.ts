import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/build';
import { e2eBrowser, launchBrowser, shot } from '../helpers/browser';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/tmp';

// Skipped, with one loud notice for the run, where no Chromium can run (test/helpers/browser.ts).
const e2e = await e2eBrowser();

let tmp: ReturnType<typeof makeTempDir>;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

const serveArgs = () => ['--root', tmp.dir, '--state-dir', path.join(tmp.dir, 'state')];

beforeAll(async () => {
  if (!e2e.ok) return;
  tmp = makeTempDir('tsad-e2e-');
  buildApp();
  serve = await startServeProcess(serveArgs());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp?.cleanup();
});

async function labelCount(): Promise<number> {
  return page.getByTestId('label-item').count();
}

async function dragOnChart(fromFraction: number, toFraction: number): Promise<void> {
  const over = page.locator('[data-testid="series-chart"] .u-over');
  const box = await over.boundingBox();
  if (!box) throw new Error('chart overlay not visible');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * fromFraction, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((fromFraction + toFraction) / 2), y, { steps: 5 });
  await page.mouse.move(box.x + box.width * toFraction, y, { steps: 5 });
  await page.mouse.up();
}

describe.skipIf(!e2e.ok)('first vertical slice in Chromium through serve mode', () => {
  it('opens the sample, labels by dragging, persists across reload and restart, and undoes', async () => {
    await page.goto(serve.url);
    await page.getByTestId('open-sample').click();
    await page.locator('[data-testid="series-chart"] canvas').waitFor();
    await expect.poll(labelCount).toBeGreaterThan(0); // the sample's own labels, imported
    const before = await labelCount();
    await page.screenshot({ path: shot('01-sample-opened.png') });

    await dragOnChart(0.2, 0.3);
    await expect.poll(labelCount).toBe(before + 1);
    const drawn = page.getByTestId('label-item').filter({ hasText: 'drawn' });
    await expect.poll(() => drawn.count()).toBe(1);
    await page.screenshot({ path: shot('02-label-drawn.png') });

    // zoom with the wheel, then reset
    const over = page.locator('[data-testid="series-chart"] .u-over');
    await over.hover();
    await page.mouse.wheel(0, -400);
    await expect.poll(() => page.getByTestId('window').textContent()).not.toMatch(/^0 – 4,031/);
    await page.getByTestId('reset-zoom').click();
    await expect.poll(() => page.getByTestId('window').textContent()).toMatch(/^0 – 4,031 of 4,031/);

    // reload the page: the label is still there
    await page.reload();
    await page.locator('[data-testid="series-chart"] canvas').waitFor();
    await expect.poll(labelCount).toBe(before + 1);

    // restart the backend process: the label is in the project file
    const projectPath = (await page.getByTestId('project-path').textContent()) ?? '';
    expect(fs.existsSync(projectPath)).toBe(true);
    await serve.stop();
    serve = await startServeProcess(serveArgs());
    await page.goto(serve.url);
    await page.getByRole('button', { name: path.basename(projectPath) }).click();
    await page.locator('[data-testid="series-chart"] canvas').waitFor();
    await expect.poll(labelCount).toBe(before + 1);
    await expect.poll(() => drawn.count()).toBe(1);
    await page.screenshot({ path: shot('03-after-restart.png') });

    // undo (history is in the file too) removes the drawn label
    await page.getByTestId('undo').click();
    await expect.poll(labelCount).toBe(before);
    await expect.poll(() => drawn.count()).toBe(0);
    await page.screenshot({ path: shot('04-undone.png') });
    // redo brings it back, and Ctrl+Z takes it away again
    await page.getByTestId('redo').click();
    await expect.poll(labelCount).toBe(before + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(labelCount).toBe(before);

    // the dark theme, for the same screen
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.screenshot({ path: shot('05-dark-theme.png') });
  });
});
