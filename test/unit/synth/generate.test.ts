import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import {
  BASE_KINDS,
  createRng,
  deriveSeed,
  generateDataset,
  generateSeries,
  INJECTABLE_TYPES,
  pointLabels,
  writeSynthDataset,
  type SeriesFolderManifest,
  type SynthSeries,
} from '../../../main/synth';

function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

function diffIn(s: SynthSeries, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push((s.values[i] as number) - (s.baseline[i] as number));
  return out;
}

function only(type: (typeof INJECTABLE_TYPES)[number], seed: number): SynthSeries {
  const s = generateSeries({ length: 2048, seed, anomalies: 1, types: [type] });
  expect(s.anomalies).toHaveLength(1);
  expect(s.anomalies[0]?.type).toBe(type);
  return s;
}

describe('prng', () => {
  it('is deterministic per seed and roughly uniform / normal', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 20000 }, () => a.next());
    expect(xs.slice(0, 50)).toEqual(Array.from({ length: 50 }, () => b.next()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
    const g = createRng(7);
    const ns = Array.from({ length: 20000 }, () => g.normal());
    expect(Math.abs(mean(ns))).toBeLessThan(0.05);
    expect(std(ns)).toBeGreaterThan(0.95);
    expect(std(ns)).toBeLessThan(1.05);
    expect(createRng(1).next()).not.toBe(createRng(2).next());
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
  });
});

describe('generateSeries', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = generateSeries({ length: 1500, seed: 123 });
    const b = generateSeries({ length: 1500, seed: 123 });
    const c = generateSeries({ length: 1500, seed: 124 });
    expect(sameNumbers(a.values, b.values)).toBe(true);
    expect(a.anomalies).toEqual(b.anomalies);
    expect(sameNumbers(a.values, c.values)).toBe(false);
  });

  it('keeps intervals sorted, non-overlapping, inside bounds, and leaves the rest equal to the baseline', () => {
    for (let seed = 0; seed < 60; seed++) {
      const length = 300 + ((seed * 997) % 3000);
      const s = generateSeries({ length, seed, anomalies: 4 });
      expect(s.values.length).toBe(length);
      const inside = pointLabels(length, s.anomalies);
      let prevEnd = 0;
      for (const a of s.anomalies) {
        expect(a.start).toBeGreaterThanOrEqual(prevEnd);
        expect(a.end).toBeGreaterThan(a.start);
        expect(a.end).toBeLessThanOrEqual(length);
        prevEnd = a.end;
      }
      for (let i = 0; i < length; i++) {
        if (inside[i] === 0) expect(s.values[i]).toBe(s.baseline[i]);
      }
      for (const v of s.baseline) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('covers every type when asked for as many anomalies as types', () => {
    const s = generateSeries({ length: 16384, seed: 5, anomalies: INJECTABLE_TYPES.length });
    expect(new Set(s.anomalies.map((a) => a.type))).toEqual(new Set(INJECTABLE_TYPES));
  });

  it('draws every base kind', () => {
    for (const base of BASE_KINDS) {
      const s = generateSeries({ length: 1000, seed: 3, base, anomalies: 0 });
      expect(s.base).toBe(base);
      expect(s.anomalies).toEqual([]);
      expect(std(Array.from(s.values))).toBeGreaterThan(0);
    }
  });

  it('global point: outside the baseline range', () => {
    for (const seed of [1, 2, 3]) {
      const s = only('global-point', seed);
      const a = s.anomalies[0]!;
      expect(a.end - a.start).toBe(1);
      const lo = Math.min(...s.baseline);
      const hi = Math.max(...s.baseline);
      const v = s.values[a.start] as number;
      expect(v > hi || v < lo).toBe(true);
    }
  });

  it('contextual point: inside the global range but far from its local value', () => {
    for (const seed of [1, 2, 3]) {
      const s = only('contextual-point', seed);
      const a = s.anomalies[0]!;
      const v = s.values[a.start] as number;
      expect(v).toBeGreaterThanOrEqual(Math.min(...s.baseline));
      expect(v).toBeLessThanOrEqual(Math.max(...s.baseline));
      expect(Math.abs(v - (s.baseline[a.start] as number))).toBeGreaterThanOrEqual(0.5 * std(Array.from(s.baseline)) - 1e-9);
      expect(v - (s.baseline[a.start] as number)).toBeCloseTo(a.params.delta as number, 9);
    }
  });

  it('level shift: the mean inside moves by exactly the stated delta', () => {
    for (const seed of [1, 2, 3]) {
      const s = only('level-shift', seed);
      const a = s.anomalies[0]!;
      const delta = a.params.delta as number;
      expect(Math.abs(delta)).toBeGreaterThan(0.5 * std(Array.from(s.baseline)));
      const before = mean(Array.from(s.baseline.subarray(a.start, a.end)));
      const after = mean(Array.from(s.values.subarray(a.start, a.end)));
      expect(after - before).toBeCloseTo(delta, 9);
    }
  });

  it('trend change: adds a ramp of the stated slope', () => {
    const s = only('trend-change', 4);
    const a = s.anomalies[0]!;
    const slope = a.params.slope as number;
    diffIn(s, a.start, a.end).forEach((d, k) => expect(d).toBeCloseTo(slope * (k + 1), 9));
    expect(Math.abs(slope * (a.end - a.start))).toBeCloseTo(Math.abs(a.params.total as number), 9);
  });

  it('frequency change: the seasonal part inside runs at the stated factor', () => {
    const s = only('frequency-change', 6);
    const a = s.anomalies[0]!;
    expect([1 / 3, 0.5, 2, 3]).toContain(a.params.factor);
    const d = diffIn(s, a.start, a.end);
    expect(Math.sqrt(mean(d.map((x) => x * x)))).toBeGreaterThan(0.05 * std(Array.from(s.baseline)));
    // Phase is continuous at the start: the first point is unchanged.
    expect(Math.abs(d[0] as number)).toBeLessThan(1e-9);
  });

  it('variance change: added noise of about the stated std', () => {
    for (const seed of [1, 2]) {
      const s = only('variance-change', seed);
      const a = s.anomalies[0]!;
      const added = std(diffIn(s, a.start, a.end));
      expect(added / (a.params.addedStd as number)).toBeGreaterThan(0.6);
      expect(added / (a.params.addedStd as number)).toBeLessThan(1.4);
    }
  });

  it('shapelet: replaces the pattern', () => {
    const s = only('shapelet', 8);
    const a = s.anomalies[0]!;
    const d = diffIn(s, a.start, a.end);
    expect(Math.max(...d.map(Math.abs))).toBeGreaterThan(0.1 * std(Array.from(s.baseline)));
  });

  it('flatline: constant at the stated value over a varying baseline', () => {
    const s = only('flatline', 9);
    const a = s.anomalies[0]!;
    for (let i = a.start; i < a.end; i++) expect(s.values[i]).toBe(a.params.value);
    expect(std(Array.from(s.baseline.subarray(a.start, a.end)))).toBeGreaterThan(0);
  });

  it('dropout: NaN exactly on the interval', () => {
    const s = only('dropout', 10);
    const a = s.anomalies[0]!;
    for (let i = 0; i < s.values.length; i++) {
      expect(Number.isNaN(s.values[i])).toBe(i >= a.start && i < a.end);
    }
  });

  it('rejects bad options with invalid_input', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (err) {
        return err instanceof WorkbenchError ? err.code : 'other';
      }
      return undefined;
    };
    expect(code(() => generateSeries({ length: 10, seed: 1 }))).toBe('invalid_input');
    expect(code(() => generateSeries({ length: 500, seed: 1, types: ['unknown'] }))).toBe('invalid_input');
    expect(code(() => generateSeries({ length: 500, seed: 1, types: [] }))).toBe('invalid_input');
    expect(code(() => generateSeries({ length: 500, seed: 1, anomalies: -1 }))).toBe('invalid_input');
    expect(code(() => generateDataset(-1, 1))).toBe('invalid_input');
  });
});

describe('generateDataset', () => {
  it('series i is generateSeries with the derived seed', () => {
    const ds = generateDataset(4, 77, { length: 700 });
    expect(ds).toHaveLength(4);
    ds.forEach((s, i) => {
      const again = generateSeries({ length: 700, seed: deriveSeed(77, i) });
      expect(sameNumbers(s.values, again.values)).toBe(true);
    });
  });
});

describe('writeSynthDataset', () => {
  it('writes CSVs and a manifest that round-trip the generated series', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synth-'));
    try {
      const fractions: number[] = [];
      const manifest = await writeSynthDataset(dir, 3, 9, {
        length: 400,
        types: ['dropout', 'level-shift'],
        anomalies: 2,
        progress: (f) => fractions.push(f),
      });
      expect(fractions[fractions.length - 1]).toBe(1);
      const onDisk = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as SeriesFolderManifest;
      expect(onDisk).toEqual(manifest);
      const expected = generateDataset(3, 9, { length: 400, types: ['dropout', 'level-shift'], anomalies: 2 });
      for (const [i, entry] of onDisk.series.entries()) {
        const series = expected[i]!;
        expect(entry.anomalies.map((a) => [a.start, a.end, a.type])).toEqual(
          series.anomalies.map((a) => [a.start, a.end, a.type]),
        );
        const lines = (await readFile(join(dir, entry.file), 'utf8')).trim().split('\n');
        expect(lines[0]).toBe('index,value,label');
        expect(lines).toHaveLength(401);
        const labels = pointLabels(400, series.anomalies);
        for (let r = 0; r < 400; r++) {
          const [idx, value, label] = (lines[r + 1] as string).split(',');
          expect(Number(idx)).toBe(r);
          expect(Number(label)).toBe(labels[r]);
          const v = series.values[r] as number;
          if (Number.isNaN(v)) expect(value).toBe('');
          else expect(Math.abs(Number(value) - v)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(v)));
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cancels', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const dir = await mkdtemp(join(tmpdir(), 'synth-'));
    try {
      await expect(writeSynthDataset(dir, 2, 1, { signal: ctl.signal })).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
