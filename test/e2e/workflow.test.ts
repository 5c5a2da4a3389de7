import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../main/store';
import { buildApp } from '../helpers/build';
import { e2eBrowser, launchBrowser, shot } from '../helpers/browser';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir, TEST_DATA } from '../helpers/tmp';

// Skipped, with one loud notice for the run, where no Chromium can run (test/helpers/browser.ts).
const e2e = await e2eBrowser();

let tmp: ReturnType<typeof makeTempDir>;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

const DATA_FILE = 'machine_temperature_system_failure.csv';

beforeAll(async () => {
  if (!e2e.ok) return;
  tmp = makeTempDir('tsad-e2e-flow-');
  // the user's copy of NAB: data file plus the windows file, laid out as in the NAB repository
  fs.mkdirSync(path.join(tmp.dir, 'nab/data/realKnownCause'), { recursive: true });
  fs.mkdirSync(path.join(tmp.dir, 'nab/labels'), { recursive: true });
  fs.copyFileSync(
    path.join(TEST_DATA, 'nab/data/realKnownCause', DATA_FILE),
    path.join(tmp.dir, 'nab/data/realKnownCause', DATA_FILE),
  );
  fs.copyFileSync(
    path.join(TEST_DATA, 'nab/labels/combined_windows.json'),
    path.join(tmp.dir, 'nab/labels/combined_windows.json'),
  );
  // a 10M-point project for zooming
  const n = 10_000_000;
  const values = new Float64Array(n);
  let level = 0;
  let s = 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    level += (s / 2 ** 32 - 0.5) * 0.05;
    values[i] = level + Math.sin(i / 200);
  }
  values[7_654_321] = 80;
  const big = ProjectStore.create(path.join(tmp.dir, 'ten-million.tsad.sqlite'));
  big.insertDataset({
    name: 'ten-million',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'synthetic', values }],
  });
  big.close();
  // a small labeled project for the export dialog
  const small = ProjectStore.create(path.join(tmp.dir, 'exchange.tsad.sqlite'));
  const wave = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i / 25) + (i >= 1200 && i < 1260 ? 3 : 0));
  const { seriesIds } = small.insertDataset({
    name: 'plant',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'temp', values: wave }],
  });
  small.createLabels([{ seriesId: seriesIds[0], start: 1200, end: 1260, type: 'level-shift', note: '', origin: 'drawn' }]);
  small.close();
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
const labelItems = () => page.getByTestId('label-item');
/** the label made from the accepted prediction: 'accepted', then 'edited' once reshaped */
const reviewedLabel = () => labelItems().filter({ hasText: /accepted|edited/ });
/** "[19,772, 19,822)" (thousands separators) → [19772, 19822] */
function parseRange(text: string | null): [number, number] {
  const m = /\[([\d,]+), ([\d,]+)\)/.exec(text ?? '');
  if (!m) throw new Error(`not a range: ${text}`);
  return [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))];
}

describe.skipIf(!e2e.ok)('analyst workflow in Chromium through serve mode', () => {
  it('zooms and pans a 10M-point series drawn from reduced views', async () => {
    await page.goto(serve.url);
    await page.getByTestId('open-project').click();
    await page.getByRole('button', { name: /ten-million\.tsad\.sqlite/ }).click();
    await expect.poll(chartSeq).toBeGreaterThan(0);
    await page.getByTestId('reduced-badge').waitFor({ state: 'visible' });
    const over = page.locator('[data-testid="series-chart"] .u-over');
    await over.hover();
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -200);
    await expect.poll(() => page.getByTestId('window').textContent()).not.toMatch(/^0 – 10,000,000/);
    const zoomed = await page.getByTestId('window').textContent();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('window').textContent()).not.toBe(zoomed);
    await page.screenshot({ path: shot('10-ten-million-zoomed.png') });
    await page.keyboard.press('0');
    await expect.poll(() => page.getByTestId('window').textContent()).toMatch(/^0 – 10,000,000 of 10,000,000/);
    await page.getByTestId('close-project').click();
  });

  it(
    'creates a project, imports a shared dataset, runs a detector, reviews, edits, undoes, and keeps it all',
    { timeout: 240_000 },
    async () => {
      await page.getByTestId('new-project').click();
      await page.getByTestId('save-name').fill('flow.tsad.sqlite');
      await page.getByTestId('save-confirm').click();
      await expect.poll(() => page.getByTestId('project-path').textContent()).toContain('flow.tsad.sqlite');

      // import with preview
      await page.getByTestId('import-data').click();
      const browser = page.getByTestId('file-browser');
      for (const folder of ['nab', 'data', 'realKnownCause']) {
        await browser.getByRole('button', { name: `📁 ${folder}`, exact: true }).click();
        await expect.poll(() => browser.locator('code').textContent()).toMatch(new RegExp(`${folder}$`));
      }
      await browser.getByRole('button', { name: new RegExp(DATA_FILE.replace('.', '\\.')) }).click();
      await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain('CSV');
      await page.screenshot({ path: shot('11-import-preview.png') });
      await page.getByTestId('import-start').click();
      await page.getByRole('button', { name: /value/ }).waitFor({ state: 'visible', timeout: 60_000 });
      await expect.poll(chartSeq).toBeGreaterThan(0);
      await expect.poll(() => labelItems().count()).toBe(4); // NAB windows came with the data

      // run a detector
      await page.getByTestId('tab-runs').click();
      await page.getByTestId('detector-select').selectOption('rolling-zscore');
      await page.getByTestId('start-run').click();
      await expect.poll(() => page.getByTestId('run-item').first().textContent(), { timeout: 60_000 }).toContain('done');
      await page.getByTestId('review-bar').waitFor({ state: 'visible' });
      const queueCount = async () => Number(((await page.getByTestId('queue-count').textContent()) ?? '0').split(' ')[0]);
      await expect.poll(queueCount).toBeGreaterThan(2);
      const before = await queueCount();
      await page.screenshot({ path: shot('12-run-lane.png') });

      // step the queue with the keyboard: accept one, reject one
      await page.getByTestId('tab-labels').click();
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('n');
      await page.keyboard.press('a');
      await expect.poll(() => labelItems().count()).toBe(5);
      await expect.poll(queueCount).toBe(before - 1);
      await page.keyboard.press('r');
      await expect.poll(queueCount).toBe(before - 2);
      await expect.poll(() => reviewedLabel().count()).toBe(1);

      // resize the accepted label by dragging its right edge
      const seqBeforeFocus = await chartSeq();
      await reviewedLabel().locator('.label-main').click();
      await expect.poll(chartSeq).toBeGreaterThan(seqBeforeFocus); // the chart has redrawn at the label
      const acceptedText = await reviewedLabel().locator('.range').textContent();
      const [s0, e0] = parseRange(acceptedText);
      const over = page.locator('[data-testid="series-chart"] .u-over');
      const box = (await over.boundingBox())!;
      const xOf = (idx: number) =>
        page.evaluate(
          ([i]) => {
            const win = document
              .querySelector('[data-testid="window"]')!
              .textContent!.replace(/,/g, '')
              .split(/[–\s]+/)
              .filter(Boolean)
              .map(Number);
            const o = document.querySelector('[data-testid="series-chart"] .u-over')!.getBoundingClientRect();
            return o.left + ((i - win[0]) / (win[1] - 1 - win[0])) * o.width;
          },
          [idx],
        );
      const edge = await xOf(e0);
      await page.mouse.move(edge, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(edge + 30, box.y + box.height / 2, { steps: 6 });
      await page.mouse.up();
      await expect.poll(() => reviewedLabel().locator('.range').textContent()).not.toBe(acceptedText);
      const resized = await reviewedLabel().locator('.range').textContent();
      const [s1, e1] = parseRange(resized);
      expect(s1).toBe(s0);
      expect(e1).toBeGreaterThan(e0);
      await page.screenshot({ path: shot('13-reviewed-and-resized.png') });

      // undo the resize, redo it
      await page.keyboard.press('Control+z');
      await expect.poll(() => reviewedLabel().locator('.range').textContent()).toBe(acceptedText);
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(() => reviewedLabel().locator('.range').textContent()).toBe(resized);

      // the rationale card of the selected label: claims checked against the data, then edited
      const card = page.getByTestId('label-why');
      await expect
        .poll(() => card.getByTestId('faithfulness').textContent())
        .toMatch(/verified · ✗ 0 contradicted · \? 0 unverifiable/);
      await card.locator('mark.claim').first().hover();
      await page.screenshot({ path: shot('15-rationale-card.png') });
      await card.getByTestId('rationale-edit').click();
      await card
        .getByTestId('rationale-editor')
        .fill(`The level jumps between index ${s1} and ${e1}; the value 1 at index ${s1} is wrong on purpose.`);
      await card.getByTestId('rationale-save').click();
      await expect.poll(() => card.textContent()).toContain('edited by the analyst');
      await expect.poll(() => card.getByTestId('faithfulness').textContent()).toMatch(/✗ 1 contradicted/);

      // everything is still there after a reload
      await page.reload();
      await expect.poll(chartSeq).toBeGreaterThan(0);
      await expect.poll(() => labelItems().count()).toBe(5);
      await expect.poll(() => reviewedLabel().locator('.range').textContent()).toBe(resized);
      await page.getByTestId('tab-runs').click();
      await page
        .getByTestId('run-item')
        .first()
        .getByRole('button', { name: /rolling-zscore/ })
        .click();
      await expect.poll(queueCount).toBe(before - 2);

      // overlays toggle, and a whole window of predictions is accepted in one undoable step
      await page.getByTestId('tab-labels').click();
      await page.getByTestId('show-labels').uncheck();
      await page.getByTestId('show-labels').check();
      await page.keyboard.press('0');
      const pending = await queueCount();
      await page.getByTestId('accept-in-view').click();
      await expect.poll(queueCount).toBe(0);
      await expect.poll(() => labelItems().count()).toBe(5 + pending);
      await page.keyboard.press('Control+z');
      await expect.poll(() => labelItems().count()).toBe(5);
      await expect.poll(queueCount).toBe(pending);

      // the help overlay lists the shortcuts
      await page.keyboard.press('?');
      await expect.poll(() => page.getByTestId('help-overlay').textContent()).toContain('Accept the selected prediction');
      await page.screenshot({ path: shot('14-help.png') });
      await page.keyboard.press('Escape');
    },
  );

  it('exports labels from the dialog (Ctrl+E) and overwrites only after confirming', { timeout: 120_000 }, async () => {
    await page.goto(serve.url);
    if (await page.getByTestId('close-project').isVisible()) await page.getByTestId('close-project').click();
    await page.getByTestId('open-project').click();
    await page.getByRole('button', { name: /exchange\.tsad\.sqlite/ }).click();
    await expect.poll(chartSeq).toBeGreaterThan(0);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+e');
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByTestId('export-format').selectOption('labels-csv');
    const out = path.join(tmp.dir, 'exported-labels.csv');
    await dialog.getByTestId('export-path').fill(out);
    await dialog.getByTestId('export-count').click();
    await expect.poll(() => dialog.getByTestId('export-preview').textContent()).toMatch(/1\s+record from 1 series/);
    await dialog.getByTestId('export-start').click();
    await expect
      .poll(() => dialog.getByTestId('export-status').textContent(), { timeout: 30_000 })
      .toMatch(/^Wrote 1 record to /);
    const first = fs.readFileSync(out, 'utf8');
    expect(first).toContain('plant,temp,');
    expect(first).toMatch(/,1200,1260,/);

    // a second export finds the file and asks before replacing it
    fs.writeFileSync(out, 'stale');
    await dialog.getByTestId('export-start').click();
    await dialog.getByTestId('export-confirm').waitFor({ state: 'visible' });
    expect(await dialog.getByTestId('export-confirm').textContent()).toContain('Overwrite');
    await page.screenshot({ path: shot('16-export-confirm.png') });
    expect(fs.readFileSync(out, 'utf8')).toBe('stale');
    await dialog.getByTestId('export-overwrite').click();
    await expect.poll(() => fs.readFileSync(out, 'utf8'), { timeout: 30_000 }).toBe(first);
    await expect.poll(() => dialog.getByTestId('export-status').textContent()).toMatch(/^Wrote 1 record to /);
    await page.screenshot({ path: shot('17-export-done.png') });
    await dialog.getByTestId('export-close').click();

    // importing labels (Ctrl+Shift+L): a bad file lists its problems by line and imports nothing
    const bad = path.join(tmp.dir, 'bad-labels.csv');
    fs.writeFileSync(bad, 'dataset,series,start,end,type\nplant,nope,10,20,level-shift\nplant,temp,40,30,level-shift\n');
    await page.keyboard.press('Control+Shift+l');
    const importer = page.getByTestId('import-labels-dialog');
    await importer.waitFor({ state: 'visible' });
    await importer.getByTestId('import-labels-path').fill(bad);
    await importer.getByTestId('import-labels-check').click();
    await expect
      .poll(() => importer.getByTestId('import-labels-report').textContent())
      .toMatch(/line 2.*nope.*line 3.*inverted/s);
    await page.screenshot({ path: shot('18-import-labels-problems.png') });
    // the exported file holds the project's own label: checked, nothing new to add
    await importer.getByTestId('import-labels-path').fill(out);
    await importer.getByTestId('import-labels-check').click();
    await expect
      .poll(() => importer.getByTestId('import-labels-report').textContent())
      .toMatch(/Would import\s+0\s+labels;\s+1 already present/);
    await importer.getByTestId('import-labels-close').click();
    await expect.poll(() => labelItems().count()).toBe(1);
  });
});
