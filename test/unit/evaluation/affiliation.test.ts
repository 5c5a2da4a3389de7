import { describe, expect, it } from 'vitest';
import { affiliationBinary, affiliationF, affiliationFromEvents } from '../../../main/evaluation';

type Span = [number, number];

/**
 * The affiliation metric from its definition (Huet et al. 2022), integrated numerically (midpoint
 * rule): independent of the closed forms under test.
 */
function affiliationByIntegration(pred: Span[], truth: Span[], n: number, steps = 20000): { p: number | null; r: number } {
  let pSum = 0;
  let pCount = 0;
  let rSum = 0;
  truth.forEach(([j0, j1], j) => {
    const e0 = j === 0 ? 0 : (truth[j - 1][1] + j0) / 2;
    const e1 = j === truth.length - 1 ? n : (j1 + truth[j + 1][0]) / 2;
    const parts = pred.map(([a, b]): Span => [Math.max(a, e0), Math.min(b, e1)]).filter(([a, b]) => b > a);
    if (parts.length === 0) return;
    const E = e1 - e0;
    // precision: survival of d(x, J) for x uniform on E
    const survivalToJ = (d: number) => (d === 0 ? 1 : (Math.max(0, j0 - d - e0) + Math.max(0, e1 - j1 - d)) / E);
    let integral = 0;
    let length = 0;
    // F̄ jumps at the borders of J (F̄(0) = 1): integrate the pieces before, inside and after J apart
    const pieces = parts.flatMap(
      ([a, b]): Span[] =>
        [
          [a, Math.min(b, j0)],
          [Math.max(a, j0), Math.min(b, j1)],
          [Math.max(a, j1), b],
        ].filter(([u, v]) => v > u) as Span[],
    );
    for (const [a, b] of pieces) {
      const h = (b - a) / steps;
      for (let k = 0; k < steps; k++) {
        const x = a + (k + 0.5) * h;
        integral += survivalToJ(Math.max(0, j0 - x, x - j1)) * h;
      }
    }
    for (const [a, b] of parts) length += b - a;
    pSum += integral / length;
    pCount++;
    // recall: survival of |X − y| for X uniform on E, at the distance from y to the nearest part
    const h = (j1 - j0) / steps;
    let recall = 0;
    for (let k = 0; k < steps; k++) {
      const y = j0 + (k + 0.5) * h;
      const d = Math.min(...parts.map(([a, b]) => Math.max(0, a - y, y - b)));
      recall += ((Math.max(0, y - d - e0) + Math.max(0, e1 - y - d)) / E) * h;
    }
    rSum += recall / (j1 - j0);
  });
  return { p: pCount > 0 ? pSum / pCount : null, r: rSum / truth.length };
}

function rng(seed: number): () => number {
  return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
}

describe('affiliation precision and recall', () => {
  it('matches a hand computation', () => {
    // J = [2,4) in [0,10), so E = [0,10); prediction I = [6,7).
    // precision: x ∈ [6,7), d = x − 4 ∈ [2,3), F̄(d) = (max(0, 2−d) + (6−d))/10 = (6−d)/10 → ∫₂³ (6−d)/10 dd = 0.35
    // recall: y ∈ [2,4), d = 6 − y, F̄_y(d) = (max(0, 2y−6) + 4)/10 → (1/2)·(8 + ∫₃⁴ (2y−6) dy)/10 = 9/20
    const m = affiliationFromEvents([[6, 7]], [[2, 4]], 10);
    expect(m.precision).toBeCloseTo(0.35, 12);
    expect(m.recall).toBeCloseTo(0.45, 12);
    const b = affiliationBinary(Uint8Array.from([0, 0, 1, 1, 0, 0, 0, 0, 0, 0]), Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]));
    expect(b.f).toBeCloseTo((2 * 0.35 * 0.45) / 0.8, 12);
  });

  it('is 1/1 for an exact prediction, and recall 0 / precision undefined without predictions', () => {
    expect(affiliationFromEvents([[2, 4]], [[2, 4]], 10)).toEqual({ precision: 1, recall: 1 });
    expect(affiliationFromEvents([], [[2, 4]], 10)).toEqual({ precision: null, recall: 0 });
  });

  it('agrees with numerical integration of the definition on random events', () => {
    const r = rng(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 60 + Math.floor(r() * 100);
      const draw = (count: number, maxLen: number): Span[] => {
        const v = new Uint8Array(n);
        for (let k = 0; k < count; k++) {
          const s = Math.floor(r() * n);
          v.fill(1, s, Math.min(n, s + 1 + Math.floor(r() * maxLen)));
        }
        const out: Span[] = [];
        for (let i = 0; i < n; i++) if (v[i] && (i === 0 || !v[i - 1])) out.push([i, i + 1]);
        for (const e of out) while (e[1] < n && v[e[1]]) e[1]++;
        return out;
      };
      const truth = draw(1 + Math.floor(r() * 3), 10);
      const pred = draw(Math.floor(r() * 5), 12);
      const exact = affiliationFromEvents(pred, truth, n);
      const ref = affiliationByIntegration(pred, truth, n);
      if (ref.p === null) expect(exact.precision).toBeNull();
      else expect(exact.precision!).toBeCloseTo(ref.p, 6);
      expect(exact.recall).toBeCloseTo(ref.r, 6);
    }
  });

  it('Affiliation-F sweeps thresholds like TSB-AD (score > threshold)', () => {
    // J = [2,4), scores peak on J: threshold 0 flags exactly [2,4) → P = R = 1 → F = 2/(2 + 1e-15) = 1
    expect(affiliationF([0, 0, 5, 5, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0, 0, 0, 0])).toBeCloseTo(1, 12);
  });
});
