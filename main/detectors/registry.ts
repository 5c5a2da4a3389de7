import type { DetectorInfo } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import { makeEnsemble } from './ensemble';
import { isolationForest } from './iforest';
import { levelShift } from './level-shift';
import { allParams } from './params';
import { rollingZscore } from './rolling-zscore';
import { spectralResidual } from './sr';
import type { Detector } from './types';
import { varianceChange } from './variance-change';
import { subPca } from './sub-pca';
import { poly } from './poly';
import { isolationForestWindow } from './iforest-window';
import { kmeansAd } from './kmeans';
import { matrixProfileDetector } from './matrix-profile';
import { kshapeAd } from './kshape';
import { localOutlierFactor } from './lof';
import { trendBreak } from './trend-break';
import { periodChange } from './period-change';

/** id → detector. Adding a detector is one file and one line here. */
const DETECTORS = new Map<string, Detector>(
  [
    subPca,
    poly,
    spectralResidual,
    isolationForest,
    isolationForestWindow,
    kmeansAd,
    matrixProfileDetector,
    kshapeAd,
    localOutlierFactor,
    rollingZscore,
    levelShift,
    varianceChange,
    trendBreak,
    periodChange,
  ].map((d) => [d.id, d]),
);
DETECTORS.set('ensemble', makeEnsemble(getDetector));

export function getDetector(id: string): Detector {
  const d = DETECTORS.get(id);
  if (!d) {
    throw new WorkbenchError('not_found', `No detector "${id}". Available: ${[...DETECTORS.keys()].join(', ')}.`, {
      detector: id,
    });
  }
  return d;
}

export function listDetectors(): Detector[] {
  return [...DETECTORS.values()];
}

/** What the UI and the CLI show: every detector with its full parameter manifest (thresholding included). */
export function listDetectorInfos(): DetectorInfo[] {
  return listDetectors().map((d) => ({
    id: d.id,
    name: d.name,
    description: d.description,
    params: allParams(d),
    randomized: d.randomized,
  }));
}
