/**
 * Domain types shared by every side of the workbench. No Node, no DOM.
 *
 * Intervals are half-open index ranges [start, end) over one series. Timestamps are
 * derived from the series' time axis for display and export only.
 */

export interface Interval {
  /** first index inside the interval */
  start: number;
  /** first index after the interval (exclusive) */
  end: number;
}

/** The anomaly taxonomy (METHODS.md section 2, merged across generators and papers). */
export const ANOMALY_TYPES = [
  'global-point',
  'contextual-point',
  'level-shift',
  'trend-change',
  'frequency-change',
  'variance-change',
  'shapelet',
  'flatline',
  'dropout',
  'unknown',
] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

export const ANOMALY_TYPE_NAMES: Record<AnomalyType, string> = {
  'global-point': 'Global point',
  'contextual-point': 'Contextual point',
  'level-shift': 'Level shift',
  'trend-change': 'Trend change',
  'frequency-change': 'Frequency / seasonal change',
  'variance-change': 'Variance change',
  shapelet: 'Shapelet / pattern',
  flatline: 'Flatline',
  dropout: 'Dropout / missing',
  unknown: 'Unclassified',
};

/** Where a human label came from. */
export const LABEL_ORIGINS = ['drawn', 'imported', 'accepted', 'edited'] as const;
export type LabelOrigin = (typeof LABEL_ORIGINS)[number];

export interface Label extends Interval {
  id: number;
  seriesId: number;
  type: AnomalyType;
  note: string;
  origin: LabelOrigin;
  /** run id / prediction id this label was accepted or edited from, when any */
  sourceRunId: number | null;
  sourcePredictionId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface DatasetInfo {
  id: number;
  name: string;
  sourcePath: string | null;
  sourceHash: string | null;
  sourceSize: number | null;
  importedAt: string;
  rowCount: number;
  /** true when the dataset has a real time axis (epoch milliseconds per row) */
  hasTime: boolean;
  /** epoch ms of the first and the last row, when the dataset has a time axis */
  timeStart: number | null;
  timeEnd: number | null;
}

export interface SeriesInfo {
  id: number;
  datasetId: number;
  name: string;
  length: number;
  /** count of NaN (missing) values */
  missing: number;
  min: number | null;
  max: number | null;
  labelCount: number;
}
