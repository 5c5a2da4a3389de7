/** Small dense linear algebra: row-major Float64Array matrices. */

/** Solves A·x = b (A is n×n, row-major) by Gaussian elimination with partial pivoting; A and b are not modified. Null when singular. */
export function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[piv * n + col])) piv = r;
    const p = m[piv * n + col];
    if (!(Math.abs(p) > 1e-300)) return null;
    if (piv !== col) {
      for (let c = 0; c < n; c++) {
        const t = m[col * n + c];
        m[col * n + c] = m[piv * n + c];
        m[piv * n + c] = t;
      }
      const t = x[col];
      x[col] = x[piv];
      x[piv] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const f = m[r * n + col] / p;
      if (f === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c] -= f * m[col * n + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let c = r + 1; c < n; c++) s -= m[r * n + c] * x[c];
    x[r] = s / m[r * n + r];
  }
  return x;
}

/**
 * Least-squares polynomial coefficients c[0..deg] (ascending powers) of y over t, via the normal
 * equations. Callers should pass t centred and scaled to about [−1, 1] for conditioning. When the
 * system is singular (too few distinct t), the degree is lowered until it is solvable.
 */
export function polyfit(t: ArrayLike<number>, y: ArrayLike<number>, deg: number): Float64Array {
  const n = t.length;
  const d = Math.max(0, deg);
  const pw = new Float64Array(2 * d + 1);
  const rhs = new Float64Array(d + 1);
  for (let i = 0; i < n; i++) {
    let p = 1;
    const ti = t[i];
    const yi = y[i];
    for (let j = 0; j <= 2 * d; j++) {
      pw[j] += p;
      if (j <= d) rhs[j] += p * yi;
      p *= ti;
    }
  }
  return polyfitFromSums(pw, rhs, n, deg);
}

/**
 * Least-squares polynomial from accumulated sums: pw[j] = Σ t^j (j ≤ 2·deg), rhs[j] = Σ t^j·y
 * (j ≤ deg) over `count` points. Lowers the degree while the normal equations are singular.
 */
export function polyfitFromSums(pw: Float64Array, rhs: Float64Array, count: number, deg: number): Float64Array {
  const out = new Float64Array(deg + 1);
  for (let d = Math.min(deg, Math.max(0, count - 1)); d >= 0; d--) {
    const k = d + 1;
    const a = new Float64Array(k * k);
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) a[r * k + c] = pw[r + c];
    const sol = solveLinear(a, rhs.subarray(0, k), k);
    if (sol) {
      out.set(sol);
      return out;
    }
  }
  return out;
}

/** Value of the polynomial with ascending coefficients c at t (Horner). */
export function polyval(c: ArrayLike<number>, t: number): number {
  let v = 0;
  for (let j = c.length - 1; j >= 0; j--) v = v * t + c[j];
  return v;
}

/**
 * Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations. Returns eigenvalues in
 * descending order and the matching unit eigenvectors as rows of `vectors` (row-major n×n).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] * a[p * n + p];
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        // eigenvectors accumulate as columns of v
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src];
    for (let k = 0; k < n; k++) vectors[dst * n + k] = v[k * n + src];
  });
  return { values, vectors };
}
