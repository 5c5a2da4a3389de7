import { createCanvas, Image } from '@napi-rs/canvas';
import { WorkbenchError } from '../../../common/errors';

/** The plot the model reads: main/render's 'anomllm' style (AnomLLM / AnomSeer), 1000×150 pixels. */
export const VLM_IMAGE = { width: 1000, height: 150 } as const;
/** The plotting area of that style (main/render/plot.ts: left 50, right 10, top 8, bottom 26). */
export const PLOT_AREA = { left: 50, top: 8, width: 940, height: 116 } as const;

/** Decodes a PNG into RGBA pixels; a corrupt file is a clear error. */
export function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8ClampedArray } {
  const img = new Image();
  try {
    img.src = png;
  } catch (err) {
    throw new WorkbenchError('invalid_input', `The image is not a readable PNG (${(err as Error).message}).`);
  }
  if (!img.width || !img.height) throw new WorkbenchError('invalid_input', 'The image is not a readable PNG.');
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, rgba: ctx.getImageData(0, 0, img.width, img.height).data };
}

/**
 * The model's input: luminance in [0, 1] of a 1000×150 plot, row-major (training/vlm reads the same
 * bytes, quantized to uint8: `Math.round(255 * x)` gives them back exactly). Any other size is an error.
 */
export function plotToGray(png: Buffer): Uint8Array {
  const { width, height, rgba } = decodePng(png);
  if (width !== VLM_IMAGE.width || height !== VLM_IMAGE.height)
    throw new WorkbenchError(
      'invalid_input',
      `The image is ${width}×${height} pixels; the model reads ${VLM_IMAGE.width}×${VLM_IMAGE.height} plots (main/render style 'anomllm').`,
      { parameter: 'image' },
    );
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const r = rgba[4 * i];
    const g = rgba[4 * i + 1];
    const b = rgba[4 * i + 2];
    out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return out;
}

/**
 * The plotted line read back from the pixels: for each window index, the value at the centre of the
 * line's ink in its pixel column (NaN where the column has no line, e.g. a gap of missing values).
 * `yMin`/`yMax` are the axis range the prompt states. This is what the model "sees" of the numbers;
 * the rationale's measurements are taken on it, never on the series itself.
 */
export function readTrace(png: Buffer, length: number, yMin: number, yMax: number): Float64Array {
  const { width, height, rgba } = decodePng(png);
  if (width !== VLM_IMAGE.width || height !== VLM_IMAGE.height)
    throw new WorkbenchError('invalid_input', `The image is ${width}×${height} pixels, expected 1000×150.`);
  const { left, top, width: w, height: h } = PLOT_AREA;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x = left + (i / Math.max(1, length - 1)) * w;
    const col = Math.min(width - 1, Math.round(x));
    let sw = 0;
    let sy = 0;
    // inside the frame only (the frame's own rows and columns are black, not blue)
    for (let y = top + 1; y < top + h; y++) {
      const k = 4 * (y * width + col);
      // the line is #1f77b4: blue well above red; anti-aliased edges weigh less
      const ink = Math.max(0, rgba[k + 2] - rgba[k]) / 149;
      if (ink > 0.05) {
        sw += ink;
        sy += ink * y;
      }
    }
    // a pixel row y covers [y, y + 1): the line's centre is half a row below its index
    out[i] = sw > 0 ? yMax - ((sy / sw + 0.5 - top) / h) * (yMax - yMin) : NaN;
  }
  return out;
}
