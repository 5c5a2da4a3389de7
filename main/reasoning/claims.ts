/**
 * The claim grammar shared by our cards and the checker. A claim names a statistic, the number, and
 * the index range or point it was measured on, e.g. "mean 5.31 over [1200, 1260)" or "value 9.87 at
 * index 1234". Indices are plain integers; ranges are half-open.
 */
export type Stat = 'mean' | 'median' | 'standard deviation' | 'slope' | 'dominant period' | 'missing';

/** A number rounded to 3 significant digits, written without exponent or thousands separators. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const r = Number(x.toPrecision(3));
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(r))));
  return r.toFixed(Math.min(12, digits));
}

export const range = (lo: number, hi: number) => `[${lo}, ${hi})`;

export function statClaim(stat: Stat, value: number, lo: number, hi: number): string {
  if (stat === 'slope') return `slope ${fmt(value)} per point over ${range(lo, hi)}`;
  if (stat === 'dominant period') return `dominant period ${fmt(value)} points over ${range(lo, hi)}`;
  if (stat === 'missing') return `${fmt(value * 100)}% missing over ${range(lo, hi)}`;
  return `${stat} ${fmt(value)} over ${range(lo, hi)}`;
}

export function valueClaim(value: number, index: number): string {
  return `value ${fmt(value)} at index ${index}`;
}

export function zClaim(z: number, index: number, lo: number, hi: number): string {
  return `robust z-score ${fmt(z)} at index ${index} against ${range(lo, hi)}`;
}

export function plainZClaim(z: number, index: number, lo: number, hi: number): string {
  return `z-score ${fmt(z)} at index ${index} against the mean and standard deviation of ${range(lo, hi)}`;
}

export function discordClaim(z: number, m: number, start: number, end: number, lo: number, hi: number): string {
  return `discord z-score ${fmt(z)} for length-${m} windows touching ${range(start, end)} within ${range(lo, hi)}`;
}

const NUM = '(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)';
const RANGE = '\\[(\\d+),\\s*(\\d+)\\)';

export const CLAIM_PATTERNS = {
  stat: new RegExp(`\\b(mean|median|standard deviation|slope|dominant period) ${NUM}(?: per point| points)? over ${RANGE}`, 'gi'),
  missing: new RegExp(`${NUM}% missing over ${RANGE}`, 'gi'),
  plainZ: new RegExp(`\\bz-score ${NUM} at index (\\d+) against the mean and standard deviation of ${RANGE}`, 'gi'),
  discord: new RegExp(`\\bdiscord z-score ${NUM} for length-(\\d+) windows touching ${RANGE} within ${RANGE}`, 'gi'),
  value: new RegExp(`\\bvalue ${NUM} at index (\\d+)`, 'gi'),
  z: new RegExp(`\\brobust z-score ${NUM} at index (\\d+) against ${RANGE}`, 'gi'),
  position: new RegExp(`\\b(?:between index|from index) (\\d+) (?:and|to) (\\d+)`, 'gi'),
  number: new RegExp(NUM, 'g'),
};

/** Is `actual` what a quoted number with `quoted`'s precision would say (half a unit of its last digit)? */
export function agrees(quoted: string, actual: number): boolean {
  const q = Number(quoted);
  if (!Number.isFinite(actual)) return false;
  const mantissa = quoted.replace(/^-/, '').split(/e/i)[0];
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1].length : 0;
  const exp = /e/i.test(quoted) ? Number(quoted.split(/e/i)[1]) : 0;
  // an integer quoted as "1230" may be rounded to 3 significant digits
  const intRounding = decimals === 0 && Math.abs(actual) >= 1000 ? 10 ** (Math.floor(Math.log10(Math.abs(q) || 1)) - 2) : 0;
  const unit = Math.max(10 ** (exp - decimals), intRounding);
  return Math.abs(actual - q) <= unit / 2 + 1e-9 * Math.max(1, Math.abs(actual));
}
