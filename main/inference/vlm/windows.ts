import { ANOMSEER_CLASS, dominantType } from '../../exporters/formats/sft-jsonl';
import { deriveSeed, generateSeries } from '../../synth';
import { answerTokens, decode } from './tokenizer';

/** Points per window the bundled VLM is trained on (one 1000×150 plot). */
export const VLM_WINDOW = 1000;

/**
 * Window k of a seeded synthetic set (training/vlm/make-data.ts, bench/vlm.ts, the parity fixture):
 * 1000 points of main/synth with 0 to 2 typed anomalies (a fifth of the windows normal), the class
 * AnomSeer names for its dominant type, and the decoder's target.
 */
export function synthWindow(seed: number, k: number) {
  const s = deriveSeed(seed, k);
  const count = [0, 1, 1, 1, 2][s % 5];
  const series = generateSeries({ length: VLM_WINDOW, seed: s, anomalies: count });
  const intervals = series.anomalies.map(({ start, end }) => ({ start, end }));
  const type = dominantType(series.anomalies);
  const className = type === null ? 'normal' : ANOMSEER_CLASS[type];
  const tokens = answerTokens(intervals, className);
  return { seed: s, series, intervals, type, className, tokens, target: decode(tokens) };
}
