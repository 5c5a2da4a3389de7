import fs from 'node:fs';
import path from 'node:path';
import { countIntervals, type ExportSeries } from './select';
import type { ExportOptions, ExportSummary } from './types';

/** The summary shared by every exporter; a dry run says when the output already exists. */
export function summarize(
  format: string,
  outPath: string,
  opts: ExportOptions,
  series: ExportSeries[],
  files: string[],
  records: number,
  notes: string[] = [],
): ExportSummary {
  const abs = path.resolve(outPath);
  const dryRun = opts.dryRun === true;
  const extra = dryRun && fs.existsSync(abs) && !opts.force ? [`${abs} already exists: a real export needs force.`] : [];
  return {
    format,
    outPath: abs,
    dryRun,
    files,
    series: series.length,
    ...countIntervals(series),
    records,
    notes: [...notes, ...extra],
  };
}

/** Name-safe piece of a file name: letters, digits, '-' and '.', nothing else. */
export function safeName(name: string, fallback: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 80);
  return s === '' ? fallback : s;
}
