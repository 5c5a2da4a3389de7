import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCard, checkRationale, classify, computeEvidence } from '../../../main/reasoning';
import { TEST_DATA } from '../../helpers/tmp';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function base(n = 3000, seed = 1): Float64Array {
  const rnd = seeded(seed);
  return new Float64Array(n).map((_, i) => Math.sin((2 * Math.PI * i) / 60) + 0.2 * (rnd() - 0.5));
}

/** Each injected anomaly with the interval it occupies. */
const CASES = [
  { name: 'global spike', expect: 'global-point', make: (x: Float64Array) => ((x[1500] = 25), { start: 1500, end: 1501 }) },
  {
    name: 'level shift',
    expect: 'level-shift',
    make: (x: Float64Array) => {
      for (let i = 1500; i < 1800; i++) x[i] += 6;
      return { start: 1500, end: 1800 };
    },
  },
  {
    name: 'flatline',
    expect: 'flatline',
    make: (x: Float64Array) => {
      x.fill(0.3, 1500, 1600);
      return { start: 1500, end: 1600 };
    },
  },
  {
    name: 'dropout',
    expect: 'dropout',
    make: (x: Float64Array) => {
      x.fill(NaN, 1500, 1550);
      return { start: 1500, end: 1550 };
    },
  },
  {
    name: 'variance burst',
    expect: 'variance-change',
    make: (x: Float64Array) => {
      const rnd = seeded(9);
      for (let i = 1500; i < 1700; i++) x[i] += 8 * (rnd() - 0.5);
      return { start: 1500, end: 1700 };
    },
  },
  {
    name: 'faster rhythm',
    expect: 'frequency-change',
    make: (x: Float64Array) => {
      for (let i = 1500; i < 1800; i++) x[i] = Math.sin((2 * Math.PI * i) / 15);
      return { start: 1500, end: 1800 };
    },
  },
  {
    name: 'contextual spike',
    expect: 'contextual-point',
    make: (x: Float64Array) => {
      for (let i = 1800; i < x.length; i++) x[i] += 10; // a second regime lifts the global median
      x[1000] = 5;
      return { start: 1000, end: 1001 };
    },
  },
  {
    name: 'slow drift',
    expect: 'trend-change',
    make: (x: Float64Array) => {
      for (let i = 1500; i < x.length; i++) x[i] += 0.008 * (Math.min(i, 1800) - 1500);
      return { start: 1500, end: 1800 };
    },
  },
  {
    name: 'odd shape',
    expect: 'shapelet',
    make: (x: Float64Array) => {
      for (let i = 1500; i < 1560; i++) x[i] = i < 1530 ? 1 : -1; // a square wave for one sine period
      return { start: 1500, end: 1560 };
    },
  },
] as const;

function readTsbAd(file: string): { values: Float64Array; labels: { start: number; end: number }[] } {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const values = Float64Array.from(lines.map((l) => Number(l.split(',')[0])));
  const flags = lines.map((l) => l.split(',').at(-1)!.trim() !== '0');
  const labels: { start: number; end: number }[] = [];
  flags.forEach((on, i) => {
    if (on && (i === 0 || !flags[i - 1])) labels.push({ start: i, end: i + 1 });
    else if (on) labels[labels.length - 1].end = i + 1;
  });
  return { values, labels };
}

describe('evidence, type and rationale cards', () => {
  for (const c of CASES) {
    it(`${c.name}: classified as ${c.expect}, and every claim of its card checks out`, () => {
      const x = base();
      const iv = c.make(x);
      const e = computeEvidence(x, iv);
      expect(classify(e).type).toBe(c.expect);
      const card = buildCard(e);
      expect(card.type).toBe(c.expect);
      expect(card.text).toContain('Observation:');
      expect(card.text).toContain('Conclusion:');
      const report = checkRationale(card.text, x);
      expect(report.contradicted, JSON.stringify(report.claims.filter((k) => k.status !== 'verified'))).toBe(0);
      expect(report.unverifiable, JSON.stringify(report.claims.filter((k) => k.status !== 'verified'))).toBe(0);
      expect(report.verified).toBeGreaterThanOrEqual(card.claims.length);
      for (const claim of card.claims) {
        expect(card.text).toContain(claim.text);
        const ref = claim.reference;
        const [lo, hi] =
          ref.kind === 'range' ? [ref.start, ref.end] : ref.kind === 'value' ? [ref.index, ref.index + 1] : ref.context;
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(x.length);
        if (ref.kind === 'value') expect(x[ref.index]).toBe(ref.value);
      }
      // deterministic
      expect(buildCard(computeEvidence(x, iv)).text).toBe(card.text);
    });
  }

  it('verifies 100% of the claims of the cards of every labeled anomaly, and of random intervals, in the TSB-AD sample', () => {
    const dir = path.join(TEST_DATA, 'tsb-ad-sample');
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.csv') && fs.readFileSync(path.join(dir, f), 'utf8').startsWith('Data,Label'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    const rnd = seeded(42);
    let cards = 0;
    for (const f of files) {
      const { values, labels } = readTsbAd(path.join(dir, f));
      const random = Array.from({ length: 20 }, () => {
        const len = 1 + Math.floor(rnd() * 200);
        const start = Math.floor(rnd() * (values.length - len));
        return { start, end: start + len };
      });
      for (const iv of [...labels, ...random]) {
        const card = buildCard(computeEvidence(values, iv));
        const r = checkRationale(card.text, values, { interval: iv });
        expect(
          r.contradicted + r.unverifiable,
          `${f} ${iv.start}: ${JSON.stringify(r.claims.filter((k) => k.status !== 'verified'))}`,
        ).toBe(0);
        cards++;
      }
    }
    expect(cards).toBeGreaterThan(40);
  });

  it('verifies 100% of the claims of the cards of a 50k-point MGAB series', () => {
    const lines = fs
      .readFileSync(path.join(TEST_DATA, 'mgab', '1.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const values = Float64Array.from(lines.map((l) => Number(l.split(',')[1])));
    const flags = lines.map((l) => l.split(',')[2].trim() === '1');
    const labels: { start: number; end: number }[] = [];
    flags.forEach((on, i) => {
      if (on && (i === 0 || !flags[i - 1])) labels.push({ start: i, end: i + 1 });
      else if (on) labels[labels.length - 1].end = i + 1;
    });
    expect(values.length).toBe(50_000);
    expect(labels.length).toBeGreaterThan(0);
    for (const iv of labels) {
      const card = buildCard(computeEvidence(values, iv));
      const r = checkRationale(card.text, values);
      expect(
        r.contradicted + r.unverifiable,
        `${iv.start}: ${JSON.stringify(r.claims.filter((k) => k.status !== 'verified'))}`,
      ).toBe(0);
    }
  });

  it('catches a wrong rationale: contradicted numbers and positions, unverifiable free numbers', () => {
    const x = base();
    for (let i = 1500; i < 1800; i++) x[i] += 6;
    const truth = computeEvidence(x, { start: 1500, end: 1800 });
    const lie = `The mean 9.99 over [1500, 1800) is far above the mean ${truth.before.mean!.toFixed(2)} over [1200, 1500). The value 42 at index 1600 is a spike; around 7 sigma. Between index 1500 and 99999.`;
    const r = checkRationale(lie, x);
    expect(r.claims.find((c) => c.text.startsWith('mean 9.99'))?.status).toBe('contradicted');
    expect(r.claims.find((c) => c.text.startsWith(`mean ${truth.before.mean!.toFixed(2)}`))?.status).toBe('verified');
    expect(r.claims.find((c) => c.text.startsWith('value 42'))?.status).toBe('contradicted');
    expect(r.claims.find((c) => c.kind === 'position')?.status).toBe('contradicted');
    expect(r.claims.find((c) => c.text === '7')?.status).toBe('unverifiable');
  });

  it('refuses intervals outside the series', () => {
    expect(() => computeEvidence(new Float64Array(10), { start: 5, end: 11 })).toThrow(/not inside the series/);
  });
});
