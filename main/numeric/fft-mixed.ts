/**
 * Mixed-radix complex FFT (self-sorting Stockham, decimation in frequency) for lengths whose prime
 * factors are all at most MAX_RADIX: butterflies of radix 4, 2, 3 and 5 are written out, other
 * primes up to 13 use a direct O(r²) butterfly. Each stage reads one buffer and writes the other
 * in natural order, so no bit reversal is needed. All stages index one table of the n-th roots of
 * unity (see unitRoots), accurate to a few ulp whatever n.
 */

/** Largest prime factor the mixed-radix path takes; longer primes go through Bluestein. */
export const MAX_RADIX = 13;

interface Stage {
  radix: number;
  /** sub-length m = N / radix of this stage and stride s (product of earlier radices) */
  m: number;
  s: number;
  /** e^(−2πik/n), k < n: the stage twiddle e^(−2πi·p·u/N) (N = n / s) is entry p·u·s (< n) */
  wr: Float64Array;
  wi: Float64Array;
}

/**
 * cos and −sin of 2πk/n for k < count. Entry k = a·B + b is the product of two exactly rounded
 * roots e^(−2πi·aB/n)·e^(−2πi·b/n) (B ≈ √count), so each entry is within a few ulp of the exact
 * value while only about 2√count sines and cosines are evaluated.
 */
export function unitRoots(n: number, count: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(count);
  const sin = new Float64Array(count);
  const B = Math.max(1, Math.ceil(Math.sqrt(count)));
  const fr = new Float64Array(B);
  const fi = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    fr[b] = Math.cos((2 * Math.PI * b) / n);
    fi[b] = -Math.sin((2 * Math.PI * b) / n);
  }
  for (let a = 0; a * B < count; a++) {
    const ang = (2 * Math.PI * ((a * B) % n)) / n;
    const cr = Math.cos(ang);
    const ci = -Math.sin(ang);
    const stop = Math.min(B, count - a * B);
    for (let b = 0; b < stop; b++) {
      cos[a * B + b] = cr * fr[b] - ci * fi[b];
      sin[a * B + b] = cr * fi[b] + ci * fr[b];
    }
  }
  return { cos, sin };
}

interface MixedPlan {
  stages: Stage[];
  /** scratch of length n */
  br: Float64Array;
  bi: Float64Array;
}

/** Radices of n (4s first, then 2, 3, 5, 7 …), or null when n has a prime factor above MAX_RADIX. */
export function factorize(n: number): number[] | null {
  const out: number[] = [];
  let r = n;
  while (r % 4 === 0) {
    out.push(4);
    r /= 4;
  }
  for (const p of [2, 3, 5, 7, 11, 13]) {
    while (r % p === 0) {
      out.push(p);
      r /= p;
    }
  }
  return r === 1 ? out : null;
}

/** Smallest m ≥ n of the form 2^a·3^b·5^c (a convolution length the mixed-radix path handles well). */
export function nextSmooth(n: number): number {
  let best = Infinity;
  for (let p5 = 1; p5 < 2 * n; p5 *= 5) {
    for (let p35 = p5; p35 < 2 * n; p35 *= 3) {
      let v = p35;
      while (v < n) v *= 2;
      if (v < best) best = v;
    }
  }
  return best;
}

const mixedCache = new Map<number, MixedPlan>();

function mixedPlan(n: number, radices: number[]): MixedPlan {
  let plan = mixedCache.get(n);
  if (plan) return plan;
  const stages: Stage[] = [];
  const { cos: wr, sin: wi } = unitRoots(n, n);
  let N = n;
  let s = 1;
  for (const radix of radices) {
    const m = N / radix;
    stages.push({ radix, m, s, wr, wi });
    N = m;
    s *= radix;
  }
  plan = { stages, br: new Float64Array(n), bi: new Float64Array(n) };
  if (mixedCache.size > 16) mixedCache.clear();
  mixedCache.set(n, plan);
  return plan;
}

function stage2(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, s, wr, wi } = st;
  for (let p = 0; p < m; p++) {
    const w1r = wr[p * s];
    const w1i = wi[p * s];
    const i0 = s * p;
    const i1 = s * (p + m);
    const o0 = s * 2 * p;
    const o1 = o0 + s;
    for (let q = 0; q < s; q++) {
      const ar = xr[i0 + q];
      const ai = xi[i0 + q];
      const br = xr[i1 + q];
      const bi = xi[i1 + q];
      yr[o0 + q] = ar + br;
      yi[o0 + q] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      yr[o1 + q] = dr * w1r - di * w1i;
      yi[o1 + q] = dr * w1i + di * w1r;
    }
  }
}

function stage4(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, s, wr, wi } = st;
  for (let p = 0; p < m; p++) {
    const ps = p * s;
    const w1r = wr[ps];
    const w1i = wi[ps];
    const w2r = wr[2 * ps];
    const w2i = wi[2 * ps];
    const w3r = wr[3 * ps];
    const w3i = wi[3 * ps];
    const i0 = s * p;
    const sm = s * m;
    const o0 = s * 4 * p;
    for (let q = 0; q < s; q++) {
      const a0 = i0 + q;
      const a0r = xr[a0];
      const a0i = xi[a0];
      const a1r = xr[a0 + sm];
      const a1i = xi[a0 + sm];
      const a2r = xr[a0 + 2 * sm];
      const a2i = xi[a0 + 2 * sm];
      const a3r = xr[a0 + 3 * sm];
      const a3i = xi[a0 + 3 * sm];
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      // (a1 − a3)·(−i)
      const t3r = a1i - a3i;
      const t3i = a3r - a1r;
      const o = o0 + q;
      yr[o] = t0r + t2r;
      yi[o] = t0i + t2i;
      const b1r = t1r + t3r;
      const b1i = t1i + t3i;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      const b2r = t0r - t2r;
      const b2i = t0i - t2i;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
      const b3r = t1r - t3r;
      const b3i = t1i - t3i;
      yr[o + 3 * s] = b3r * w3r - b3i * w3i;
      yi[o + 3 * s] = b3r * w3i + b3i * w3r;
    }
  }
}

const S3 = Math.sqrt(3) / 2;

function stage3(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, s, wr, wi } = st;
  for (let p = 0; p < m; p++) {
    const ps = p * s;
    const w1r = wr[ps];
    const w1i = wi[ps];
    const w2r = wr[2 * ps];
    const w2i = wi[2 * ps];
    const i0 = s * p;
    const sm = s * m;
    const o0 = s * 3 * p;
    for (let q = 0; q < s; q++) {
      const a0 = i0 + q;
      const a0r = xr[a0];
      const a0i = xi[a0];
      const a1r = xr[a0 + sm];
      const a1i = xi[a0 + sm];
      const a2r = xr[a0 + 2 * sm];
      const a2i = xi[a0 + 2 * sm];
      const tr = a1r + a2r;
      const ti = a1i + a2i;
      const dr = a1r - a2r;
      const di = a1i - a2i;
      const cr = a0r - 0.5 * tr;
      const ci = a0i - 0.5 * ti;
      const o = o0 + q;
      yr[o] = a0r + tr;
      yi[o] = a0i + ti;
      const b1r = cr + S3 * di;
      const b1i = ci - S3 * dr;
      const b2r = cr - S3 * di;
      const b2i = ci + S3 * dr;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
    }
  }
}

const C51 = Math.cos((2 * Math.PI) / 5);
const C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5);
const S52 = Math.sin((4 * Math.PI) / 5);

function stage5(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, s, wr, wi } = st;
  for (let p = 0; p < m; p++) {
    const ps = p * s;
    const w1r = wr[ps];
    const w1i = wi[ps];
    const w2r = wr[2 * ps];
    const w2i = wi[2 * ps];
    const w3r = wr[3 * ps];
    const w3i = wi[3 * ps];
    const w4r = wr[4 * ps];
    const w4i = wi[4 * ps];
    const i0 = s * p;
    const sm = s * m;
    const o0 = s * 5 * p;
    for (let q = 0; q < s; q++) {
      const a0 = i0 + q;
      const a0r = xr[a0];
      const a0i = xi[a0];
      const a1r = xr[a0 + sm];
      const a1i = xi[a0 + sm];
      const a2r = xr[a0 + 2 * sm];
      const a2i = xi[a0 + 2 * sm];
      const a3r = xr[a0 + 3 * sm];
      const a3i = xi[a0 + 3 * sm];
      const a4r = xr[a0 + 4 * sm];
      const a4i = xi[a0 + 4 * sm];
      const t1r = a1r + a4r;
      const t1i = a1i + a4i;
      const t2r = a2r + a3r;
      const t2i = a2i + a3i;
      const d1r = a1r - a4r;
      const d1i = a1i - a4i;
      const d2r = a2r - a3r;
      const d2i = a2i - a3i;
      const b1r = a0r + C51 * t1r + C52 * t2r;
      const b1i = a0i + C51 * t1i + C52 * t2i;
      const b2r = a0r + C52 * t1r + C51 * t2r;
      const b2i = a0i + C52 * t1i + C51 * t2i;
      const e1r = S51 * d1r + S52 * d2r;
      const e1i = S51 * d1i + S52 * d2i;
      const e2r = S52 * d1r - S51 * d2r;
      const e2i = S52 * d1i - S51 * d2i;
      const o = o0 + q;
      yr[o] = a0r + t1r + t2r;
      yi[o] = a0i + t1i + t2i;
      // A1 = b1 − i·e1, A4 = b1 + i·e1, A2 = b2 − i·e2, A3 = b2 + i·e2
      let cr = b1r + e1i;
      let ci = b1i - e1r;
      yr[o + s] = cr * w1r - ci * w1i;
      yi[o + s] = cr * w1i + ci * w1r;
      cr = b2r + e2i;
      ci = b2i - e2r;
      yr[o + 2 * s] = cr * w2r - ci * w2i;
      yi[o + 2 * s] = cr * w2i + ci * w2r;
      cr = b2r - e2i;
      ci = b2i + e2r;
      yr[o + 3 * s] = cr * w3r - ci * w3i;
      yi[o + 3 * s] = cr * w3i + ci * w3r;
      cr = b1r - e1i;
      ci = b1i + e1r;
      yr[o + 4 * s] = cr * w4r - ci * w4i;
      yi[o + 4 * s] = cr * w4i + ci * w4r;
    }
  }
}

/** Any radix r: a direct r-point DFT per butterfly (used for 7, 11, 13). */
function stageGeneric(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { radix: r, m, s, wr, wi } = st;
  const cr = new Float64Array(r);
  const ci = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    cr[j] = Math.cos((2 * Math.PI * j) / r);
    ci[j] = -Math.sin((2 * Math.PI * j) / r);
  }
  const ar = new Float64Array(r);
  const ai = new Float64Array(r);
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < s; q++) {
      const a0 = s * p + q;
      for (let t = 0; t < r; t++) {
        ar[t] = xr[a0 + t * sm];
        ai[t] = xi[a0 + t * sm];
      }
      const o = s * r * p + q;
      for (let u = 0; u < r; u++) {
        let sr = 0;
        let si = 0;
        for (let t = 0, e = 0; t < r; t++, e = (e + u) % r) {
          sr += ar[t] * cr[e] - ai[t] * ci[e];
          si += ar[t] * ci[e] + ai[t] * cr[e];
        }
        if (u === 0) {
          yr[o] = sr;
          yi[o] = si;
        } else {
          const w = p * s * u;
          yr[o + u * s] = sr * wr[w] - si * wi[w];
          yi[o + u * s] = sr * wi[w] + si * wr[w];
        }
      }
    }
  }
}

/**
 * Forward DFT (no scaling) of re + i·im for n = product of `radices` (see factorize). The result is
 * left in whichever of (re, im) or the plan's scratch buffers the last stage wrote, and returned;
 * the scratch is overwritten by the next transform of the same length.
 */
export function mixedRadixInto(re: Float64Array, im: Float64Array, radices: number[]): [Float64Array, Float64Array] {
  const n = re.length;
  const { stages, br, bi } = mixedPlan(n, radices);
  let xr = re;
  let xi = im;
  let yr = br;
  let yi = bi;
  for (const st of stages) {
    if (st.radix === 4) stage4(st, xr, xi, yr, yi);
    else if (st.radix === 2) stage2(st, xr, xi, yr, yi);
    else if (st.radix === 3) stage3(st, xr, xi, yr, yi);
    else if (st.radix === 5) stage5(st, xr, xi, yr, yi);
    else stageGeneric(st, xr, xi, yr, yi);
    const tr = xr;
    const ti = xi;
    xr = yr;
    xi = yi;
    yr = tr;
    yi = ti;
  }
  return [xr, xi];
}

/** Forward DFT in place (no scaling) for n = product of `radices` (see factorize). */
export function mixedRadix(re: Float64Array, im: Float64Array, radices: number[]): void {
  const [xr, xi] = mixedRadixInto(re, im, radices);
  if (xr !== re) {
    re.set(xr);
    im.set(xi);
  }
}
