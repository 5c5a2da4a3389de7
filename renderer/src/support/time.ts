/**
 * Times for display: epoch ms in a chosen zone, adaptive axis ticks (seconds … years), durations, and typed
 * times parsed back. Pure (no DOM, no Vue), tested without a browser.
 *
 * The importer takes timestamps without a zone as UTC (NAB's local times included), so printing in UTC
 * shows them exactly as the file writes them: that is the 'file' setting.
 */

export const ZONE_SETTINGS = ['file', 'local', 'utc'] as const;
export type ZoneSetting = (typeof ZONE_SETTINGS)[number];
export const ZONE_SETTING_NAMES: Record<ZoneSetting, string> = {
  file: 'file',
  local: 'local',
  utc: 'UTC',
};

/** The clock a setting reads: 'file' and 'utc' print the stored UTC fields, 'local' this machine's zone. */
export type Clock = 'utc' | 'local';
export const clockOf = (setting: ZoneSetting): Clock => (setting === 'local' ? 'local' : 'utc');

interface Fields {
  y: number;
  mo: number; // 0-11
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function fieldsOf(ms: number, clock: Clock): Fields {
  const t = new Date(ms);
  return clock === 'utc'
    ? {
        y: t.getUTCFullYear(),
        mo: t.getUTCMonth(),
        d: t.getUTCDate(),
        h: t.getUTCHours(),
        mi: t.getUTCMinutes(),
        s: t.getUTCSeconds(),
        ms: t.getUTCMilliseconds(),
      }
    : {
        y: t.getFullYear(),
        mo: t.getMonth(),
        d: t.getDate(),
        h: t.getHours(),
        mi: t.getMinutes(),
        s: t.getSeconds(),
        ms: t.getMilliseconds(),
      };
}

function fromFields(f: Fields, clock: Clock): number {
  return clock === 'utc'
    ? Date.UTC(f.y, f.mo, f.d, f.h, f.mi, f.s, f.ms)
    : new Date(f.y, f.mo, f.d, f.h, f.mi, f.s, f.ms).getTime();
}

const p2 = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The unit of a tick step: what a tick label has to show. */
export type TickUnit = 'ms' | 's' | 'min' | 'h' | 'd' | 'mo' | 'y';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Candidate steps, finest first: fixed-length ones in ms, calendar ones in months. */
const STEPS: { unit: TickUnit; size: number; approx: number }[] = [
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500].map((n) => ({ unit: 'ms' as const, size: n, approx: n })),
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ unit: 's' as const, size: n * SECOND, approx: n * SECOND })),
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ unit: 'min' as const, size: n * MINUTE, approx: n * MINUTE })),
  ...[1, 2, 3, 6, 12].map((n) => ({ unit: 'h' as const, size: n * HOUR, approx: n * HOUR })),
  ...[1, 2, 7, 14].map((n) => ({ unit: 'd' as const, size: n * DAY, approx: n * DAY })),
  ...[1, 2, 3, 6].map((n) => ({ unit: 'mo' as const, size: n, approx: n * 30.44 * DAY })),
  ...[1, 2, 5, 10, 20, 50, 100].map((n) => ({ unit: 'y' as const, size: n * 12, approx: n * 365.25 * DAY })),
];

export interface TimeTicks {
  unit: TickUnit;
  /** epoch ms of each tick, ascending, inside [t0, t1] */
  ticks: number[];
}

/**
 * Ticks on round times between t0 and t1 (at most `maxTicks`): whole seconds, minutes, hours, midnights,
 * first days of months or years in the chosen clock, whichever step keeps the count under the limit.
 */
export function timeTicks(t0: number, t1: number, maxTicks: number, clock: Clock): TimeTicks {
  if (!(t1 > t0) || maxTicks < 1) return { unit: 'ms', ticks: [] };
  const span = t1 - t0;
  const step = STEPS.find((s) => Math.floor(span / s.approx) + 1 <= maxTicks) ?? STEPS[STEPS.length - 1];
  const ticks: number[] = [];
  if (step.unit === 'mo' || step.unit === 'y') {
    const f = fieldsOf(t0, clock);
    let months = f.y * 12 + f.mo;
    months = Math.ceil(months / step.size) * step.size;
    for (let guard = 0; guard < 10_000; guard++, months += step.size) {
      const t = fromFields({ y: Math.floor(months / 12), mo: months % 12, d: 1, h: 0, mi: 0, s: 0, ms: 0 }, clock);
      if (t < t0) continue;
      if (t > t1) break;
      ticks.push(t);
    }
  } else if (step.unit === 'd' || step.unit === 'h') {
    // count whole steps from the clock's midnight, so ticks fall on 00:00, 06:00, … of that clock
    const f = fieldsOf(t0, clock);
    const midnight = fromFields({ ...f, h: 0, mi: 0, s: 0, ms: 0 }, clock);
    const dayOrigin = step.unit === 'd' ? fromFields({ y: 1970, mo: 0, d: 1, h: 0, mi: 0, s: 0, ms: 0 }, clock) : midnight;
    let t = dayOrigin + Math.ceil((t0 - dayOrigin) / step.size) * step.size;
    for (; t <= t1; t += step.size) ticks.push(step.unit === 'd' ? snapMidnight(t, clock) : t);
  } else {
    // seconds and finer: zone offsets are whole minutes, so multiples of the step are round in any clock
    for (let t = Math.ceil(t0 / step.size) * step.size; t <= t1; t += step.size) ticks.push(t);
  }
  return { unit: step.unit, ticks };
}

/** A day step counted in fixed 24 h can land an hour off midnight after a daylight-saving change. */
function snapMidnight(t: number, clock: Clock): number {
  const f = fieldsOf(t + 12 * HOUR, clock);
  return fromFields({ ...f, h: 0, mi: 0, s: 0, ms: 0 }, clock);
}

/**
 * Tick labels for one axis: as short as the unit allows, with the date written where it changes (and on
 * the first tick) under the clock time, so a label never needs the one before it to be read.
 */
export function tickLabels(ticks: readonly number[], unit: TickUnit, clock: Clock): string[] {
  let lastDay = '';
  return ticks.map((t) => {
    const f = fieldsOf(t, clock);
    const day = `${f.y}-${p2(f.mo + 1)}-${p2(f.d)}`;
    const newDay = day !== lastDay;
    lastDay = day;
    switch (unit) {
      case 'y':
        return String(f.y);
      case 'mo':
        return f.mo === 0 || t === ticks[0] ? `${MONTHS[f.mo]}\n${f.y}` : MONTHS[f.mo];
      case 'd':
        return `${MONTHS[f.mo]} ${f.d}` + (f.mo === 0 && f.d <= 14 ? `\n${f.y}` : t === ticks[0] ? `\n${f.y}` : '');
      case 'h':
      case 'min':
        return `${p2(f.h)}:${p2(f.mi)}` + (newDay ? `\n${day}` : '');
      case 's':
        return `${p2(f.h)}:${p2(f.mi)}:${p2(f.s)}` + (newDay ? `\n${day}` : '');
      case 'ms':
        return `${p2(f.s)}.${String(f.ms).padStart(3, '0')}` + (newDay ? `\n${day} ${p2(f.h)}:${p2(f.mi)}` : '');
    }
  });
}

/** "2013-12-10 06:25" (seconds and milliseconds only when not zero). */
export function formatTime(ms: number, clock: Clock): string {
  const f = fieldsOf(ms, clock);
  const sec = f.s !== 0 || f.ms !== 0 ? `:${p2(f.s)}` + (f.ms !== 0 ? `.${String(f.ms).padStart(3, '0')}` : '') : '';
  return `${f.y}-${p2(f.mo + 1)}-${p2(f.d)} ${p2(f.h)}:${p2(f.mi)}${sec}`;
}

/** A span: the end drops the date when it is the same day ("2013-12-10 06:25 – 18:00"). */
export function formatSpan(start: number, end: number, clock: Clock): string {
  const a = formatTime(start, clock);
  const b = formatTime(end, clock);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`;
}

/** "1 d 23 h", "5 min", "2 h 30 min", "45 s", "250 ms": the two largest units. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const sign = ms < 0 ? '−' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < SECOND) return `${sign}${rest} ms`;
  const parts: string[] = [];
  for (const [size, name] of [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'min'],
    [SECOND, 's'],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n} ${name}`);
    if (parts.length === 2) break;
  }
  return sign + parts.filter((p) => !p.startsWith('0 ')).join(' ');
}

const TYPED = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*$/;

/**
 * A typed time in the chosen clock: "2013-12-10", "2013-12-10 06:25", "2013-12-10T06:25:30". Returns
 * null when the text is not such a time or names an impossible date (2013-02-30).
 */
export function parseTime(text: string, clock: Clock): number | null {
  const m = TYPED.exec(text);
  if (!m) return null;
  const f: Fields = {
    y: Number(m[1]),
    mo: Number(m[2]) - 1,
    d: Number(m[3]),
    h: Number(m[4] ?? 0),
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
    ms: Number((m[7] ?? '0').padEnd(3, '0')),
  };
  const t = fromFields(f, clock);
  const back = fieldsOf(t, clock);
  if (back.y !== f.y || back.mo !== f.mo || back.d !== f.d || back.h !== f.h || back.mi !== f.mi) return null;
  return t;
}

/**
 * The (fractional) x value of time `t` over a view's points: `x` are indices, `times` their epoch ms, both
 * ascending. Linear between neighbouring points; null outside the points or on an unsorted axis.
 */
export function xAtTime(x: readonly number[], times: readonly number[], t: number): number | null {
  const n = Math.min(x.length, times.length);
  if (n === 0 || t < times[0] || t > times[n - 1]) return null;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  if (times[hi] === times[lo]) return x[lo];
  return x[lo] + ((t - times[lo]) / (times[hi] - times[lo])) * (x[hi] - x[lo]);
}

/** The time at a (fractional) x value over a view's points; null outside them. */
export function timeAtX(x: readonly number[], times: readonly number[], at: number): number | null {
  return xAtTime(times, x, at);
}
