/** A tiny seeded LCG for test data (uniform in [0, 1)): the same seed gives the same numbers everywhere. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** A noisy sine (period 50) with a spike at 1500 and a level shift from 3000 on. */
export function sineWithSpikeAndShift(n = 4000): Float64Array {
  const rnd = seeded(3);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin((2 * Math.PI * i) / 50) + 0.1 * (rnd() - 0.5) + (i >= 3000 ? 4 : 0);
  x[1500] += 8;
  return x;
}
