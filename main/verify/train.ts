/**
 * Fitting a verifier: gradient-boosted trees on candidate features, then Platt scaling fitted on
 * out-of-fold scores (folds by series, so a series never calibrates its own predictions), folded into
 * the trees so the ONNX model outputs the calibrated probability directly.
 */
import { createHash } from 'node:crypto';
import { ANOMALY_TYPES, type AnomalyType } from '../../common/domain';
import {
  DEFAULT_GBDT,
  fitGbdt,
  fitPlatt,
  predictProbability,
  predictRaw,
  scaleGbdt,
  type GbdtModel,
  type GbdtOptions,
} from './gbdt';

export interface TrainingExample {
  features: Float64Array;
  label: 0 | 1;
  /** the series it came from */
  group: string;
  /** how much it counts (reviews by the analyst count more than synthetic examples); default 1 */
  weight?: number;
  /** the anomaly's type, when known (synthetic anomalies, typed labels) */
  type?: AnomalyType | null;
}

export const CALIBRATION_FOLDS = 3;

function foldOf(group: string, folds: number): number {
  return createHash('sha256').update(group).digest()[0] % folds;
}

export function trainVerifierModel(examples: readonly TrainingExample[], options: Partial<GbdtOptions> = {}): GbdtModel {
  return trainVerifier(examples, options).model;
}

export interface TrainedVerifier {
  /** the calibrated model fitted on every example */
  model: GbdtModel;
  /**
   * A series' out-of-fold probability for a feature row: from the calibration model that was fitted
   * without the series' fold (same Platt scaling as `model`); null when calibration could not run.
   * What label-free selection is tuned on, so no series chooses thresholds on its own fitted scores.
   */
  outOfFold: ((group: string, features: Float64Array) => number) | null;
}

export function trainVerifier(examples: readonly TrainingExample[], options: Partial<GbdtOptions> = {}): TrainedVerifier {
  if (examples.length === 0) throw new Error('No training examples: the series gave no screening candidates.');
  const o = { ...DEFAULT_GBDT, ...options };
  const X = examples.map((e) => e.features);
  const y = examples.map((e) => e.label);
  const w = examples.map((e) => e.weight ?? 1);
  const positives = y.filter((v) => v === 1).length;
  if (positives === 0 || positives === y.length) {
    throw new Error(`Training examples need both kinds: ${positives} of ${y.length} candidates are anomalies.`);
  }
  const oof = new Float64Array(examples.length);
  const folds = examples.map((e) => foldOf(e.group, CALIBRATION_FOLDS));
  let calibrated = true;
  const foldModels: GbdtModel[] = [];
  for (let f = 0; f < CALIBRATION_FOLDS; f++) {
    const train = examples.map((_, i) => i).filter((i) => folds[i] !== f);
    const test = examples.map((_, i) => i).filter((i) => folds[i] === f);
    const trainY = train.map((i) => y[i]);
    if (test.length === 0 || trainY.every((v) => v === trainY[0])) {
      calibrated = false;
      break;
    }
    const m = fitGbdt(
      train.map((i) => X[i]),
      trainY,
      o,
      train.map((i) => w[i]),
    );
    for (const i of test) oof[i] = predictRaw(m, X[i]);
    foldModels.push(m);
  }
  const model = fitGbdt(X, y, o, w);
  if (!calibrated) return { model, outOfFold: null };
  const { a, b } = fitPlatt(oof, y);
  if (!(a > 0)) return { model, outOfFold: null };
  const scaled = foldModels.map((m) => scaleGbdt(m, a, b));
  return {
    model: scaleGbdt(model, a, b),
    outOfFold: (group, features) => predictProbability(scaled[foldOf(group, CALIBRATION_FOLDS)], features),
  };
}

/** The types a verifier's type head predicts, in output order (every type but 'unknown'). */
export const VERIFIER_TYPES = ANOMALY_TYPES.filter((t) => t !== 'unknown');

export const TYPE_GBDT: Partial<GbdtOptions> = { rounds: 120, depth: 3, learningRate: 0.1 };

/**
 * One-vs-rest type models over the typed anomaly examples (label 1 and a type); null when there are too
 * few typed examples (fewer than 5 of some two types) to learn from.
 */
export function trainTypeModels(examples: readonly TrainingExample[]): GbdtModel[] | null {
  const typed = examples.filter((e) => e.label === 1 && e.type && e.type !== 'unknown');
  const counts = VERIFIER_TYPES.map((t) => typed.filter((e) => e.type === t).length);
  if (counts.filter((c) => c >= 5).length < 2) return null;
  const X = typed.map((e) => e.features);
  return VERIFIER_TYPES.map((t) => {
    const y = typed.map((e) => (e.type === t ? 1 : 0));
    if (!y.includes(1)) return { base: -6, trees: [], featureCount: X[0].length };
    return fitGbdt(X, y, TYPE_GBDT);
  });
}
