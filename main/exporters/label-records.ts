import { ANOMALY_TYPES, LABEL_ORIGINS, type AnomalyType, type LabelOrigin, type SeriesInfo } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { LabelDraft, ProjectStore } from '../store';
import type { ExportSeries } from './select';
import type { ImportProblem, ImportSummary } from './types';

export const LABELS_CONVENTION =
  'start and end are 0-based row indices of the series, half-open [start, end): end is the first row after the interval; ' +
  'start_time is the time of row start and end_time the time of row end-1 (the last row inside), ISO 8601 UTC, empty without a time axis';

/** The flat record of one interval shared by labels-csv and labels-json. */
export interface LabelRecord {
  dataset: string;
  series: string;
  series_id: number;
  kind: 'label' | 'prediction';
  start: number;
  end: number;
  start_time: string | null;
  end_time: string | null;
  type: AnomalyType;
  origin: LabelOrigin | null;
  status: string;
  note: string;
  rationale: string;
  rationale_source: string | null;
  run_id: number | null;
  score: number | null;
}

export const LABEL_FIELDS: readonly (keyof LabelRecord)[] = [
  'dataset',
  'series',
  'series_id',
  'kind',
  'start',
  'end',
  'start_time',
  'end_time',
  'type',
  'origin',
  'status',
  'note',
  'rationale',
  'rationale_source',
  'run_id',
  'score',
];

export function isoTime(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

export function recordsOf(series: ExportSeries[]): LabelRecord[] {
  const out: LabelRecord[] = [];
  for (const s of series) {
    const time = s.hasTime && s.intervals.length > 0 ? s.time() : null;
    for (const iv of s.intervals) {
      out.push({
        dataset: s.datasetName,
        series: s.info.name,
        series_id: s.info.id,
        kind: iv.kind,
        start: iv.start,
        end: iv.end,
        start_time: time ? isoTime(time[iv.start - s.from]) : null,
        end_time: time ? isoTime(time[iv.end - 1 - s.from]) : null,
        type: iv.type,
        origin: iv.origin,
        status: iv.status,
        note: iv.note,
        rationale: iv.rationale,
        rationale_source: iv.rationaleSource,
        run_id: iv.runId,
        score: iv.score,
      });
    }
  }
  return out;
}

/** A record as read from a file, before validation: every field as found (strings from CSV, anything from JSON). */
export interface RawLabelRecord {
  line: number;
  fields: Partial<Record<keyof LabelRecord, unknown>>;
}

interface PlannedLabel {
  line: number;
  draft: LabelDraft;
  rationale: string;
  rationaleSource: string | null;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

function integer(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return null;
}

/** Resolves series by (dataset, series) name, or by series_id when the file gives no name. */
class SeriesResolver {
  private readonly byName = new Map<string, SeriesInfo[]>();
  private readonly byId: Map<number, SeriesInfo>;
  private readonly datasetName: Map<number, string>;

  constructor(store: ProjectStore) {
    const series = store.listSeries();
    this.byId = new Map(series.map((s) => [s.id, s]));
    this.datasetName = new Map(store.listDatasets().map((d) => [d.id, d.name]));
    for (const s of series) this.byName.set(s.name, [...(this.byName.get(s.name) ?? []), s]);
  }

  resolve(dataset: string, name: string, id: unknown): SeriesInfo | string {
    if (name === '') {
      const n = integer(id);
      if (n === null) return 'no series name and no series_id';
      return this.byId.get(n) ?? `no series with id ${n} in this project`;
    }
    let found = this.byName.get(name) ?? [];
    if (dataset !== '') found = found.filter((s) => this.datasetName.get(s.datasetId) === dataset);
    if (found.length === 1) return found[0];
    const where = dataset !== '' ? `"${name}" of dataset "${dataset}"` : `"${name}"`;
    if (found.length === 0) return `unknown series ${where}`;
    const n = integer(id);
    const exact = n === null ? undefined : found.find((s) => s.id === n);
    return exact ?? `series ${where} is ambiguous (${found.length} series have that name); give series_id`;
  }
}

/**
 * Checks every record and imports all of them in one transaction, or none: each problem is reported
 * with its line. Prediction records are skipped (they are model output, not labels). A record equal
 * to an existing label (same series, range and type) is skipped, so importing the same file twice adds
 * nothing; any other overlap, inside the file or with existing labels, is a problem.
 */
export function importLabelRecords(
  store: ProjectStore,
  file: string,
  format: string,
  records: RawLabelRecord[],
  actor: string,
  dryRun = false,
): ImportSummary {
  const problems: ImportProblem[] = [];
  const notes: string[] = [];
  const resolver = new SeriesResolver(store);
  const planned: PlannedLabel[] = [];
  let predictions = 0;
  let skipped = 0;
  for (const r of records) {
    const f = r.fields;
    if (text(f.kind) === 'prediction') {
      predictions++;
      continue;
    }
    const bad = (message: string) => problems.push({ line: r.line, message });
    const series = resolver.resolve(text(f.dataset), text(f.series), f.series_id);
    const start = integer(f.start);
    const end = integer(f.end);
    if (typeof series === 'string') bad(series);
    if (start === null) bad(`start ${JSON.stringify(f.start ?? null)} is not an integer index`);
    if (end === null) bad(`end ${JSON.stringify(f.end ?? null)} is not an integer index`);
    const type = text(f.type) === '' ? 'unknown' : text(f.type);
    if (!(ANOMALY_TYPES as readonly string[]).includes(type)) bad(`unknown type "${type}" (one of ${ANOMALY_TYPES.join(', ')})`);
    const origin = text(f.origin) === '' ? 'imported' : text(f.origin);
    if (!(LABEL_ORIGINS as readonly string[]).includes(origin))
      bad(`unknown origin "${origin}" (one of ${LABEL_ORIGINS.join(', ')})`);
    if (typeof series === 'string' || start === null || end === null) continue;
    if (start < 0) bad(`start ${start} is negative`);
    if (end <= start) bad(`inverted or empty interval [${start}, ${end}): end must be greater than start`);
    if (end > series.length)
      bad(`interval [${start}, ${end}) runs past the end of series "${series.name}" (length ${series.length})`);
    if (start < 0 || end <= start || end > series.length) continue;
    planned.push({
      line: r.line,
      draft: {
        seriesId: series.id,
        start,
        end,
        type: type as AnomalyType,
        note: text(f.note),
        origin: origin as LabelOrigin,
      },
      rationale: text(f.rationale),
      rationaleSource: text(f.rationale_source) || null,
    });
  }

  const kept: PlannedLabel[] = [];
  const bySeries = new Map<number, PlannedLabel[]>();
  for (const p of planned) bySeries.set(p.draft.seriesId, [...(bySeries.get(p.draft.seriesId) ?? []), p]);
  for (const [seriesId, list] of bySeries) {
    const existing = store.listLabels(seriesId);
    list.sort((a, b) => a.draft.start - b.draft.start || a.line - b.line);
    let previous: PlannedLabel | null = null;
    for (const p of list) {
      const { start, end } = p.draft;
      if (previous && start < previous.draft.end) {
        problems.push({
          line: p.line,
          message: `[${start}, ${end}) overlaps [${previous.draft.start}, ${previous.draft.end}) of line ${previous.line} on the same series`,
        });
      }
      if (!previous || p.draft.end > previous.draft.end) previous = p;
      const same = existing.find((l) => l.start === start && l.end === end && l.type === p.draft.type);
      if (same) {
        skipped++;
        continue;
      }
      const clash = existing.find((l) => l.start < end && start < l.end);
      if (clash) {
        problems.push({
          line: p.line,
          message: `[${start}, ${end}) overlaps the existing label ${clash.id} [${clash.start}, ${clash.end}) of the series`,
        });
        continue;
      }
      kept.push(p);
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`);
    throw new WorkbenchError(
      'invalid_input',
      `${file}: nothing was imported; ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown.join('; ')}${problems.length > 5 ? '; …' : ''}`,
      { file, problems },
    );
  }
  if (predictions > 0) notes.push(`${predictions} prediction record(s) skipped: only labels are imported.`);
  if (skipped > 0) notes.push(`${skipped} label(s) already in the project were not duplicated.`);
  if (dryRun) {
    return {
      format,
      file,
      datasetIds: [],
      seriesIds: [...new Set(kept.map((p) => p.draft.seriesId))],
      labels: kept.length,
      rationales: kept.filter((p) => p.rationale !== '').length,
      skipped,
      notes,
      dryRun: true,
    };
  }

  let rationales = 0;
  const labels = store.transaction(() => {
    const created =
      kept.length > 0
        ? store.createLabels(
            kept.map((p) => p.draft),
            actor,
          )
        : [];
    rationales = store.rationales.addForLabels(
      created.map((label, k) => ({ label, text: kept[k].rationale, source: kept[k].rationaleSource })),
      { importedFrom: file, format },
    );
    return created;
  });
  return {
    format,
    file,
    datasetIds: [],
    seriesIds: [...new Set(labels.map((l) => l.seriesId))],
    labels: labels.length,
    rationales,
    skipped,
    notes,
  };
}
