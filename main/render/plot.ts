import { createCanvas } from '@napi-rs/canvas';
import { WorkbenchError } from '../../common/errors';

export type PlotStyle = 'anomllm' | 'vlm4ts';

export interface PlotAxis {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  xTicks: number[];
}

export interface RenderedPlot {
  png: Buffer;
  width: number;
  height: number;
  axis: PlotAxis;
}

const STYLES: Record<PlotStyle, { width: number; height: number; xTicks: number; titled: boolean }> = {
  // AnomLLM / AnomSeer / VisualTimeAnomaly: about 1000×150 with default ticks
  anomllm: { width: 1000, height: 150, xTicks: 6, titled: false },
  // VLM4TS: 1200×342, titled axes, denser x ticks (mid-points too)
  vlm4ts: { width: 1200, height: 342, xTicks: 21, titled: true },
};

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = Math.max(1, hi - lo);
  const raw = span / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Math.round(t * 1e6) / 1e6);
  return out;
}

export interface PlotOptions {
  /** the rows drawn, half-open [from, to); the x axis shows these row indices */
  from: number;
  to: number;
  style: PlotStyle;
  /** override the style's size in pixels */
  width?: number;
  height?: number;
}

/**
 * A plot of values[from, to) as a model sees it: line, axes and ticks, nothing else. It takes no
 * labels or predictions at all, so an image can never leak the answer into a model's input.
 */
export function renderSeriesPlot(values: Float64Array, opts: PlotOptions): RenderedPlot {
  return draw(values, opts, null);
}

/**
 * A plot for people (reports), with rows [start, end) shaded. Never use it for model input: the
 * shading is the answer.
 */
export function renderHighlightedPlot(
  values: Float64Array,
  opts: PlotOptions,
  highlight: { start: number; end: number },
): RenderedPlot {
  return draw(values, opts, highlight);
}

function draw(values: Float64Array, opts: PlotOptions, highlight: { start: number; end: number } | null): RenderedPlot {
  const { from, to, style } = opts;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to > from && to <= values.length)) {
    throw new WorkbenchError('invalid_input', `Cannot plot [${from}, ${to}) of a series of length ${values.length}.`);
  }
  const s = STYLES[style];
  if (!s)
    throw new WorkbenchError('invalid_input', `Unknown plot style "${String(style)}" (anomllm or vlm4ts).`, {
      parameter: 'style',
    });
  const width = opts.width ?? s.width;
  const height = opts.height ?? s.height;
  if (!(width >= 100 && height >= 60 && width <= 8000 && height <= 4000)) {
    throw new WorkbenchError('invalid_input', `A plot of ${width}×${height} pixels is outside 100×60 to 8000×4000.`, {
      parameter: 'width',
    });
  }
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < yMin) yMin = v;
      if (v > yMax) yMax = v;
    }
  }
  if (!Number.isFinite(yMin)) {
    yMin = 0;
    yMax = 1;
  }
  if (yMin === yMax) {
    yMin -= 1;
    yMax += 1;
  }
  const pad = (yMax - yMin) * 0.05;
  yMin -= pad;
  yMax += pad;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const left = s.titled ? 70 : 50;
  const right = 10;
  const top = s.titled ? 14 : 8;
  const bottom = s.titled ? 48 : 26;
  const w = width - left - right;
  const h = height - top - bottom;
  const xOf = (i: number) => left + ((i - from) / Math.max(1, to - 1 - from)) * w;
  const yOf = (v: number) => top + (1 - (v - yMin) / (yMax - yMin)) * h;
  if (highlight) {
    const a = Math.max(from, highlight.start);
    const b = Math.min(to, highlight.end);
    if (b > a) {
      ctx.fillStyle = 'rgba(214, 39, 40, 0.22)';
      const x0 = xOf(a) - (b - a === 1 ? 2 : 0);
      ctx.fillRect(x0, top, Math.max(4, xOf(b - 1) - x0), h);
    }
  }
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, w, h);
  ctx.fillStyle = '#000000';
  ctx.font = '11px sans-serif';
  const xTicks = niceTicks(from, to - 1, Math.max(2, Math.round((s.xTicks * width) / s.width)));
  ctx.textAlign = 'center';
  for (const t of xTicks) {
    const x = xOf(t);
    ctx.beginPath();
    ctx.moveTo(x, top + h);
    ctx.lineTo(x, top + h + 4);
    ctx.stroke();
    ctx.fillText(String(t), x, top + h + 15);
  }
  ctx.textAlign = 'right';
  for (const t of niceTicks(yMin, yMax, 4)) {
    const y = yOf(t);
    ctx.beginPath();
    ctx.moveTo(left - 4, y);
    ctx.lineTo(left, y);
    ctx.stroke();
    ctx.fillText(String(t), left - 6, y + 4);
  }
  if (s.titled) {
    ctx.textAlign = 'center';
    ctx.fillText('Index', left + w / 2, height - 8);
    ctx.save();
    ctx.translate(14, top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('Value', 0, 0);
    ctx.restore();
  }
  ctx.strokeStyle = '#1f77b4';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  const n = to - from;
  if (n <= 2 * w) {
    let pen = false;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(xOf(i), yOf(v));
      else ctx.moveTo(xOf(i), yOf(v));
      pen = true;
    }
  } else {
    // more points than pixels: one vertical min-max stroke per pixel column (M4-style), so a single
    // spike still shows, joined to the next column
    const columns = Math.ceil(w);
    let pen = false;
    for (let c = 0; c < columns; c++) {
      const a = from + Math.floor((c * n) / columns);
      const b = from + Math.floor(((c + 1) * n) / columns);
      let lo = Infinity;
      let hi = -Infinity;
      let first = NaN;
      let last = NaN;
      for (let i = a; i < b; i++) {
        const v = values[i];
        if (!Number.isFinite(v)) continue;
        if (Number.isNaN(first)) first = v;
        last = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (Number.isNaN(first)) {
        pen = false;
        continue;
      }
      const x = left + c + 0.5;
      if (pen) ctx.lineTo(x, yOf(first));
      else ctx.moveTo(x, yOf(first));
      ctx.lineTo(x, yOf(lo));
      ctx.lineTo(x, yOf(hi));
      ctx.lineTo(x, yOf(last));
      pen = true;
    }
  }
  ctx.stroke();
  return { png: canvas.toBuffer('image/png'), width, height, axis: { xMin: from, xMax: to - 1, yMin, yMax, xTicks } };
}

/** Windows of `size` points with `overlap` points shared between neighbours, covering [0, length). */
export function windowsFor(length: number, size: number, overlap: number): { start: number; end: number }[] {
  if (!(size > 0 && overlap >= 0 && overlap < size))
    throw new WorkbenchError('invalid_input', `Window size ${size} and overlap ${overlap} are not usable.`);
  if (length <= size) return [{ start: 0, end: length }];
  const out: { start: number; end: number }[] = [];
  for (let start = 0; ; start += size - overlap) {
    const end = Math.min(length, start + size);
    out.push({ start: Math.max(0, end - size), end });
    if (end === length) break;
  }
  return out;
}

/** Intervals of the series clipped to a window and shifted to window-local indices (half-open). */
export function toWindowLocal(
  intervals: readonly { start: number; end: number }[],
  window: { start: number; end: number },
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const iv of intervals) {
    const start = Math.max(iv.start, window.start);
    const end = Math.min(iv.end, window.end);
    if (end > start) out.push({ start: start - window.start, end: end - window.start });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Window-local intervals back to series indices. */
export function toSeriesIndices(
  intervals: readonly { start: number; end: number }[],
  window: { start: number; end: number },
): { start: number; end: number }[] {
  return intervals.map((iv) => ({ start: iv.start + window.start, end: iv.end + window.start }));
}
