import type { AnomalyType } from '../../common/domain';
import type { SynthSeries } from './generate';

/**
 * On-disk layout of a labeled series folder (written by the synth writer, read by training/ and by
 * fine-tuning, which takes exported user labels in the same layout):
 *
 *   DIR/manifest.json          SeriesFolderManifest
 *   DIR/<name>.csv             header `index,value,label`; one row per point; `value` is empty where the
 *                              value is missing (NaN); `label` is 1 inside any anomaly interval, else 0.
 *
 * Intervals in the manifest are half-open [start, end) row indices.
 */
export const SERIES_FOLDER_FORMAT = 'tsad-series-folder-v1';
export const SERIES_CSV_HEADER = 'index,value,label';

export interface ManifestAnomaly {
  start: number;
  end: number;
  type: AnomalyType;
  params?: Record<string, number | string>;
}

export interface ManifestSeries {
  file: string;
  name: string;
  length: number;
  anomalies: ManifestAnomaly[];
  /** generator details (synthetic series only) */
  seed?: number;
  base?: string;
  period?: number;
}

export interface SeriesFolderManifest {
  format: typeof SERIES_FOLDER_FORMAT;
  csv: { header: string; missing: 'empty'; intervals: 'half-open' };
  source: { kind: 'synthetic'; seed: number; count: number; length: number } | { kind: 'export'; description: string };
  series: ManifestSeries[];
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return '';
  return String(Number(v.toPrecision(9)));
}

/** The CSV text of one series (header plus one row per point, '\n' line ends). */
export function seriesToCsv(values: Float64Array, labels: Uint8Array): string {
  const rows: string[] = [SERIES_CSV_HEADER];
  for (let i = 0; i < values.length; i++) rows.push(`${i},${formatValue(values[i] as number)},${labels[i] ?? 0}`);
  rows.push('');
  return rows.join('\n');
}

export function synthSeriesName(index: number): string {
  return `synth-${String(index).padStart(5, '0')}`;
}

export function manifestEntry(series: SynthSeries, index: number): ManifestSeries {
  const name = synthSeriesName(index);
  return {
    file: `${name}.csv`,
    name,
    length: series.values.length,
    seed: series.seed,
    base: series.base,
    period: series.period,
    anomalies: series.anomalies.map((a) => ({ start: a.start, end: a.end, type: a.type, params: a.params })),
  };
}
