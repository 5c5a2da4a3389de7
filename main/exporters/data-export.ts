import path from 'node:path';
import { WorkbenchError } from '../../common/errors';
import type { ExportSeries } from './select';
import type { ExportOptions } from './types';

/** A value as text that reads back to the same double ('' for missing). */
export function valueText(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

/** 'YYYY-MM-DD HH:MM:SS' (with '.mmm' when there are milliseconds), UTC without a zone, as NAB writes it. */
export function plainTime(ms: number, micros = false): string {
  const iso = new Date(ms).toISOString(); // 2014-04-01T00:00:00.000Z
  const base = iso.slice(0, 19).replace('T', ' ');
  const frac = iso.slice(20, 23);
  if (micros) return `${base}.${frac}000`;
  return frac === '000' ? base : `${base}.${frac}`;
}

/** Throws 'cancelled' when the signal is set; reports progress over a list of items. */
export function step(opts: ExportOptions, what: string, done: number, total: number): void {
  if (opts.signal?.aborted) throw new WorkbenchError('cancelled', `The ${what} export was cancelled.`);
  opts.progress?.(total === 0 ? 1 : done / total);
}

/** The training-prefix end for TSB-AD/UCR names: the option, the one in a TSB-AD dataset name, or ¼ of the rows. */
export function defaultTrainEnd(s: ExportSeries, opts: ExportOptions): number {
  if (opts.trainEnd !== undefined) {
    if (!Number.isInteger(opts.trainEnd) || opts.trainEnd < 0) {
      throw new WorkbenchError('invalid_input', `trainEnd must be a non-negative integer, got ${opts.trainEnd}.`, {
        parameter: 'trainEnd',
      });
    }
    return Math.min(opts.trainEnd, s.to - s.from);
  }
  const m = /_tr_(\d+)_1st_\d+$/.exec(s.datasetName);
  if (m && s.from === 0) return Math.min(Number(m[1]), s.to);
  return Math.floor((s.to - s.from) / 4);
}

/** Path inside an export folder, '/'-separated (as sidecars and NAB keys write it). */
export function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
