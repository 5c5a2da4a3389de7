import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCanvas, Image } from '@napi-rs/canvas';
import { renderHighlightedPlot, renderSeriesPlot, toSeriesIndices, toWindowLocal, windowsFor } from '../../../main/render';
import { REPO_ROOT } from '../../helpers/tmp';

describe('plots for models', () => {
  const values = new Float64Array(3000).map((_, i) => Math.sin(i / 40) + (i > 1800 && i < 1900 ? 3 : 0));

  it('renders both paper formats as PNG, with the axis ranges the model will read', () => {
    const out = path.join(REPO_ROOT, 'test-output', 'render');
    fs.mkdirSync(out, { recursive: true });
    for (const style of ['anomllm', 'vlm4ts'] as const) {
      const p = renderSeriesPlot(values, { from: 1000, to: 3000, style });
      expect(p.png.subarray(1, 4).toString()).toBe('PNG');
      expect([p.width, p.height]).toEqual(style === 'anomllm' ? [1000, 150] : [1200, 342]);
      expect(p.axis).toMatchObject({ xMin: 1000, xMax: 2999 });
      expect(p.axis.yMax).toBeGreaterThan(3.9);
      expect(p.axis.xTicks.length).toBeGreaterThan(style === 'vlm4ts' ? 10 : 3);
      fs.writeFileSync(path.join(out, `${style}.png`), p.png);
    }
  });

  it('takes no labels: the same data gives the same bytes whatever the project holds', () => {
    expect(renderSeriesPlot.length).toBe(2);
    const a = renderSeriesPlot(values, { from: 0, to: 1000, style: 'anomllm' }).png;
    const b = renderSeriesPlot(Float64Array.from(values), { from: 0, to: 1000, style: 'anomllm' }).png;
    expect(a.equals(b)).toBe(true);
  });

  it('windows long series with overlap and covers every point', () => {
    expect(windowsFor(100, 400, 50)).toEqual([{ start: 0, end: 100 }]);
    const w = windowsFor(1000, 400, 100);
    expect(w).toEqual([
      { start: 0, end: 400 },
      { start: 300, end: 700 },
      { start: 600, end: 1000 },
    ]);
    expect(() => windowsFor(1000, 100, 100)).toThrow(/not usable/);
    expect(() => renderSeriesPlot(values, { from: 10, to: 5, style: 'anomllm' })).toThrow(/Cannot plot/);
  });
});

describe('plot details', () => {
  function pixels(png: Buffer, width: number, height: number): Uint8ClampedArray {
    const img = new Image();
    img.src = png;
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, width, height).data;
  }

  it('keeps a one-point spike visible when there are far more points than pixels', () => {
    const values = new Float64Array(100_000);
    values[50_001] = 10;
    const p = renderSeriesPlot(values, { from: 0, to: values.length, style: 'anomllm' });
    expect(p.axis.yMax).toBeGreaterThan(10);
    const data = pixels(p.png, p.width, p.height);
    // the plot area spans x 50..990; the spike sits at half the width, its top near y = 8 + 5% of the height
    const x = Math.round(50 + 0.5 * 940);
    let blue = 0;
    for (let y = 10; y < 40; y++) {
      for (let dx = -2; dx <= 2; dx++) {
        const i = (y * p.width + x + dx) * 4;
        if (data[i + 2] > 150 && data[i] < 120) blue++;
      }
    }
    expect(blue).toBeGreaterThan(5);
  });

  it('honours a custom size and scales the tick count with the width', () => {
    const values = Float64Array.from({ length: 500 }, (_, i) => i % 7);
    const p = renderSeriesPlot(values, { from: 0, to: 500, style: 'anomllm', width: 400, height: 120 });
    expect([p.width, p.height]).toEqual([400, 120]);
    expect(p.png.readUInt32BE(16)).toBe(400);
    expect(p.png.readUInt32BE(20)).toBe(120);
    expect(() => renderSeriesPlot(values, { from: 0, to: 500, style: 'anomllm', width: 10 })).toThrow(/outside/);
  });

  it('the highlighted plot (reports only) shades the interval and differs from the model plot', () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i / 10));
    const plain = renderSeriesPlot(values, { from: 0, to: 400, style: 'anomllm' });
    const shaded = renderHighlightedPlot(values, { from: 0, to: 400, style: 'anomllm' }, { start: 200, end: 250 });
    expect(shaded.png.equals(plain.png)).toBe(false);
    const data = pixels(shaded.png, shaded.width, shaded.height);
    // a pixel inside the shaded band near the top edge is reddish, one outside is white
    const at = (x: number, y: number) => Array.from(data.subarray((y * shaded.width + x) * 4, (y * shaded.width + x) * 4 + 3));
    const xIn = Math.round(50 + (225 / 399) * 940);
    const xOut = Math.round(50 + (100 / 399) * 940);
    const inside = at(xIn, 12);
    expect(inside[0]).toBeGreaterThan(inside[2] + 20);
    expect(at(xOut, 12)).toEqual([255, 255, 255]);
  });

  it('maps intervals into a window and back', () => {
    const window = { start: 300, end: 700 };
    const local = toWindowLocal(
      [
        { start: 250, end: 320 },
        { start: 400, end: 410 },
        { start: 690, end: 900 },
        { start: 10, end: 20 },
      ],
      window,
    );
    expect(local).toEqual([
      { start: 0, end: 20 },
      { start: 100, end: 110 },
      { start: 390, end: 400 },
    ]);
    expect(toSeriesIndices(local, window)).toEqual([
      { start: 300, end: 320 },
      { start: 400, end: 410 },
      { start: 690, end: 700 },
    ]);
  });

  it('windows cover every index of long series, and each index maps back to itself', () => {
    for (const [length, size, overlap] of [
      [10_000, 1000, 200],
      [1001, 1000, 0],
      [5000, 700, 699],
    ]) {
      const ws = windowsFor(length, size, overlap);
      const covered = new Uint8Array(length);
      for (const w of ws) {
        expect(w.end - w.start).toBe(Math.min(size, length));
        covered.fill(1, w.start, w.end);
      }
      expect(covered.every((c) => c === 1)).toBe(true);
      for (let k = 1; k < ws.length; k++) expect(ws[k - 1].end - ws[k].start).toBeGreaterThanOrEqual(overlap);
    }
  });
});
