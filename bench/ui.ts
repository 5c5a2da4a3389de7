/**
 * `npm run bench:ui`: opens a 10M-point series in headless Chromium through serve mode, performs 100
 * scripted zoom/pan steps, and reports the time from input to painted frame, plus the time from
 * opening the project to the first painted chart.
 * Last line: {"bench":"ui","first_chart_ms":…,"zoom_median_ms":…,"zoom_p95_ms":…}
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProjectStore } from '../main/store';
import { buildApp } from '../test/helpers/build';
import { launchBrowser } from '../test/helpers/browser';
import { startServeProcess } from '../test/helpers/serve-process';

const POINTS = 10_000_000;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsad-bench-ui-')));
const serve = await (async () => {
  buildApp();
  const rnd = seeded(7);
  const values = new Float64Array(POINTS);
  let level = 0;
  for (let i = 0; i < POINTS; i++) {
    level += (rnd() - 0.5) * 0.05;
    values[i] = level + Math.sin(i / 300) + (rnd() < 2e-6 ? 20 : 0);
  }
  const store = ProjectStore.create(path.join(dir, 'big.tsad.sqlite'));
  store.insertDataset({
    name: 'ten-million',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'v', values }],
  });
  store.close();
  return startServeProcess(['--root', dir, '--state-dir', path.join(dir, 'state')]);
})();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(serve.url);
  await page.getByTestId('open-project').click();
  const entry = page.getByRole('button', { name: /big\.tsad\.sqlite/ });
  await entry.waitFor();
  // first chart: from the click that opens the project to the first painted chart
  // page scripts are passed as strings: tsx's function-name helper does not exist in the page
  await page.evaluate(`window.addEventListener('click', () => (window.__t0 = performance.now()), { capture: true, once: true })`);
  await entry.click();
  const firstChart = (await page.evaluate(`new Promise((resolve) => {
    const check = () => {
      const el = document.querySelector('[data-testid="series-chart"]');
      if (el && Number(el.dataset.viewSeq ?? 0) >= 1) requestAnimationFrame(() => resolve(performance.now() - window.__t0));
      else requestAnimationFrame(check);
    };
    check();
  })`)) as number;

  const over = page.locator('[data-testid="series-chart"] .u-over');
  const box = (await over.boundingBox())!;
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const x = box.x + box.width * (0.2 + (0.6 * ((i * 37) % 100)) / 100);
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    const seq = (await page.evaluate(`Number(document.querySelector('[data-testid="series-chart"]').dataset.viewSeq)`)) as number;
    await page.evaluate(
      `window.addEventListener('wheel', () => (window.__t0 = performance.now()), { capture: true, once: true })`,
    );
    // zoom in for 60 steps, then alternate pans and zoom-outs
    if (i < 60) await page.mouse.wheel(0, -120);
    else if (i % 2 === 0) await page.mouse.wheel(0, 240);
    else {
      await page.keyboard.down('Shift');
      await page.mouse.wheel(0, 120);
      await page.keyboard.up('Shift');
    }
    const ms = (await page.evaluate(`new Promise((resolve) => {
      const started = performance.now();
      const check = () => {
        const el = document.querySelector('[data-testid="series-chart"]');
        if (Number(el.dataset.viewSeq) > ${seq}) requestAnimationFrame(() => resolve(performance.now() - window.__t0));
        else if (performance.now() - started > 5000) resolve(NaN);
        else requestAnimationFrame(check);
      };
      check();
    })`)) as number;
    if (Number.isFinite(ms)) times.push(ms);
  }
  await page.screenshot({ path: path.join(dir, 'ui.png') });
  fs.mkdirSync('test-output/bench', { recursive: true });
  fs.copyFileSync(path.join(dir, 'ui.png'), 'test-output/bench/ui-10m.png');
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log(
    `ui benchmark: ${POINTS.toLocaleString()} points, ${times.length} zoom/pan steps measured (screenshot: test-output/bench/ui-10m.png)`,
  );
  console.log(
    `  first chart ${firstChart.toFixed(0)} ms · zoom/pan median ${q(0.5).toFixed(1)} ms · p95 ${q(0.95).toFixed(1)} ms · max ${times.at(-1)?.toFixed(1)} ms`,
  );
  console.log(
    JSON.stringify({
      bench: 'ui',
      first_chart_ms: Math.round(firstChart),
      zoom_median_ms: +q(0.5).toFixed(1),
      zoom_p95_ms: +q(0.95).toFixed(1),
    }),
  );
} finally {
  await browser.close();
  await serve.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
