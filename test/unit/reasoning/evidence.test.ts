import { describe, expect, it } from 'vitest';
import {
  anomLlmPrompt,
  anomSeerPrompt,
  buildCard,
  checkRationale,
  classify,
  classifyByRules,
  computeEvidence,
  globalLevel,
  vlm4tsPrompt,
} from '../../../main/reasoning';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** z-normalized Euclidean distance of two windows, the obvious way. */
function znormDistance(x: Float64Array, i: number, j: number, m: number): number {
  const norm = (k: number) => {
    const w = Array.from(x.subarray(k, k + m));
    const mu = w.reduce((a, b) => a + b, 0) / m;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mu) ** 2, 0) / m);
    return w.map((v) => (v - mu) / sd);
  };
  const a = norm(i);
  const b = norm(j);
  return Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0));
}

describe('evidence', () => {
  it('records the context windows it used: max(3 × duration, 100) each side, clipped', () => {
    const x = new Float64Array(1000).map((_, i) => Math.sin(i / 7));
    const e = computeEvidence(x, { start: 500, end: 550 });
    expect(e.before.range).toEqual([350, 500]);
    expect(e.inside.range).toEqual([500, 550]);
    expect(e.after.range).toEqual([550, 700]);
    expect(computeEvidence(x, { start: 30, end: 31 }).before.range).toEqual([0, 30]);
    expect(computeEvidence(x, { start: 950, end: 990 }).after.range).toEqual([990, 1000]);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(computeEvidence(x, { start: 500, end: 550 }, [], { global: globalLevel(x) })).toEqual(e);
    expect(e.global.median).toBeCloseTo(
      [...x]
        .sort((a, b) => a - b)
        .slice(499, 501)
        .reduce((a, b) => a + b) / 2,
      12,
    );
  });

  it('measures the Savitzky–Golay slope exactly on polynomials, and the missing share', () => {
    // SG of order 2 reproduces a quadratic's derivative exactly, edge fits included
    const q = new Float64Array(600).map((_, i) => 0.01 * i * i - 3 * i + 7);
    const e = computeEvidence(q, { start: 300, end: 400 });
    let naive = 0;
    for (let i = 300; i < 400; i++) naive += 0.02 * i - 3;
    expect(e.inside.slope).toBeCloseTo(naive / 100, 9);
    expect(e.before.slope).toBeCloseTo(0.01 * (0 + 299) - 3, 9); // mean of 0.02 i − 3 over [0, 300)
    const x = new Float64Array(600).map((_, i) => 0.5 * i);
    x[310] = NaN;
    x[311] = NaN;
    const withGaps = computeEvidence(x, { start: 300, end: 400 });
    expect(withGaps.inside.slope).toBeCloseTo(0.5, 9); // gaps are interpolated for the gradient
    expect(withGaps.missingShare).toBeCloseTo(0.02, 12);
    expect(withGaps.inside.count).toBe(98);
  });

  it('finds an injected shape as a matrix-profile discord, with the distance a naive computation gives', () => {
    const rnd = seeded(3);
    const x = new Float64Array(2000).map((_, i) => Math.sin((2 * Math.PI * i) / 40) + 0.05 * (rnd() - 0.5));
    for (let i = 1000; i < 1040; i++) x[i] = i < 1020 ? 1 : -1; // a square wave in place of one sine period
    const e = computeEvidence(x, { start: 1000, end: 1040 });
    const d = e.discord!;
    expect(d.m).toBe(40);
    expect(d.exact).toBe(true);
    expect(d.z).toBeGreaterThan(3.5);
    // its nearest neighbour, found by brute force inside the same context, is at the reported distance
    let nearest = Infinity;
    for (let j = d.range[0]; j + d.m <= d.range[1]; j++) {
      if (Math.abs(j - d.index) <= Math.ceil(d.m / 4)) continue;
      nearest = Math.min(nearest, znormDistance(x, d.index, j, d.m));
    }
    expect(d.distance).toBeCloseTo(nearest, 6);
    expect(d.index + d.m).toBeGreaterThan(1000);
    expect(d.index).toBeLessThan(1040);
    const card = buildCard(e);
    expect(card.text).toMatch(/discord z-score/);
    const r = checkRationale(card.text, x);
    expect(r.contradicted + r.unverifiable, JSON.stringify(r.claims)).toBe(0);
  });
});

describe('classification with a learned model', () => {
  const rnd = seeded(11);
  const x = new Float64Array(3000).map((_, i) => Math.sin(i / 9) + 0.2 * (rnd() - 0.5));
  for (let i = 1500; i < 1800; i++) x[i] += 6;
  const e = computeEvidence(x, { start: 1500, end: 1800 });
  const rules = classifyByRules(e);

  it('agreement raises the confidence; a weak model does not overrule a firm check', () => {
    expect(rules.type).toBe('level-shift');
    const agree = classify(e, { 'level-shift': 0.9, 'trend-change': 0.1 });
    expect(agree.type).toBe('level-shift');
    expect(agree.confidence).toBeCloseTo(1 - (1 - rules.confidence) * 0.1, 12);
    const weak = classify(e, { 'trend-change': 0.4, 'level-shift': 0.3, shapelet: 0.3 });
    expect(weak.type).toBe('level-shift');
    expect(weak.confidence).toBeLessThan(rules.confidence);
    expect(classify(e, {})).toEqual(rules);
  });

  it('the model decides when no check fires, and a confident model wins over a weak check', () => {
    const quiet = new Float64Array(600).map((_, i) => Math.sin(i / 9));
    const eq = computeEvidence(quiet, { start: 300, end: 320 });
    expect(classifyByRules(eq).type).toBe('unknown');
    const c = classify(eq, { shapelet: 3, unknown: 1 });
    expect(c.type).toBe('shapelet');
    expect(c.confidence).toBeCloseTo(0.8 * 0.75, 12);
    expect(c.rule).toMatch(/learned model/);
    expect(buildCard(eq, { shapelet: 1 }).type).toBe('shapelet');
  });
});

describe('prompts', () => {
  it('state the series length, the axis ranges and the answer format with its interval convention', () => {
    const seer = anomSeerPrompt(512, -2, 3.5);
    expect(seer).toContain('512 points');
    expect(seer).toContain('-2 to 3.5');
    expect(seer).toMatch(/<answer>\[\[start, end\], \.\.\.\]<\/answer>/);
    expect(seer).toMatch(/half-open/);
    expect(anomLlmPrompt(100)).toMatch(/"start".*"end".*half-open/);
    expect(vlm4tsPrompt(100)).toMatch(/interval_index.*INCLUSIVE/);
  });
});
