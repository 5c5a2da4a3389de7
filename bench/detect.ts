/**
 * `npx tsx bench/detect.ts` (npm run bench:detect): every registered detector with its default
 * parameters on seeded synthetic series of 100k and 1M points (sine of period 100 + noise + a spike,
 * a level shift and a frequency change every 50k points); points per second per detector. A
 * detector whose 1M run is estimated (10 × its 100k time) to exceed 60 s is skipped at 1M and
 * marked so. The matrix-profile detector is exact up to 10⁹ distance cells and anytime (a share of
 * diagonals) beyond, so its 100k and 1M rows are approximate; the exact matrix profile (100k points,
 * m = 100) is timed separately.
 * Optional argument: a comma-separated list of detector ids to run (`mp-exact` for the exact matrix
 * profile), positional or as `--detectors id,id`.
 * Last line: {"bench":"detect","points_per_s":{ID:…},"mp_100k_m100_s":…}; points_per_s is the 1M
 * figure, or the 100k one for detectors skipped at 1M.
 */
import { listDetectors, validateParams } from '../main/detectors';
import { matrixProfile } from '../main/numeric';

function series(n: number): Float64Array {
  let s = 7;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const block = i % 50_000;
    const period = block >= 40_000 && block < 40_400 ? 40 : 100;
    x[i] =
      Math.sin((2 * Math.PI * i) / period) +
      0.2 * (s / 2 ** 32 - 0.5) +
      (block === 25_000 ? 5 : 0) +
      (block >= 30_000 && block < 30_300 ? 1.5 : 0);
  }
  return x;
}

const args = process.argv.slice(2);
const flag = args.findIndex((a) => a === '--detectors' || a.startsWith('--detectors='));
const list = flag < 0 ? args[0] : args[flag].includes('=') ? args[flag].slice('--detectors='.length) : args[flag + 1];
const only = list?.split(',');
const sizes = [100_000, 1_000_000];
const data = new Map(sizes.map((n) => [n, series(n)]));
const rows: string[] = [];
const pointsPerSecond: Record<string, number> = {};
for (const d of listDetectors()) {
  if (only && !only.includes(d.id)) continue;
  const params = validateParams(d, {});
  const cells: string[] = [];
  let t100k = 0;
  for (const n of sizes) {
    if (n === 1_000_000) {
      // every default detector is near-linear (the matrix-profile detector caps its O(n²) work)
      const estimate = t100k * 10;
      if (estimate > 60) {
        cells.push(`skipped (est. ${estimate.toFixed(0)} s)`.padEnd(24));
        continue;
      }
    }
    const x = data.get(n)!;
    const t0 = performance.now();
    const scores = d.score(x, params);
    const s = (performance.now() - t0) / 1000;
    if (scores.length !== n) throw new Error(`${d.id} returned ${scores.length} scores for ${n} points`);
    if (n === 100_000) t100k = s;
    cells.push(`${(n / s / 1e6).toFixed(2).padStart(7)} M/s (${s.toFixed(2)} s)`.padEnd(24));
    pointsPerSecond[d.id] = Math.round(n / s);
  }
  rows.push(`${d.id.padEnd(16)} ${cells.join(' ')}`);
  console.log(rows[rows.length - 1]);
}

let mpSeconds: number | null = null;
if (!only || only.includes('mp-exact')) {
  const t0 = performance.now();
  matrixProfile(data.get(100_000)!, 100);
  mpSeconds = Math.round((performance.now() - t0) / 10) / 100;
}
console.log('');
console.log(`detector         ${sizes.map((n) => `${(n / 1000).toLocaleString('en')}k points`.padEnd(24)).join(' ')}`);
for (const r of rows) console.log(r);
console.log(`exact matrix profile, 100k points, m = 100: ${mpSeconds ?? '—'} s`);
console.log(JSON.stringify({ bench: 'detect', points_per_s: pointsPerSecond, mp_100k_m100_s: mpSeconds }));
