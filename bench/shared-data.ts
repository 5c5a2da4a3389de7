/**
 * The labeled univariate series of ../shared/data (or, without it, of test/fixtures/data: see benchDataRoot), read with a small self-contained CSV loader
 * (no dependency on the app's dataset readers, so the benchmark measures detectors and metrics only).
 *
 * - tsb-ad-sample: `Data,Label` files (the 25-channel SMAP sample is skipped: univariate only).
 * - mgab: `,value,is_anomaly,is_ignored`. Detectors see the whole series; evaluation drops the points
 *   marked is_ignored (in these files, the first 257 points: the generator's warm-up).
 * - nab: `timestamp,value` in file order (as NAB scores them; a few files have repeated or
 *   out-of-order timestamps), labeled from labels/combined_windows.json: a point is anomalous when its
 *   timestamp lies inside a window, both ends included; timestamps are local, compared as written.
 * Series without any labeled anomaly (NAB's artificialNoAnomaly and a few others) are left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The project's larger data collection, beside a checkout when it is there (not part of the repository). */
export const SHARED_DATA = path.resolve(HERE, '../../shared/data');
/** The subset in the repository (test/fixtures/data/README.md): what tests read, and benches without SHARED_DATA. */
export const FIXTURE_DATA = path.resolve(HERE, '../test/fixtures/data');

let announced = false;
/**
 * Where benchmarks read labeled data: SHARED_DATA when present, else the repository's fixture subset, saying so
 * loudly on stderr once (figures from the subset are not comparable with those measured on the full collection).
 */
export function benchDataRoot(): string {
  if (fs.existsSync(SHARED_DATA)) return SHARED_DATA;
  if (!announced) {
    announced = true;
    process.stderr.write(
      `\n*** ${SHARED_DATA} is not there: this benchmark runs on the small subset in ${FIXTURE_DATA} ` +
        `(1 of 10 MGAB files, cut; 10 of 58 NAB files); its figures are NOT comparable with the published ones. ***\n\n`,
    );
  }
  return FIXTURE_DATA;
}

export interface LabeledSeries {
  /** path under the data root */
  name: string;
  source: 'tsb-ad' | 'mgab' | 'nab';
  values: Float64Array;
  /** 0/1 per point */
  labels: Uint8Array;
  /** 1 where the point is evaluated (0 for MGAB's is_ignored points) */
  evaluated: Uint8Array;
}

function readRows(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line) => line.split(','));
}

/** "YYYY-MM-DD HH:MM:SS[.ffffff]" → milliseconds, read as UTC only to compare local times with each other. */
function localTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(text.trim());
  if (!m) throw new Error(`Unreadable timestamp "${text}"`);
  const ms = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + ms;
}

function hasAnomaly(labels: Uint8Array): boolean {
  return labels.some((v) => v === 1);
}

function tsbAd(root: string): LabeledSeries[] {
  const dir = path.join(root, 'tsb-ad-sample');
  const out: LabeledSeries[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.csv') && !f.startsWith('uni_mergedTable'))
    .sort()) {
    const [header, ...rows] = readRows(path.join(dir, f));
    if (header.length !== 2) continue; // multivariate sample
    const labels = Uint8Array.from(rows, (r) => (Number(r[1]) ? 1 : 0));
    if (!hasAnomaly(labels)) continue;
    out.push({
      name: `tsb-ad-sample/${f}`,
      source: 'tsb-ad',
      values: Float64Array.from(rows, (r) => Number(r[0])),
      labels,
      evaluated: new Uint8Array(labels.length).fill(1),
    });
  }
  return out;
}

function mgab(root: string): LabeledSeries[] {
  const dir = path.join(root, 'mgab');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort((a, b) => parseInt(a) - parseInt(b));
  return files.map((f) => {
    const [header, ...rows] = readRows(path.join(dir, f));
    const col = (name: string) => header.indexOf(name);
    const [v, a, ig] = [col('value'), col('is_anomaly'), col('is_ignored')];
    return {
      name: `mgab/${f}`,
      source: 'mgab' as const,
      values: Float64Array.from(rows, (r) => Number(r[v])),
      labels: Uint8Array.from(rows, (r) => (Number(r[a]) ? 1 : 0)),
      evaluated: Uint8Array.from(rows, (r) => (Number(r[ig]) ? 0 : 1)),
    };
  });
}

function nab(root: string): LabeledSeries[] {
  const windows = JSON.parse(fs.readFileSync(path.join(root, 'nab/labels/combined_windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const out: LabeledSeries[] = [];
  for (const key of Object.keys(windows).sort()) {
    if (windows[key].length === 0) continue;
    const file = path.join(root, 'nab/data', key);
    if (!fs.existsSync(file)) continue;
    const ranges = windows[key].map(([a, b]) => [localTime(a), localTime(b)] as const);
    const rows = readRows(file).slice(1);
    const times = rows.map((r) => localTime(r[0]));
    const labels = Uint8Array.from(times, (t) => (ranges.some(([a, b]) => t >= a && t <= b) ? 1 : 0));
    if (!hasAnomaly(labels)) continue;
    out.push({
      name: `nab/${key}`,
      source: 'nab',
      values: Float64Array.from(rows, (r) => Number(r[1])),
      labels,
      evaluated: new Uint8Array(labels.length).fill(1),
    });
  }
  return out;
}

/** Every labeled univariate series: TSB-AD sample, MGAB, NAB (in that order). */
export function loadLabeledSeries(root: string = benchDataRoot()): LabeledSeries[] {
  return [...tsbAd(root), ...mgab(root), ...nab(root)];
}

/** Keep only the evaluated points of a per-point array. */
export function evaluatedPart<T extends Float32Array | Float64Array | Uint8Array>(values: T, evaluated: Uint8Array): T {
  if (evaluated.every((v) => v === 1)) return values;
  const keep: number[] = [];
  evaluated.forEach((v, i) => {
    if (v) keep.push(i);
  });
  const out = new (values.constructor as new (n: number) => T)(keep.length);
  keep.forEach((i, k) => (out[k] = values[i]));
  return out;
}
