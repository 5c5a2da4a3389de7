/**
 * Affiliation precision and recall (Huet, Navarro, Rossi, KDD 2022), a port of the reference
 * implementation TSB-AD bundles (`affiliation/metrics.py: pr_from_events` and its helpers), with its
 * closed-form integrals — no sampling.
 *
 * Events are half-open [start, stop) on the real line (a flagged index i is [i, i+1)); the series
 * spans [0, n). Each ground-truth event J owns the zone E_J that reaches halfway to its neighbours
 * (and to the series ends). Within E_J:
 *  - precision: mean over the predicted parts I ⊂ E_J of the survival probability
 *    F̄(d(x, J)) = P(d(X, J) ≥ d(x, J)) for X uniform on E_J;
 *  - recall: mean over y ∈ J of the analogous probability of d(y, predictions) for a uniform
 *    prediction point in E_J (0 where nothing is predicted in E_J).
 * Precision averages the zones that contain a prediction (null when none does); recall averages all zones.
 */

type Span = readonly [number, number];
type MaybeSpan = Span | null;

function intersection(I: MaybeSpan, J: MaybeSpan): MaybeSpan {
  if (I === null || J === null) return null;
  const a = Math.max(I[0], J[0]);
  const b = Math.min(I[1], J[1]);
  return a >= b ? null : [a, b];
}

/** I split into the parts before J, inside J and after J. */
function cutIntoThree(I: MaybeSpan, J: Span): [MaybeSpan, MaybeSpan, MaybeSpan] {
  if (I === null) return [null, null, null];
  const inter = intersection(I, J);
  if (inter !== null && inter[0] === I[0] && inter[1] === I[1]) return [null, inter, null];
  if (I[1] <= J[0]) return [I, inter, null];
  if (I[0] >= J[1]) return [null, inter, I];
  // I overlaps J partially or covers it
  if (I[0] <= J[0] && I[1] >= J[1]) return [[I[0], inter![0]], inter, [inter![1], I[1]]];
  if (I[0] <= J[0]) return [[I[0], inter![0]], inter, null];
  return [null, inter, [inter![1], I[1]]];
}

/** The point of J closest to I, for I outside J. */
function pivot(I: Span, J: Span): number {
  if (I[1] <= J[0]) return J[0];
  return J[1];
}

/** ∫_{x∈I} F̄(d(x, J)) dx for I = [i0, i1) outside J = [j0, j1), inside E = [e0, e1). */
function precisionIntegralOutside(i0: number, i1: number, j0: number, j1: number, e0: number, e1: number): number {
  const dMin = Math.max(i0 - j1, j0 - i1);
  const dMax = Math.max(i1 - j1, j0 - i0);
  const m = Math.min(j0 - e0, e1 - j1);
  const A = Math.min(dMax, m) ** 2 - Math.min(dMin, m) ** 2;
  const B = Math.max(dMax, m) - Math.max(dMin, m);
  const minPiece = 0.5 * A + m * B;
  const linearPiece = 0.5 * (dMax ** 2 - dMin ** 2);
  const remainingPiece = (j1 - j0) * (i1 - i0);
  return i1 - i0 - (1 / (e1 - e0)) * (minPiece + linearPiece + remainingPiece);
}

/**
 * ∫_{x∈I} F̄(d(x, J)) dx: I cut into its parts before, inside and after J (`cut_into_three_func`;
 * a zero-length part, which the reference produces when I and J share an end, integrates to 0).
 */
function precisionIntegral(i0: number, i1: number, j0: number, j1: number, e0: number, e1: number): number {
  let out = Math.max(0, Math.min(i1, j1) - Math.max(i0, j0));
  if (i0 < j0) out += precisionIntegralOutside(i0, Math.min(i1, j0), j0, j1, e0, e1);
  if (i1 > j1) out += precisionIntegralOutside(Math.max(i0, j1), i1, j0, j1, e0, e1);
  return out;
}

function cutAt(J: MaybeSpan, at: number): [MaybeSpan, MaybeSpan] {
  if (J === null) return [null, null];
  if (at >= J[1]) return [J, null];
  if (at <= J[0]) return [null, J];
  return [
    [J[0], at],
    [at, J[1]],
  ];
}

/** ∫_{y∈J} F̄_y(d(y, I)) dy for J outside I (J a piece of the ground truth), inside E. */
function recallIntegralOutside(I: Span, J: Span, E: Span): number {
  const p = pivot(J, I);
  if (p <= E[0] || p >= E[1]) return 0;
  const eMean = (E[0] + E[1]) / 2;
  const [jBefore, jAfter] = cutAt(J, eMean);
  const [beforeCloseE, beforeCloseI] = cutAt(jBefore, (E[0] + p) / 2);
  const [afterCloseI, afterCloseE] = cutAt(jAfter, (E[1] + p) / 2);
  const parts: number[] = [];
  const sq = (s: Span) => s[1] ** 2 - s[0] ** 2;
  const len = (s: Span) => s[1] - s[0];
  if (p >= J[1]) {
    if (beforeCloseE) parts.push((p - E[0]) * len(beforeCloseE));
    if (beforeCloseI) parts.push(2 * p * len(beforeCloseI) - sq(beforeCloseI));
    if (afterCloseI) parts.push(2 * p * len(afterCloseI) - sq(afterCloseI));
    if (afterCloseE) parts.push((E[1] + p) * len(afterCloseE) - sq(afterCloseE));
  } else {
    if (beforeCloseE) parts.push(sq(beforeCloseE) - (E[0] + p) * len(beforeCloseE));
    if (beforeCloseI) parts.push(sq(beforeCloseI) - 2 * p * len(beforeCloseI));
    if (afterCloseI) parts.push(sq(afterCloseI) - 2 * p * len(afterCloseI));
    if (afterCloseE) parts.push((E[1] - p) * len(afterCloseE));
  }
  const integral = parts.reduce((a, b) => a + b, 0);
  return J[1] - J[0] - (1 / (E[1] - E[0])) * integral;
}

function recallIntegral(I: Span, J: MaybeSpan, E: Span): number {
  const [before, middle, after] = cutIntoThree(J, I);
  return (
    (before ? recallIntegralOutside(I, before, E) : 0) +
    (middle ? middle[1] - middle[0] : 0) +
    (after ? recallIntegralOutside(I, after, E) : 0)
  );
}

/** Runs of flagged points as half-open events in flat arrays: event k is [start[k], end[k]). */
export interface FlatEvents {
  start: Float64Array;
  end: Float64Array;
  count: number;
}

/** Flagged runs of a 0/1 vector as half-open events (the affiliation library's `convert_vector_to_events`). */
export function flatEventsOfVector(values: ArrayLike<number>, into?: FlatEvents): FlatEvents {
  const cap = Math.ceil(values.length / 2) + 1;
  const out = into && into.start.length >= cap ? into : { start: new Float64Array(cap), end: new Float64Array(cap), count: 0 };
  let count = 0;
  let open = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > 0) {
      if (open < 0) open = i;
    } else if (open >= 0) {
      out.start[count] = open;
      out.end[count++] = i;
      open = -1;
    }
  }
  if (open >= 0) {
    out.start[count] = open;
    out.end[count++] = values.length;
  }
  out.count = count;
  return out;
}

export function eventsOfVector(values: ArrayLike<number>): Span[] {
  const flat = flatEventsOfVector(values);
  return Array.from({ length: flat.count }, (_, k): Span => [flat.start[k], flat.end[k]]);
}

/**
 * Affiliation precision and recall of predicted events against ground-truth events, both sorted,
 * disjoint, half-open and non-empty, inside [0, length). Precision is null when nothing is predicted.
 */
export function affiliationFromEvents(
  predicted: readonly Span[],
  truth: readonly Span[],
  length: number,
): { precision: number | null; recall: number } {
  const flat = (xs: readonly Span[]): FlatEvents => ({
    start: Float64Array.from(xs, (x) => x[0]),
    end: Float64Array.from(xs, (x) => x[1]),
    count: xs.length,
  });
  return affiliationFlat(flat(predicted), flat(truth), length);
}

/** `affiliationFromEvents` on flat event arrays (no per-event allocation; the threshold sweep's path). */
export function affiliationFlat(
  pred: FlatEvents,
  truth: FlatEvents,
  length: number,
): { precision: number | null; recall: number } {
  let precisionSum = 0;
  let precisionZones = 0;
  let recallSum = 0;
  let first = 0; // first predicted event that may reach zone j (zones and events are both sorted)
  for (let j = 0; j < truth.count; j++) {
    const J: Span = [truth.start[j], truth.end[j]];
    const E: Span = [
      j === 0 ? 0 : (truth.end[j - 1] + J[0]) / 2,
      j === truth.count - 1 ? length : (J[1] + truth.start[j + 1]) / 2,
    ];
    while (first < pred.count && pred.end[first] <= E[0]) first++;
    let last = first; // one past the last predicted event meeting E
    while (last < pred.count && pred.start[last] < E[1]) last++;
    // parts = predicted events clipped to E (the partition step); all non-empty here
    if (last === first) continue; // precision undefined in this zone, recall 0
    let integral = 0;
    let covered = 0;
    let recall = 0;
    for (let k = first; k < last; k++) {
      const i0 = Math.max(pred.start[k], E[0]);
      const i1 = Math.min(pred.end[k], E[1]);
      integral += precisionIntegral(i0, i1, J[0], J[1], E[0], E[1]);
      covered += i1 - i0;
      // recall: the part of J closer to this part than to its neighbours (zones of the parts within E)
      const z0 = k === first ? E[0] : (Math.min(pred.end[k - 1], E[1]) + i0) / 2;
      const z1 = k === last - 1 ? E[1] : (i1 + Math.max(pred.start[k + 1], E[0])) / 2;
      const piece = intersection(J, [z0, z1]);
      if (piece) recall += recallIntegral([i0, i1], piece, E);
    }
    precisionSum += integral / covered;
    precisionZones++;
    recallSum += recall / (J[1] - J[0]);
  }
  return {
    precision: precisionZones > 0 ? precisionSum / precisionZones : null,
    recall: truth.count > 0 ? recallSum / truth.count : 0,
  };
}
