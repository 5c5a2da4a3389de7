import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnomalyType } from '../../../common/domain';
import { buildCard, classify, computeEvidence } from '../../../main/reasoning';
import { SHAPE_FEATURE_COUNT, sharpExcursion, shapeFeatures } from '../../../main/reasoning/shape';
import { bundledTypeModel } from '../../../main/reasoning/type-model';
import { generateSeries } from '../../../main/synth';
import type { InjectableType } from '../../../main/synth/inject';
import { classifyKept } from '../../../main/verify/decide';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/data');

/** How the cards type an interval of a series (the evidence with the values). */
function typeOf(values: Float64Array, iv: { start: number; end: number }): AnomalyType {
  return classify(computeEvidence(values, iv), undefined, { values }).type;
}

/** Generated series with one anomaly of `type`, from seeds no training set uses (train: 11, 13, 14 derived; bench: 12). */
function generated(type: InjectableType, count = 6) {
  return Array.from({ length: count }, (_, k) =>
    generateSeries({ length: 4096, seed: 900 + k, types: [type], anomalies: 1, base: k % 2 ? 'sine' : 'sensor' }),
  ).filter((s) => s.anomalies.length === 1);
}

describe('anomaly types from the shape of the values', () => {
  it('bundles a shape classifier that matches this build', () => {
    const model = bundledTypeModel();
    expect(model).not.toBeNull();
    expect(model!.models).toHaveLength(model!.types.length);
    expect(
      shapeFeatures(
        new Float64Array(500).map((_, i) => Math.sin(i / 5)),
        { start: 200, end: 230 },
      ),
    ).toHaveLength(SHAPE_FEATURE_COUNT);
  });

  it('types a spike that returns to level as a point, at exact and at loose bounds', () => {
    const values = Float64Array.from(
      { length: 2000 },
      (_, i) => 10 + Math.sin((2 * Math.PI * i) / 50) + 0.05 * Math.cos(i * 1.7),
    );
    values[1000] = 40; // far outside everything else: a global point
    expect(typeOf(values, { start: 1000, end: 1001 })).toBe('global-point');
    expect(typeOf(values, { start: 997, end: 1004 })).toBe('global-point');
  });

  it('types generated spikes as points and generated ramps as trends', () => {
    const cases: [InjectableType, AnomalyType[]][] = [
      ['global-point', ['global-point']],
      ['contextual-point', ['contextual-point', 'global-point']],
      ['trend-change', ['trend-change']],
      ['level-shift', ['level-shift']],
    ];
    for (const [type, accepted] of cases) {
      const set = generated(type);
      const right = set.filter((s) => accepted.includes(typeOf(s.values, s.anomalies[0]))).length;
      // the classifier is not perfect; most of a handful of fresh series must come out right
      expect(right, type).toBeGreaterThanOrEqual(Math.ceil(0.66 * set.length));
    }
  });

  it('types a sustained step as a level shift and a ramp as a trend change (hand-made series)', () => {
    const base = (i: number) => Math.sin((2 * Math.PI * i) / 40) + 0.1 * Math.sin(i * 2.3);
    const step = Float64Array.from({ length: 3000 }, (_, i) => base(i) + (i >= 1500 && i < 1600 ? 3 : 0));
    expect(typeOf(step, { start: 1500, end: 1600 })).toBe('level-shift');
    const ramp = Float64Array.from({ length: 3000 }, (_, i) => base(i) + (i >= 1500 && i < 1600 ? (3 * (i - 1500)) / 100 : 0));
    expect(typeOf(ramp, { start: 1500, end: 1600 })).toBe('trend-change');
  });

  it('types the sharp dip of NAB machine_temperature (to 2.08, robust z about -49) as a point, not a trend change', () => {
    const csv = readFileSync(path.join(FIXTURES, 'nab/data/realKnownCause/machine_temperature_system_failure.csv'), 'utf8');
    const values = Float64Array.from(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[1])),
    );
    expect(values[3986]).toBeCloseTo(2.0847, 3);
    for (const iv of [
      { start: 3983, end: 3989 },
      { start: 3975, end: 3990 },
      { start: 3962, end: 3990 },
    ]) {
      const e = computeEvidence(values, iv);
      const card = buildCard(e, undefined, { values });
      expect(card.type, `[${iv.start}, ${iv.end})`).toBe('global-point');
      expect(card.rule).toMatch(/trough/);
      expect(sharpExcursion(values, iv)?.index).toBe(3986);
    }
  });

  it('the two-stage type of a kept interval prefers the shape classifier over the verifier head', () => {
    const values = Float64Array.from({ length: 2000 }, (_, i) => 10 + Math.sin((2 * Math.PI * i) / 50));
    values[1000] = 40;
    const iv = { start: 1000, end: 1001 };
    const kept = {
      ...iv,
      probability: 0.9,
      score: 1,
      features: new Float64Array(0),
      finalFeatures: new Float64Array(0),
      evidence: computeEvidence(values, iv),
    };
    const head = { 'trend-change': 0.9, 'global-point': 0.1 };
    expect(classifyKept(kept, head).type).toBe('trend-change');
    expect(classifyKept(kept, head, { values }).type).toBe('global-point');
  });
});
