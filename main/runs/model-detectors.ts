import type { DetectorInfo, ParamSpec } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import { allParams } from '../detectors';
import { listModels, modelDetector, PROVIDER_ORDER, resolveModel, type AsyncDetector, type ModelEntry } from '../inference';
import type { ModelRoots, ProviderPreference } from '../inference';

/**
 * Learned models as detectors in runs: the detector id is `model:NAME` (the newest version) or
 * `model:NAME@VERSION`. A run always records the exact version it used.
 */
export const MODEL_DETECTOR_PREFIX = 'model:';

export function isModelDetectorId(id: string): boolean {
  return id.startsWith(MODEL_DETECTOR_PREFIX);
}

export function modelRef(detectorId: string): string {
  const ref = detectorId.slice(MODEL_DETECTOR_PREFIX.length);
  if (ref === '') throw new WorkbenchError('invalid_input', 'A model detector id is model:NAME or model:NAME@VERSION.');
  return ref;
}

/** The execution-provider preference every model detector accepts on top of its own parameters. */
export const PROVIDER_PARAM: ParamSpec = {
  type: 'enum',
  default: 'auto',
  options: ['auto', ...PROVIDER_ORDER],
  description: 'execution provider to try first (auto: GPU when present); falls back to CPU with the reason recorded',
};

/** The parameter manifest of a model detector (its own, the provider choice, thresholding). */
export function modelDetectorParams(detector: Pick<AsyncDetector, 'params'>): Record<string, ParamSpec> {
  return allParams({ params: { ...detector.params, provider: PROVIDER_PARAM } });
}

export function modelDetectorInfo(entry: ModelEntry, detector: AsyncDetector): DetectorInfo {
  return {
    id: `${MODEL_DETECTOR_PREFIX}${entry.id}`,
    name: `${entry.name} ${entry.version}${entry.source === 'user' ? ' (yours)' : ''}`,
    description: entry.card.description ?? detector.description,
    params: modelDetectorParams(detector),
    randomized: false,
    kind: 'model',
    model: {
      id: entry.id,
      name: entry.name,
      version: entry.version,
      source: entry.source,
      parent: entry.card.parent ?? null,
    },
  };
}

/** Every model version in the roots as a detector (models whose folder is broken are left out). */
export async function listModelDetectorInfos(roots: ModelRoots): Promise<DetectorInfo[]> {
  const { models } = await listModels(roots);
  const infos: DetectorInfo[] = [];
  for (const entry of models) {
    const detector = await modelDetector(entry.id, roots);
    infos.push(modelDetectorInfo(entry, detector));
  }
  return infos;
}

/** Resolves `model:NAME[@VERSION]` to its entry (not_found names the known models). */
export function resolveModelDetector(detectorId: string, roots: ModelRoots): Promise<ModelEntry> {
  return resolveModel(modelRef(detectorId), roots);
}

export function providerPreference(params: Record<string, unknown>): ProviderPreference {
  const p = params.provider;
  return typeof p === 'string' && (p === 'auto' || (PROVIDER_ORDER as readonly string[]).includes(p))
    ? (p as ProviderPreference)
    : 'auto';
}
