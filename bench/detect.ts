/**
 * `npm run bench:detect`: every detector on seeded 100k and 1M point series; points per second.
 * Last line: {"bench":"detect","points_per_s":{ID:…},"mp_100k_m100_s":null}
 * (no matrix-profile detector exists yet, so its figure is null).
 */
import { listDetectors, validateParams } from '../main/detectors';

function series(n: number): Float64Array {
  let s = 7;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    x[i] = Math.sin(i / 30) + 0.2 * (s / 2 ** 32 - 0.5) + (i % 50_000 === 25_000 ? 5 : 0);
  }
  return x;
}

const sizes = [100_000, 1_000_000];
const rows: string[] = [];
const pointsPerSecond: Record<string, number> = {};
for (const d of listDetectors()) {
  const params = validateParams(d, {});
  const cells: string[] = [];
  for (const n of sizes) {
    const x = series(n);
    const t0 = performance.now();
    d.score(x, params);
    const s = (performance.now() - t0) / 1000;
    cells.push(`${(n / s / 1e6).toFixed(2).padStart(8)} M/s (${s.toFixed(2)} s)`);
    if (n === 1_000_000) pointsPerSecond[d.id] = Math.round(n / s);
  }
  rows.push(`${d.id.padEnd(16)} ${cells.join('   ')}`);
}
console.log(`detector          ${sizes.map((n) => `${(n / 1000).toLocaleString()}k points`.padEnd(22)).join('   ')}`);
for (const r of rows) console.log(r);
console.log(JSON.stringify({ bench: 'detect', points_per_s: pointsPerSecond, mp_100k_m100_s: null }));
