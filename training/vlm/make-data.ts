/**
 * Training and validation data for the bundled VLM, made with the workbench's own code: synthetic
 * windows of 1000 points (main/synth, typed anomalies and normal windows), the model plot main/render
 * draws for VLMs (style 'anomllm', 1000×150), its luminance (main/inference/vlm/image.ts, the bytes the
 * runtime feeds the encoder) and the decoder target (AnomSeer <answer>/<class>, class names as the
 * SFT export writes them).
 *
 *   npx tsx training/vlm/make-data.ts --out /tmp/vlm-data --count 3000 --seed 1 --name train
 *
 * --start K begins at window K (a set made in parallel parts: train.py --train NAME_A,NAME_B joins them).
 * Writes NAME.u8 (count × 150 × 1000 luminance bytes) and NAME.jsonl (one window per line: seed,
 * intervals, types, class, target text, target token ids). --labels-only rewrites NAME.jsonl alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { plotToGray } from '../../main/inference/vlm/image';
import { synthWindow, VLM_WINDOW } from '../../main/inference/vlm/windows';
import { renderSeriesPlot } from '../../main/render';

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      count: { type: 'string', default: '3000' },
      start: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      name: { type: 'string', default: 'train' },
      'labels-only': { type: 'boolean', default: false },
    },
  });
  if (!values.out) throw new Error('--out DIR is required');
  const count = Number(values.count);
  // windows start..start+count-1 of the seed: one set can be made in parallel parts
  const start = Number(values.start);
  const seed = Number(values.seed);
  fs.mkdirSync(values.out, { recursive: true });
  const img = values['labels-only'] ? null : fs.openSync(path.join(values.out, `${values.name}.u8`), 'w');
  const meta: string[] = [];
  for (let k = 0; k < count; k++) {
    const w = synthWindow(seed, start + k);
    if (img !== null)
      fs.writeSync(img, plotToGray(renderSeriesPlot(w.series.values, { from: 0, to: VLM_WINDOW, style: 'anomllm' }).png));
    meta.push(
      JSON.stringify({
        seed: w.seed,
        intervals: w.intervals,
        types: w.series.anomalies.map((a) => a.type),
        class: w.className,
        target: w.target,
        tokens: w.tokens,
      }),
    );
    if (k % 500 === 0) process.stderr.write(`${k}/${count}\n`);
  }
  if (img !== null) fs.closeSync(img);
  fs.writeFileSync(path.join(values.out, `${values.name}.jsonl`), meta.join('\n') + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
