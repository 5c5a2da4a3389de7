import { LABEL_SELECTIONS } from '../../common/lists';
import type { AnomalyType, LabelOrigin, SeriesInfo } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { firstAtOrAfter } from '../numeric/sorted';
import { assertCompleteRun, type ProjectStore } from '../store';
import type { ExportOptions, RowRange } from './types';

/** One interval as exports see it: a label or (with 'with-predictions') a prediction, in series indices. */
export interface ExportInterval {
  kind: 'label' | 'prediction';
  /** label id or prediction id */
  id: number;
  /** half-open [start, end), in the series' own row indices */
  start: number;
  end: number;
  type: AnomalyType;
  /** labels only */
  origin: LabelOrigin | null;
  /** labels: 'labeled'; predictions: their review status */
  status: string;
  note: string;
  /** '' when the project holds no rationale for the interval */
  rationale: string;
  rationaleSource: string | null;
  runId: number | null;
  score: number | null;
}

export interface ExportSeries {
  info: SeriesInfo;
  datasetName: string;
  hasTime: boolean;
  /** the exported rows, half-open [from, to) */
  from: number;
  to: number;
  /** values[from, to) */
  values: () => Float64Array;
  /** epoch-ms time of rows [from, to), or null */
  time: () => Float64Array | null;
  /** intervals clipped to [from, to), sorted by start */
  intervals: ExportInterval[];
}

export { LABEL_SELECTIONS };

function rowsOf(store: ProjectStore, info: SeriesInfo, range: RowRange | undefined): { from: number; to: number } {
  if (!range) return { from: 0, to: info.length };
  if (!(range.to > range.from)) {
    throw new WorkbenchError('invalid_input', `The range [${range.from}, ${range.to}) is empty or inverted.`, {
      parameter: 'range',
    });
  }
  if (range.unit === 'index') {
    return { from: Math.max(0, Math.floor(range.from)), to: Math.min(info.length, Math.ceil(range.to)) };
  }
  const time = store.loadTime(info.id);
  if (!time) {
    throw new WorkbenchError(
      'invalid_input',
      `Series "${info.name}" (id ${info.id}) has no time axis: give the range in indices.`,
      {
        parameter: 'range',
        seriesId: info.id,
      },
    );
  }
  return { from: firstAtOrAfter(time, range.from), to: firstAtOrAfter(time, range.to) };
}

/** The series, rows and intervals an export covers, as the options choose them. */
export function selectForExport(store: ProjectStore, opts: ExportOptions): ExportSeries[] {
  const selection = opts.labels ?? 'human';
  if (!LABEL_SELECTIONS.includes(selection)) {
    throw new WorkbenchError(
      'invalid_input',
      `labels must be one of ${LABEL_SELECTIONS.join(', ')}, got ${JSON.stringify(selection)}.`,
      {
        parameter: 'labels',
      },
    );
  }
  const all = store.listSeries();
  let chosen = all;
  if (opts.seriesIds) {
    const byId = new Map(all.map((s) => [s.id, s]));
    const missing = opts.seriesIds.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new WorkbenchError('not_found', `No series with id ${missing.join(', ')} in this project.`, {
        parameter: 'seriesIds',
        missing,
      });
    }
    chosen = opts.seriesIds.map((id) => byId.get(id) as SeriesInfo);
  }
  const datasets = new Map(store.listDatasets().map((d) => [d.id, d]));
  const runIds = opts.runIds ?? store.runs.list().map((r) => r.id);
  for (const id of runIds) {
    const run = store.runs.get(id);
    if (selection === 'with-predictions') assertCompleteRun(run, opts.allowPartial, 'export with --allow-partial');
  }
  const rationales = store.rationales;

  return chosen.map((info) => {
    const dataset = datasets.get(info.datasetId);
    const { from, to } = rowsOf(store, info, opts.range);
    const clip = (s: number, e: number) => ({ start: Math.max(s, from), end: Math.min(e, to) });
    const intervals: ExportInterval[] = [];
    for (const l of store.listLabels(info.id)) {
      if (selection === 'accepted-only' && l.origin !== 'accepted' && l.origin !== 'edited') continue;
      const c = clip(l.start, l.end);
      if (c.end <= c.start) continue;
      const r = rationales.forLabel(info.id, l, l.id, l.sourcePredictionId);
      intervals.push({
        kind: 'label',
        id: l.id,
        ...c,
        type: l.type,
        origin: l.origin,
        status: 'labeled',
        note: l.note,
        rationale: r?.text ?? '',
        rationaleSource: r?.source ?? null,
        runId: l.sourceRunId,
        score: null,
      });
    }
    if (selection === 'with-predictions') {
      for (const runId of runIds) {
        for (const p of store.runs.predictions({ runId, seriesId: info.id })) {
          const c = clip(p.start, p.end);
          if (c.end <= c.start) continue;
          const r = rationales.forPrediction(p.id);
          intervals.push({
            kind: 'prediction',
            id: p.id,
            ...c,
            type: p.type ?? 'unknown',
            origin: null,
            status: p.status,
            note: '',
            rationale: r?.text ?? '',
            rationaleSource: r?.source ?? null,
            runId: p.runId,
            score: p.score,
          });
        }
      }
    }
    intervals.sort(
      (a, b) => a.start - b.start || a.end - b.end || (a.kind === b.kind ? a.id - b.id : a.kind === 'label' ? -1 : 1),
    );
    return {
      info,
      datasetName: dataset?.name ?? `dataset-${info.datasetId}`,
      hasTime: dataset?.hasTime ?? false,
      from,
      to,
      values: () => store.loadValues(info.id).subarray(from, to),
      time: () => store.loadTime(info.id)?.subarray(from, to) ?? null,
      intervals,
    };
  });
}

/** Labels only (predictions are not truth): what data formats write as their 0/1 column. */
export function truthOf(s: ExportSeries): ExportInterval[] {
  return s.intervals.filter((i) => i.kind === 'label');
}

/** Counts for a summary. */
export function countIntervals(series: ExportSeries[]): { labels: number; predictions: number } {
  let labels = 0;
  let predictions = 0;
  for (const s of series) {
    for (const i of s.intervals) {
      if (i.kind === 'label') labels++;
      else predictions++;
    }
  }
  return { labels, predictions };
}
