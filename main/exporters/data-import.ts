import fs from 'node:fs';
import path from 'node:path';
import type { AnomalyType, Interval, LabelOrigin } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { LabelDraft, ProjectStore } from '../store';
import { readSidecar, sameIntervals, unionOf, type SidecarEntry } from './sidecar';
import type { ImportProblem, ImportSummary } from './types';

export interface LabelPlan extends Interval {
  type: AnomalyType;
  origin: LabelOrigin;
  note: string;
  rationale: string;
  rationaleSource: string | null;
}

export interface SeriesPlan {
  name: string;
  values: Float64Array;
  labels: LabelPlan[];
}

export interface DatasetPlan {
  /** the data file, for messages */
  file: string;
  name: string;
  sourcePath: string | null;
  sourceHash: string | null;
  sourceSize: number | null;
  time: Float64Array | null;
  series: SeriesPlan[];
}

/** Reads the sidecar of a data export (see sidecar.ts); `root` is the folder it sits in. */
export class SidecarIndex {
  private readonly entries: SidecarEntry[];

  constructor(private readonly root: string) {
    this.entries = readSidecar(root);
  }

  private entry(file: string, column: string): SidecarEntry | undefined {
    const rel = path.relative(this.root, path.resolve(file)).split(path.sep).join('/');
    return this.entries.find((e) => e.file === rel && e.column === column);
  }

  /** Dataset name the sidecar recorded for this file, if any. */
  datasetName(file: string): string | undefined {
    const rel = path.relative(this.root, path.resolve(file)).split(path.sep).join('/');
    return this.entries.find((e) => e.file === rel)?.dataset;
  }

  /**
   * The labels of one column: the sidecar's (with types, notes, origins and rationales) when they mark
   * exactly the rows `fromFile` marks, else `fromFile` as 'imported' labels of unknown type.
   */
  labelsFor(
    file: string,
    column: string,
    fromFile: Interval[],
    notes: string[],
    /** the file's label column marks the union over all its columns (TimeEval) */
    sharedLabelColumn = false,
  ): { name: string | null; labels: LabelPlan[] } {
    const e = this.entry(file, column);
    const rel = path.relative(this.root, path.resolve(file)).split(path.sep).join('/');
    const marked = sharedLabelColumn ? this.entries.filter((x) => x.file === rel).flatMap((x) => x.labels) : (e?.labels ?? []);
    if (e && sameIntervals(unionOf(marked), unionOf(fromFile))) {
      return {
        name: e.series,
        labels: e.labels.map((l) => ({
          start: l.start,
          end: l.end,
          type: l.type,
          origin: l.origin,
          note: l.note,
          rationale: l.rationale,
          rationaleSource: l.rationale_source,
        })),
      };
    }
    if (e) notes.push(`${path.basename(file)}: the sidecar's labels differ from the file's; the file's labels were used.`);
    return {
      name: e?.series ?? null,
      labels: fromFile.map((iv) => ({
        ...iv,
        type: 'unknown',
        origin: 'imported',
        note: '',
        rationale: '',
        rationaleSource: null,
      })),
    };
  }
}

export function listFiles(input: string, accept: (name: string) => boolean): { root: string; files: string[] } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    throw new WorkbenchError('not_found', `Nothing to import at ${input}.`, { file: input });
  }
  if (stat.isFile()) return { root: path.dirname(path.resolve(input)), files: [path.resolve(input)] };
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.isFile() && accept(d.name)) files.push(p);
    }
  };
  walk(path.resolve(input));
  if (files.length === 0)
    throw new WorkbenchError('not_found', `${input} holds no file this format can import.`, { file: input });
  return { root: path.resolve(input), files };
}

/**
 * Creates every planned dataset with its labels (and their rationales) in one transaction: a problem
 * anywhere leaves the project unchanged.
 */
export function commitDatasets(
  store: ProjectStore,
  format: string,
  input: string,
  plans: DatasetPlan[],
  actor: string,
  notes: string[],
  dryRun = false,
): ImportSummary {
  const problems: ImportProblem[] = [];
  for (const p of plans) {
    for (const s of p.series) {
      for (const l of s.labels) {
        if (l.end > s.values.length) {
          problems.push({
            line: 0,
            message: `${path.basename(p.file)}: interval [${l.start}, ${l.end}) runs past the end (${s.values.length} rows)`,
          });
        }
      }
      const sorted = [...s.labels].sort((a, b) => a.start - b.start);
      for (let k = 1; k < sorted.length; k++) {
        if (sorted[k].start < sorted[k - 1].end) {
          problems.push({
            line: 0,
            message: `${path.basename(p.file)}: intervals [${sorted[k - 1].start}, ${sorted[k - 1].end}) and [${sorted[k].start}, ${sorted[k].end}) overlap`,
          });
        }
      }
    }
  }
  if (problems.length > 0) {
    throw new WorkbenchError('invalid_input', `${input}: nothing was imported; ${problems.map((p) => p.message).join('; ')}`, {
      file: input,
      problems,
    });
  }
  if (dryRun) {
    const all = plans.flatMap((p) => p.series.flatMap((s) => s.labels));
    notes.push(`${plans.length} dataset(s) with ${plans.reduce((a, p) => a + p.series.length, 0)} series would be created.`);
    return {
      format,
      file: input,
      datasetIds: [],
      seriesIds: [],
      labels: all.length,
      rationales: all.filter((l) => l.rationale !== '').length,
      skipped: 0,
      notes,
      dryRun: true,
    };
  }
  let labels = 0;
  let rationales = 0;
  const result = store.transaction(() => {
    const datasetIds: number[] = [];
    const seriesIds: number[] = [];
    for (const p of plans) {
      const ids = store.insertDataset({
        name: p.name,
        sourcePath: p.sourcePath,
        sourceHash: p.sourceHash,
        sourceSize: p.sourceSize,
        time: p.time,
        columns: p.series.map((s) => ({ name: s.name, values: s.values })),
        options: { importedAs: format },
      });
      datasetIds.push(ids.datasetId);
      seriesIds.push(...ids.seriesIds);
      const planned: { draft: LabelDraft; plan: LabelPlan }[] = [];
      p.series.forEach((s, k) => {
        for (const l of s.labels) {
          planned.push({
            draft: { seriesId: ids.seriesIds[k], start: l.start, end: l.end, type: l.type, note: l.note, origin: l.origin },
            plan: l,
          });
        }
      });
      if (planned.length === 0) continue;
      const created = store.createLabels(
        planned.map((x) => x.draft),
        actor,
      );
      labels += created.length;
      rationales += store.rationales.addForLabels(
        created.map((label, k) => ({ label, text: planned[k].plan.rationale, source: planned[k].plan.rationaleSource })),
        { importedFrom: p.file, format },
      );
    }
    return { datasetIds, seriesIds };
  });
  return { format, file: input, ...result, labels, rationales, skipped: 0, notes };
}
