import { describe, expect, it } from 'vitest';
import { AnswerGrammar } from '../../../main/inference/vlm/grammar';
import { answerTokens, decode, EOS, encode, locOf, VOCAB } from '../../../main/inference/vlm/tokenizer';
import { parseAnomSeer } from '../../../main/reasoning/parsers';
import { createRng } from '../../../main/synth';

describe('the VLM tokenizer', () => {
  it('writes location pairs as half-open intervals covering the labeled points', () => {
    const text = decode(
      answerTokens(
        [
          { start: 337, end: 338 },
          { start: 500, end: 620 },
        ],
        'level shift',
      ),
    );
    const parsed = parseAnomSeer(text, 1000);
    expect(parsed.type).toBe('level-shift');
    expect(parsed.intervals).toHaveLength(2);
    const [a, b] = parsed.intervals;
    expect(a.start).toBeLessThanOrEqual(337);
    expect(a.end).toBeGreaterThanOrEqual(338);
    expect(a.end - a.start).toBeLessThanOrEqual(10);
    expect(b.start).toBeLessThanOrEqual(500);
    expect(b.end).toBeGreaterThanOrEqual(620);
    expect(decode(answerTokens([], 'normal'))).toBe('<answer>[]</answer><class>normal</class>');
    expect(locOf(999)).toBe(VOCAB.length - 1);
  });

  it('refuses text outside its vocabulary, naming where', () => {
    expect(() => encode('<answer>[x]')).toThrow(/"x\]" at 9, outside the model's vocabulary/);
  });
});

describe('the answer grammar', () => {
  it('turns any logits into a readable AnomSeer answer with ordered, non-empty intervals', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 300; trial++) {
      const g = new AnswerGrammar();
      const tokens: number[] = [];
      for (let step = 0; step < 200; step++) {
        const allowed = g.allowed();
        // a random "model": any allowed token, biased towards continuing lists
        const t = allowed[Math.floor(rng.next() * allowed.length)];
        g.push(t);
        if (t === EOS) break;
        tokens.push(t);
      }
      const parsed = parseAnomSeer(decode(tokens), 1000);
      expect(parsed.notes).toEqual([]);
      for (let k = 1; k < parsed.intervals.length; k++)
        expect(parsed.intervals[k].start).toBeGreaterThanOrEqual(parsed.intervals[k - 1].end);
    }
  });
});
