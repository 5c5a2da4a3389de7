import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSeriesPlot, windowsFor } from '../../../main/render';
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
