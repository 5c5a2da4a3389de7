/**
 * The learned anomaly-type classifier: one-vs-rest gradient-boosted trees over the shape features
 * (shape.ts), trained on the synthetic generator's typed anomalies at true and jittered bounds
 * (scripts/train-types.ts) and bundled as JSON, so the cards and the two-stage detector read the same
 * model without the inference service.
 */
import { ANOMALY_TYPES, type AnomalyType, type Interval } from '../../common/domain';
import { fitGbdt, predictRaw, type GbdtModel, type GbdtOptions } from '../verify/gbdt';
import bundled from '../../resources/type-classifier/type-model.json';
import { SHAPE_FEATURE_NAMES, seriesRange, shapeFeatures, type SeriesRange } from './shape';
import type { TypeDistribution } from './classify';

export const TYPE_MODEL_KIND = 'tsad-type-classifier';

/** The types the classifier predicts, in output order (every type but 'unknown'). */
export const CLASSIFIER_TYPES = ANOMALY_TYPES.filter((t) => t !== 'unknown');

export interface TypeModel {
  kind: typeof TYPE_MODEL_KIND;
  version: number;
  /** the shape feature names the model was trained on, in order */
  features: string[];
  types: AnomalyType[];
  models: GbdtModel[];
  /** how it was trained, in words and figures */
  training: Record<string, string | number>;
}

export const TYPE_MODEL_GBDT: Partial<GbdtOptions> = { rounds: 80, depth: 4, learningRate: 0.15, minChildWeight: 2, bins: 32 };

export interface TypedExample {
  features: Float64Array;
  type: AnomalyType;
}

/** One-vs-rest models, one per CLASSIFIER_TYPES entry. */
export function trainTypeClassifier(
  examples: readonly TypedExample[],
  training: TypeModel['training'],
  options: Partial<GbdtOptions> = TYPE_MODEL_GBDT,
): TypeModel {
  if (examples.length === 0) throw new Error('No typed examples to train the type classifier on.');
  const X = examples.map((e) => e.features);
  const models = CLASSIFIER_TYPES.map((t) => {
    const y = examples.map((e) => (e.type === t ? 1 : 0));
    if (!y.includes(1)) return { base: -6, trees: [], featureCount: X[0].length };
    return fitGbdt(X, y, options);
  });
  return {
    kind: TYPE_MODEL_KIND,
    version: 1,
    features: [...SHAPE_FEATURE_NAMES],
    types: [...CLASSIFIER_TYPES],
    models,
    training,
  };
}

/** Softmax over the one-vs-rest raw scores: a distribution over the types that sums to 1. */
export function predictTypeDistribution(model: TypeModel, features: ArrayLike<number>): TypeDistribution {
  const raw = model.models.map((m) => predictRaw(m, features));
  const top = Math.max(...raw);
  const e = raw.map((r) => Math.exp(r - top));
  const total = e.reduce((a, v) => a + v, 0);
  return Object.fromEntries(model.types.map((t, i) => [t, e[i] / total])) as TypeDistribution;
}

function isTypeModel(x: unknown): x is TypeModel {
  const m = x as Partial<TypeModel> | null;
  return (
    !!m &&
    m.kind === TYPE_MODEL_KIND &&
    Array.isArray(m.models) &&
    Array.isArray(m.types) &&
    m.models.length === m.types.length &&
    JSON.stringify(m.features) === JSON.stringify(SHAPE_FEATURE_NAMES)
  );
}

let cached: TypeModel | null | undefined;

/** The bundled model; null when the bundle does not match this build's shape features (then the rules decide). */
export function bundledTypeModel(): TypeModel | null {
  if (cached === undefined) cached = isTypeModel(bundled) ? bundled : null;
  return cached;
}

/** The bundled classifier's type distribution for an interval; null when no model is bundled. */
export function learnedTypes(values: Float64Array, interval: Interval, range?: SeriesRange): TypeDistribution | null {
  const model = bundledTypeModel();
  if (!model) return null;
  return predictTypeDistribution(model, shapeFeatures(values, interval, range ?? seriesRange(values)));
}
