/** The screening members' raw scores for one series: the default ensemble's detectors and the learned model. */
import { DEFAULT_MEMBERS, getDetector, validateParams } from '../detectors';
import { modelDetector, type AsyncDetector, type ModelRoots } from '../inference';
import { SCREENING_MEMBERS } from './features';

export interface MemberScoringOptions {
  models?: ModelRoots;
  /** the learned model's ref; default the newest bundled tsad-window-cnn */
  model?: string;
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

const loaded = new Map<string, Promise<AsyncDetector>>();

function learnedModel(opts: MemberScoringOptions): Promise<AsyncDetector> {
  const ref = opts.model ?? 'tsad-window-cnn';
  const key = `${ref}|${JSON.stringify(opts.models ?? {})}`;
  let pending = loaded.get(key);
  if (!pending) {
    pending = modelDetector(ref, { ...(opts.models ?? {}), provider: 'cpu', threads: 1 });
    pending.catch(() => loaded.delete(key));
    loaded.set(key, pending);
  }
  return pending;
}

/** member id (see SCREENING_MEMBERS; the learned model is 'model') → raw scores. */
export async function scoreMembers(values: Float64Array, opts: MemberScoringOptions = {}): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  const classical = SCREENING_MEMBERS.filter((m) => m !== 'model');
  if (classical.some((m) => !DEFAULT_MEMBERS.includes(m))) throw new Error('screening members drifted from the ensemble');
  const steps = SCREENING_MEMBERS.length;
  classical.forEach((id, k) => {
    const d = getDetector(id);
    out.set(id, d.score(values, validateParams(d, {}), { signal: opts.signal }));
    opts.progress?.((k + 1) / steps);
  });
  const model = await learnedModel(opts);
  out.set('model', await model.score(values, {}, { signal: opts.signal }));
  opts.progress?.(1);
  return out;
}
