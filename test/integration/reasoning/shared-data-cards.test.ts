import { describe, expect, it } from 'vitest';
import { loadLabeledSeries } from '../../../bench/shared-data';
import { intervalsFromLabels } from '../../../main/evaluation';
import { buildCard, checkRationale, computeEvidence } from '../../../main/reasoning';
import { TEST_DATA } from '../../helpers/tmp';

describe('rationale cards on every labeled anomaly of the test data (NAB, MGAB, TSB-AD)', () => {
  it('produce a type and text whose claims all check out against the data', async () => {
    const series = loadLabeledSeries(TEST_DATA);
    let cards = 0;
    const types = new Map<string, number>();
    for (const s of series) {
      for (const iv of intervalsFromLabels(s.labels)) {
        const card = buildCard(computeEvidence(s.values, iv));
        const r = checkRationale(card.text, s.values);
        const bad = r.claims.filter((c) => c.status !== 'verified');
        expect(bad, `${s.name} [${iv.start}, ${iv.end}): ${JSON.stringify(bad)}`).toEqual([]);
        expect(r.verified).toBeGreaterThanOrEqual(4);
        types.set(card.type, (types.get(card.type) ?? 0) + 1);
        cards++;
      }
    }
    expect(new Set(series.map((s) => s.source))).toEqual(new Set(['tsb-ad', 'mgab', 'nab']));
    expect(cards).toBeGreaterThanOrEqual(25); // NAB windows, MGAB anomalies, TSB-AD labels
    expect(types.size).toBeGreaterThan(2);
  });
});
