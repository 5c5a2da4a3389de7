/**
 * Reference check against TSB-AD's published per-file VUS-PR (uni_mergedTable_VUS-PR.csv) on the two
 * univariate sample files. Scores are compared through the workbench's own vusPr with TSB-AD's
 * sliding window (the find_length_rank period). Tolerances: ±0.01 for deterministic detectors,
 * ±0.03 for randomized ones (other RNG than scikit-learn's).
 *
 * Column ↔ detector: "IForest" in TSB-AD-U is the point-wise Isolation Forest (our `iforest`; the
 * windowed `iforest-window` corresponds to Sub-IForest); LOF's published values are reproduced with
 * k = 50 (our default); POLY with degree 4 and MatrixProfile with the rank-1 period (our defaults).
 *
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vusPr } from '../../../main/evaluation';
import { getDetector, validateParams } from '../../../main/detectors';
import { estimatePeriodWindow } from '../../../main/numeric';
import { TEST_DATA } from '../../helpers/tmp';

const dir = path.join(TEST_DATA, 'tsb-ad-sample');
const files = ['001_NAB_id_1_Facility_tr_1007_1st_2014.csv', '277_NEK_id_1_WebService_tr_500_1st_17.csv'];
const cases: { column: string; detector: string; tolerance: number }[] = [
  { column: 'POLY', detector: 'poly', tolerance: 0.01 },
  { column: 'SR', detector: 'sr', tolerance: 0.01 },
  { column: 'Sub-PCA', detector: 'sub-pca', tolerance: 0.01 },
  { column: 'MatrixProfile', detector: 'matrix-profile', tolerance: 0.01 },
  { column: 'KMeansAD', detector: 'kmeans', tolerance: 0.03 },
  { column: 'IForest', detector: 'iforest', tolerance: 0.03 },
  { column: 'LOF', detector: 'lof', tolerance: 0.01 },
];

function published(): Map<string, Record<string, number>> {
  const [header, ...rows] = readFileSync(path.join(dir, 'uni_mergedTable_VUS-PR.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return new Map(rows.map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, Number(r[i])]))]));
}

function load(file: string): { values: Float64Array; labels: Uint8Array } {
  const rows = readFileSync(path.join(dir, file), 'utf8').trim().split('\n').slice(1);
  return {
    values: Float64Array.from(rows, (r) => Number(r.split(',')[0])),
    labels: Uint8Array.from(rows, (r) => Number(r.split(',')[1])),
  };
}

describe('TSB-AD reference VUS-PR', () => {
  const table = published();
  for (const file of files) {
    for (const { column, detector, tolerance } of cases) {
      it(`${file.slice(0, 7)} ${column}`, () => {
        const { values, labels } = load(file);
        const d = getDetector(detector);
        const scores = d.score(values, validateParams(d, {}));
        const got = vusPr(scores, labels, estimatePeriodWindow(values));
        if (got === null) throw new Error(`VUS-PR was not computed for ${file}`);
        const expected = table.get(file)![column];
        expect(
          Math.abs(got - expected),
          `${column}: ours ${got.toFixed(4)}, published ${expected.toFixed(4)}`,
        ).toBeLessThanOrEqual(tolerance);
      });
    }
  }
});
