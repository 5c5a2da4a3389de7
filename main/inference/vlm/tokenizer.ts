import { WorkbenchError } from '../../../common/errors';

/**
 * The closed vocabulary of the bundled VLM's decoder: control tokens, the AnomSeer tags, brackets,
 * digits, AnomSeer's class names (the names main/exporters' SFT export writes, see ANOMSEER_CLASS) and
 * 118 location tokens, one per visual token (as Pix2Seq and PaliGemma write coordinates), which the
 * decoder scores against the visual tokens themselves (a pointer head) and decode() writes as digits.
 * The decoder writes `<answer>[[s, e], …]</answer><class>…</class>`; the `<think>` part is written
 * from measurements on the plotted line (think.ts), not token by token.
 */
/** The class names the decoder may write in `<class>`, in vocabulary order. */
export const ANSWER_CLASSES = [
  'contextual point',
  'global point',
  'seasonal',
  'trend',
  'shapelet',
  'level shift',
  'variance',
  'flatline',
  'unknown',
  'normal',
] as const;

const BASE = [
  '<pad>',
  '<bos>',
  '<eos>',
  '<answer>',
  '</answer>',
  '<class>',
  '</class>',
  '[',
  ']',
  ', ',
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  ...ANSWER_CLASSES,
] as const;

/** Visual tokens of the encoder = location tokens: `<loc_j>` is the j-th slice of the plot's x axis. */
export const LOCATIONS = 118;
/** Points of the model's window (one 1000×150 plot). */
export const FRAME = 1000;

export const VOCAB: readonly string[] = [...BASE, ...Array.from({ length: LOCATIONS }, (_, j) => `<loc_${j}>`)];
export const LOC0 = BASE.length;

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;

/** First window index location j covers, and one past its last. */
export const locStart = (j: number) => Math.floor((j * FRAME) / LOCATIONS);
export const locEnd = (j: number) => Math.ceil(((j + 1) * FRAME) / LOCATIONS);
/** The location token of window index i. */
export const locOf = (i: number) => LOC0 + Math.min(LOCATIONS - 1, Math.max(0, Math.floor((i * LOCATIONS) / FRAME)));

const TEXT_TOKENS = BASE.map((t, id) => ({ t, id }))
  .filter(({ id }) => id > EOS)
  .sort((a, b) => b.t.length - a.t.length);

/** Token ids of a text of the base vocabulary (longest match first); anything else is an error naming the position. */
export function encode(text: string): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < text.length) {
    const hit = TEXT_TOKENS.find(({ t }) => text.startsWith(t, at));
    if (!hit)
      throw new WorkbenchError(
        'invalid_input',
        `The text has "${text.slice(at, at + 12)}" at ${at}, outside the model's vocabulary.`,
      );
    out.push(hit.id);
    at += hit.t.length;
  }
  return out;
}

/**
 * The text of token ids (control tokens dropped). Location tokens become window indices: the first of
 * a pair its slice's first index, the second one past its slice's last index, so `[<loc_a>, <loc_b>]`
 * reads as the half-open interval covering slices a to b (a later pair starts no earlier than the one
 * before ended).
 */
export function decode(ids: readonly number[]): string {
  let second = false;
  let prevEnd = 0;
  return ids
    .filter((id) => id > EOS)
    .map((id) => {
      if (id >= LOC0) {
        const j = id - LOC0;
        // neighbouring slices share a boundary point: a later interval starts where the one before ended
        const at = second ? locEnd(j) : Math.max(locStart(j), prevEnd);
        if (second) prevEnd = at;
        second = !second;
        return String(at);
      }
      if (id === 7) second = false;
      return VOCAB[id] ?? '';
    })
    .join('');
}

/** The decoder's target for a window: half-open local intervals as location pairs, and the class name. */
export function answerTokens(intervals: readonly { start: number; end: number }[], className: string): number[] {
  const pairs: number[] = [];
  intervals.forEach((iv, k) => {
    if (k > 0) pairs.push(9);
    pairs.push(7, locOf(iv.start), 9, locOf(iv.end - 1), 8);
  });
  return [...encode('<answer>['), ...pairs, ...encode(']</answer><class>'), ...encode(className), ...encode('</class>')];
}
