import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoProject } from '../../main/datasets/import-into-project';
import { ProjectStore } from '../../main/store';
import { buildApp } from '../helpers/build';
import { launchBrowser, shot } from '../helpers/browser';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir, REPO_ROOT } from '../helpers/tmp';

// NAB's machine temperature (first 3,000 rows, 5-minute timestamps, MIT) beside a TSB-AD-style multivariate
// file written here: 25 channels named "0" … "24" as TSB-AD's SMAP files name them, and a Label column.
const NAB_CUT = path.join(REPO_ROOT, 'test/fixtures/nab-machine-temperature');
const NAB_FILE = 'data/realKnownCause/machine_temperature_system_failure.csv';

let tmp: ReturnType<typeof makeTempDir>;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

function writeMultivariate(file: string): void {
  const rows: string[] = [[...Array.from({ length: 25 }, (_, c) => String(c)), 'Label'].join(',')];
  for (let i = 0; i < 1200; i++) {
    const anomalous = i >= 700 && i < 760;
    const cells = Array.from({ length: 25 }, (_, c) => (Math.sin(i / (15 + c)) + (anomalous && c < 3 ? 4 : 0)).toFixed(4));
    rows.push([...cells, anomalous ? '1' : '0'].join(','));
  }
  fs.writeFileSync(file, rows.join('\n') + '\n');
}

beforeAll(async () => {
  tmp = makeTempDir('tsad-e2e-time-');
  fs.cpSync(NAB_CUT, path.join(tmp.dir, 'nab'), { recursive: true });
  const multi = path.join(tmp.dir, '107_SMAP_like_tr_500_1st_700.csv');
  writeMultivariate(multi);
  const projectPath = path.join(tmp.dir, 'two-datasets.tsad.sqlite');
  ProjectStore.create(projectPath).close();
  await importIntoProject({ projectPath, filePath: path.join(tmp.dir, 'nab', NAB_FILE) });
  await importIntoProject({ projectPath, filePath: multi });
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

const chartSeq = () =>
  page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-testid="series-chart"]')?.dataset.viewSeq ?? 0));
const axisText = () =>
  page.evaluate(() => {
    // uPlot draws tick labels on the canvas; the chart exposes none as text, so read them back from the axis hook
    const el = document.querySelector<HTMLElement>('[data-testid="series-chart"]');
    return el?.dataset.xTicks ?? '';
  });

describe('time on the axis, datasets in the sidebar', () => {
  it('shows the NAB file in its own times: axis, readout, labels, zoom to a typed range, zone', async () => {
    await page.goto(serve.url);
    await page.getByTestId('open-project').click();
    await page.getByRole('button', { name: /two-datasets\.tsad\.sqlite/ }).click();
    await expect.poll(chartSeq).toBeGreaterThan(0);

    // the sidebar: two datasets as headings, channels under them with counts in correct plurals
    const groups = page.getByTestId('dataset-group');
    await expect.poll(() => groups.count()).toBe(2);
    const nab = groups.nth(0);
    expect(await nab.getByTestId('dataset-name').textContent()).toBe('machine_temperature_system_failure.csv');
    expect(await nab.textContent()).toContain('3,000 rows · 1 channel · 1 label');
    expect(await nab.getByTestId('dataset-span').textContent()).toBe('2013-12-02 21:15 – 2013-12-13 07:10');
    const multi = groups.nth(1);
    expect(await multi.textContent()).toContain('1,200 rows · 25 channels · 25 labels');
    expect(await multi.textContent()).toContain('column 24');

    // the axis ticks are dates, the label list and the window speak in times
    await expect.poll(axisText).toMatch(/Dec \d+/);
    const label = page.getByTestId('label-item').first();
    await expect.poll(() => label.getByTestId('label-time').textContent()).toBe('2013-12-10 06:25 – 2013-12-12 05:40 · 1 d 23 h');
    expect(await label.locator('.range').textContent()).toMatch(/^\[2,\d{3}, 2,\d{3}\)$/);
    await expect.poll(() => page.getByTestId('window-time').textContent()).toContain('2013-12-02 21:15 – 2013-12-13 07:15');

    // the cursor readout: row, time and value
    const over = page.locator('[data-testid="series-chart"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('readout').textContent()).toMatch(/^#[\d,]+ · 2013-12-0\d \d\d:\d\d · \d+\.\d+/);

    // the label's rationale card shows times beside its index claims
    await label.locator('.label-main').click();
    const card = page.getByTestId('label-why');
    await expect.poll(() => card.getByTestId('card-span').textContent()).toContain('2013-12-10 06:25 – 2013-12-12 05:40');
    await expect.poll(() => card.getByTestId('claim-time').count()).toBeGreaterThan(0);
    await page.screenshot({ path: shot('20-nab-times.png') });

    // zoom to a typed time range
    await page.getByTestId('go-from').fill('2013-12-10 00:00');
    await page.getByTestId('go-to').fill('2013-12-11 00:00');
    await page.getByTestId('go-submit').click();
    await expect.poll(() => page.getByTestId('window-time').textContent()).toMatch(/^2013-12-10 00:00 – 2013-12-11 00:00/);
    await expect.poll(axisText).toMatch(/\d\d:00/);
    await page.screenshot({ path: shot('21-nab-typed-range.png') });
    await page.getByTestId('go-to').fill('yesterday');
    await page.getByTestId('go-submit').click();
    await expect.poll(() => page.getByTestId('go-error').textContent()).toContain('YYYY-MM-DD');

    // the zone setting: UTC reads the same as the file for zone-less NAB times, and is remembered
    await page.getByTestId('time-zone').selectOption('utc');
    await expect.poll(() => label.getByTestId('label-time').textContent()).toContain('2013-12-10 06:25');
    await page.reload();
    await expect.poll(() => page.getByTestId('time-zone').inputValue()).toBe('utc');
    await page.getByTestId('time-zone').selectOption('file');
  });

  it('lays the multivariate channels out under their dataset, with readable titles on the stacked charts', async () => {
    const multi = page.getByTestId('dataset-group').nth(1);
    await multi.getByRole('button', { name: /^column 0\b/ }).click();
    await expect.poll(() => page.getByTestId('window').textContent()).toMatch(/^0 – 1,200 of 1,200/);
    // a dataset without time keeps indices
    expect(await page.getByTestId('window-time').count()).toBe(0);
    expect(await page.getByTestId('label-item').first().getByTestId('label-time').count()).toBe(0);
    await multi.getByRole('checkbox', { name: 'Show channel 1', exact: true }).check();
    await multi.getByRole('checkbox', { name: 'Show channel 2', exact: true }).check();
    await expect.poll(() => page.getByTestId('companion-chart').count()).toBe(2);
    expect(await page.getByTestId('chart-title').allTextContents()).toEqual(['column 0', 'column 1', 'column 2']);
    // the filter box narrows 25 channels
    await multi.getByTestId('channel-filter').fill('2');
    await expect.poll(() => multi.locator('.series-item').count()).toBe(7); // 2, 12, 20 … 24
    await page.screenshot({ path: shot('22-two-datasets-multichannel.png') });
    await multi.getByTestId('channel-filter').fill('');
    // collapse the NAB heading
    const nab = page.getByTestId('dataset-group').nth(0);
    await nab.locator('.dataset-head').click();
    expect(await nab.locator('.series-item').count()).toBe(0);
  });
});
