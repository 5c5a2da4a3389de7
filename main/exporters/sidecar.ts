import fs from 'node:fs';
import path from 'node:path';
import { ANOMALY_TYPES, LABEL_ORIGINS, type AnomalyType, type Interval, type LabelOrigin } from '../../common/domain';
import { writeText } from './atomic';
import type { ExportInterval } from './select';

/**
 * Data formats carry labels only as a 0/1 column or time windows: no type, note, origin or rationale,
 * and adjacent intervals merge. Each data export therefore writes this sidecar next to its files; an
 * import uses it when its labels cover exactly the rows the data file marks, and otherwise falls back
 * to the file's own labels (so a file edited by hand is still read as the file says).
 */
export const SIDECAR_NAME = 'workbench-labels.json';
const SIDECAR_FORMAT = 'tsad-workbench-sidecar';

export interface SidecarLabel extends Interval {
  type: AnomalyType;
  origin: LabelOrigin;
  note: string;
  rationale: string;
  rationale_source: string | null;
}

export interface SidecarEntry {
  /** data file, relative to the sidecar's folder, '/'-separated */
  file: string;
  /** value column in that file */
  column: string;
  dataset: string;
  series: string;
  /** indices relative to the file's first row */
  labels: SidecarLabel[];
}

export function sidecarLabels(intervals: ExportInterval[], offset: number): SidecarLabel[] {
  return intervals
    .filter((i) => i.kind === 'label')
    .map((i) => ({
      start: i.start - offset,
      end: i.end - offset,
      type: i.type,
      origin: i.origin ?? 'imported',
      note: i.note,
      rationale: i.rationale,
      rationale_source: i.rationaleSource,
    }));
}

export function writeSidecar(folder: string, format: string, entries: SidecarEntry[]): void {
  writeText(path.join(folder, SIDECAR_NAME), (sink) => {
    sink.write(
      JSON.stringify(
        {
          format: SIDECAR_FORMAT,
          exportFormat: format,
          version: 1,
          intervals: 'half-open [start, end) row indices of the file',
          entries,
        },
        null,
        1,
      ),
    );
    sink.write('\n');
  });
}

function isSidecarLabel(v: unknown): v is SidecarLabel {
  const l = v as SidecarLabel;
  return (
    typeof l === 'object' &&
    l !== null &&
    Number.isInteger(l.start) &&
    Number.isInteger(l.end) &&
    l.start >= 0 &&
    l.end > l.start &&
    (ANOMALY_TYPES as readonly string[]).includes(l.type) &&
    (LABEL_ORIGINS as readonly string[]).includes(l.origin) &&
    typeof l.note === 'string' &&
    typeof l.rationale === 'string'
  );
}

/** The sidecar in `folder`, or an empty list when there is none or it is unreadable. */
export function readSidecar(folder: string): SidecarEntry[] {
  const file = path.join(folder, SIDECAR_NAME);
  if (!fs.existsSync(file)) return [];
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown; entries?: unknown };
    if (parsed.format !== SIDECAR_FORMAT || !Array.isArray(parsed.entries)) return [];
    return (parsed.entries as SidecarEntry[]).filter(
      (e) =>
        typeof e.file === 'string' &&
        typeof e.column === 'string' &&
        typeof e.dataset === 'string' &&
        typeof e.series === 'string' &&
        Array.isArray(e.labels) &&
        e.labels.every(isSidecarLabel),
    );
  } catch {
    return [];
  }
}

/** Merges touching or overlapping intervals: what a 0/1 column can express. */
export function unionOf(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else out.push({ start: iv.start, end: iv.end });
  }
  return out;
}

export function sameIntervals(a: Interval[], b: Interval[]): boolean {
  return a.length === b.length && a.every((x, k) => x.start === b[k].start && x.end === b[k].end);
}
