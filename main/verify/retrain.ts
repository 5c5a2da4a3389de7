/**
 * Learning from review: every accepted, edited or rejected interval of a project, and every human
 * label, becomes a training example for the verifier (features measured as the run measured them), and a
 * new verifier version is fitted on the parent's examples plus these, the analyst's examples counting
 * REVIEW_WEIGHT times. Runs in a worker thread (member scoring and fitting take seconds).
 */
import type { AnomalyType, Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { ModelRoots } from '../inference';
import { readExamples, resolveVerifier, saveVerifier, listVerifiers, type StoredExample, type VerifierRoots } from './bundle';
import { candidateFeatures, seriesContext } from './features';
import { scoreMembers } from './members';
import { screen } from './screening';
import { trainTypeModels, trainVerifierModel } from './train';

/** An analyst's example counts this many synthetic or benchmark ones. */
export const REVIEW_WEIGHT = 5;

export interface ReviewedSeries {
  /** stable name of the series in the project (examples are grouped by it) */
  name: string;
  values: Float64Array;
  /** accepted or edited predictions and human labels: real anomalies */
  positives: (Interval & { type?: AnomalyType | null })[];
  /** rejected predictions (not overlapping a label): false alarms */
  negatives: Interval[];
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The examples of one reviewed series: each screening candidate that overlaps a reviewed interval (1 if it
 * overlaps a positive, else 0), plus each reviewed interval itself with the bounds the analyst saw.
 */
export async function reviewExamples(s: ReviewedSeries, models?: ModelRoots): Promise<StoredExample[]> {
  const members = await scoreMembers(s.values, { models });
  const screening = screen(s.values, members);
  const ctx = seriesContext(s.values, screening);
  const out: StoredExample[] = [];
  const add = (interval: Interval, label: 0 | 1, type?: AnomalyType | null) =>
    out.push({
      features: Array.from(candidateFeatures(s.values, interval, screening, ctx).features),
      label,
      group: s.name,
      weight: REVIEW_WEIGHT,
      type: type ?? null,
    });
  for (const c of screening.candidates) {
    const pos = s.positives.find((p) => overlaps(p, c));
    if (pos) add(c, 1, pos.type);
    else if (s.negatives.some((n) => overlaps(n, c))) add(c, 0);
  }
  for (const p of s.positives) add(p, 1, p.type);
  for (const n of s.negatives) add(n, 0);
  return out;
}

export interface RetrainInput {
  series: ReviewedSeries[];
  /** the parent verifier, NAME or NAME@VERSION */
  base: string;
  verifiers: VerifierRoots & { userDir: string };
  models?: ModelRoots;
  /** recorded in the card */
  project: string;
}

export interface RetrainResult {
  verifier: string;
  parent: string;
  reviewedSeries: number;
  examples: { positives: number; negatives: number; inherited: number };
}

/** The next free `BASE-r.N` version of the parent's version line. */
function nextVersion(baseVersion: string, name: string, roots: VerifierRoots): string {
  const line = baseVersion.replace(/-r\.\d+$/, '');
  const taken = new Set(
    listVerifiers(roots)
      .filter((v) => v.card.name === name)
      .map((v) => v.card.version),
  );
  let n = 1;
  while (taken.has(`${line}-r.${n}`)) n++;
  return `${line}-r.${n}`;
}

export async function retrainVerifier(
  input: RetrainInput,
  progress: (fraction: number) => void = () => {},
): Promise<RetrainResult> {
  const parent = resolveVerifier(input.base, input.verifiers);
  const reviewed = input.series.filter((s) => s.positives.length + s.negatives.length > 0);
  if (reviewed.length === 0) {
    throw new WorkbenchError(
      'invalid_input',
      'Nothing reviewed yet: accept or reject some intervals (or draw labels) before retraining the verifier.',
    );
  }
  const own: StoredExample[] = [];
  for (const [k, s] of reviewed.entries()) {
    own.push(...(await reviewExamples(s, input.models)));
    progress((0.7 * (k + 1)) / reviewed.length);
  }
  const inherited = readExamples(parent).filter((e) => !reviewed.some((s) => s.name === e.group));
  const all = [...inherited, ...own];
  const training = all.map((e) => ({ ...e, features: Float64Array.from(e.features) }));
  const model = trainVerifierModel(training);
  progress(0.9);
  const typeModels = trainTypeModels(training);
  const version = nextVersion(parent.card.version, parent.card.name, input.verifiers);
  const entry = saveVerifier(
    input.verifiers.userDir,
    {
      name: parent.card.name,
      version,
      description: `${parent.card.name} ${parent.card.version} retrained on the reviews of ${input.project}`,
      parent: parent.id,
      training: {
        project: input.project,
        reviewedSeries: reviewed.map((s) => s.name),
        reviewWeight: REVIEW_WEIGHT,
        inheritedExamples: inherited.length,
        ownExamples: own.length,
      },
    },
    model,
    typeModels,
    all,
  );
  progress(1);
  return {
    verifier: entry.id,
    parent: parent.id,
    reviewedSeries: reviewed.length,
    examples: {
      positives: own.filter((e) => e.label === 1).length,
      negatives: own.filter((e) => e.label === 0).length,
      inherited: inherited.length,
    },
  };
}
