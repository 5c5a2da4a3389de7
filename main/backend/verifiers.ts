/** Verifiers in the app: the list, and "Retrain verifier" from the project's reviews (a worker job). */
import path from 'node:path';
import type { WorkbenchEvent } from '../../common/contract';
import type { VerifierInfo } from '../../common/detection';
import type { JobManager } from '../jobs';
import { runTask } from '../jobs';
import type { ModelRoots } from '../inference';
import type { ProjectStore } from '../store';
import { DEFAULT_VERIFIER, listVerifiers, type ReviewedSeries, type VerifierEntry } from '../verify';

export function verifierInfo(entry: VerifierEntry): VerifierInfo {
  return {
    id: entry.id,
    name: entry.card.name,
    version: entry.card.version,
    source: entry.source,
    parent: entry.card.parent,
    description: entry.card.description,
    training: entry.card.training,
    typed: entry.card.types !== null,
  };
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * What the analyst said about each series: its labels are anomalies; rejected predictions that overlap
 * no label are false alarms. Series without either are left out.
 */
export function reviewedSeries(store: ProjectStore): ReviewedSeries[] {
  const out: ReviewedSeries[] = [];
  for (const s of store.listSeries()) {
    const labels = store.listLabels(s.id);
    const rejected = store.runs
      .predictions({ seriesId: s.id })
      .filter((p) => p.status === 'rejected' && !labels.some((l) => overlaps(l, p)));
    if (labels.length === 0 && rejected.length === 0) continue;
    // one example per distinct rejected interval (several runs may propose the same one)
    const negatives = [...new Map(rejected.map((p) => [`${p.start}:${p.end}`, { start: p.start, end: p.end }])).values()];
    out.push({
      name: `${path.basename(store.path)}#${s.id}`,
      values: store.loadValues(s.id),
      positives: labels.map((l) => ({ start: l.start, end: l.end, type: l.type })),
      negatives,
    });
  }
  return out;
}

export class VerifierService {
  constructor(
    private readonly jobs: JobManager,
    private readonly emit: (event: WorkbenchEvent) => void,
    private readonly roots: { bundledDir: string; userDir: string },
    private readonly models: ModelRoots,
  ) {}

  list(): VerifierInfo[] {
    return listVerifiers(this.roots).map(verifierInfo);
  }

  retrain(store: ProjectStore, input: { base?: string }): { jobId: string } {
    const series = reviewedSeries(store);
    const job = this.jobs.start('retrain-verifier', `Retrain verifier on ${series.length} reviewed series`, (ctx) =>
      runTask(
        'retrainVerifier',
        {
          series,
          base: input.base ?? DEFAULT_VERIFIER,
          verifiers: this.roots,
          models: this.models,
          project: path.basename(store.path),
        },
        { signal: ctx.signal, onProgress: (f) => ctx.progress(f, 'Retraining the verifier') },
      ),
    );
    job.done.then(
      () => this.emit({ type: 'projectChanged', reason: 'models' }),
      () => undefined,
    );
    return { jobId: job.id };
  }
}
