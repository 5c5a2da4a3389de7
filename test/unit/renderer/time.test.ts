import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatSpan,
  formatTime,
  parseTime,
  tickLabels,
  timeAtX,
  timeTicks,
  xAtTime,
} from '../../../renderer/src/support/time';

const utc = (s: string) => Date.parse(s + 'Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('time ticks', () => {
  it('picks a step by span, from seconds to years, on round times of the clock', () => {
    const cases: [string, string, string, number][] = [
      ['2013-12-10T06:25:07', '2013-12-10T06:26:00', 's', 10_000],
      ['2013-12-10T06:25:00', '2013-12-10T08:00:00', 'min', 10 * MIN],
      ['2013-12-02T21:15:00', '2013-12-04T00:00:00', 'h', 3 * HOUR],
      ['2013-12-02T21:15:00', '2014-02-19T15:25:00', 'd', 7 * DAY],
      ['2013-01-01T00:00:00', '2016-06-01T00:00:00', 'mo', NaN],
      ['1900-01-01T00:00:00', '2020-01-01T00:00:00', 'y', NaN],
    ];
    for (const [a, b, unit, step] of cases) {
      const { unit: got, ticks } = timeTicks(utc(a), utc(b), 10, 'utc');
      expect(got, `${a} … ${b}`).toBe(unit);
      expect(ticks.length).toBeGreaterThan(1);
      expect(ticks.length).toBeLessThanOrEqual(10);
      expect(ticks[0]).toBeGreaterThanOrEqual(utc(a));
      expect(ticks.at(-1)!).toBeLessThanOrEqual(utc(b));
      if (!Number.isNaN(step)) for (const t of ticks) expect(t % step).toBe(0);
      if (unit === 'mo' || unit === 'y') for (const t of ticks) expect(new Date(t).getUTCDate()).toBe(1);
      if (unit === 'y') for (const t of ticks) expect(new Date(t).getUTCMonth()).toBe(0);
    }
  });

  it('puts day ticks on midnights of the local clock too', () => {
    const t0 = new Date(2021, 2, 20, 15).getTime();
    const { unit, ticks } = timeTicks(t0, t0 + 20 * DAY, 12, 'local');
    expect(unit).toBe('d');
    for (const t of ticks) expect([new Date(t).getHours(), new Date(t).getMinutes()]).toEqual([0, 0]);
  });

  it('writes the date under the first tick and where the day changes', () => {
    const { unit, ticks } = timeTicks(utc('2013-12-10T18:00:00'), utc('2013-12-11T06:00:00'), 6, 'utc');
    expect(unit).toBe('h');
    expect(tickLabels(ticks, unit, 'utc')).toEqual(['18:00\n2013-12-10', '21:00', '00:00\n2013-12-11', '03:00', '06:00']);
  });

  it('gives no ticks for an empty span', () => {
    expect(timeTicks(5, 5, 10, 'utc').ticks).toEqual([]);
  });
});

describe('time text', () => {
  it('formats instants, spans and durations', () => {
    expect(formatTime(utc('2013-12-10T06:25:00'), 'utc')).toBe('2013-12-10 06:25');
    expect(formatTime(utc('2013-12-10T06:25:30.5'), 'utc')).toBe('2013-12-10 06:25:30.500');
    expect(formatSpan(utc('2013-12-10T06:25:00'), utc('2013-12-10T18:00:00'), 'utc')).toBe('2013-12-10 06:25 – 18:00');
    expect(formatSpan(utc('2013-12-10T06:25:00'), utc('2013-12-12T05:40:00'), 'utc')).toBe('2013-12-10 06:25 – 2013-12-12 05:40');
    expect(formatDuration(utc('2013-12-12T05:40:00') - utc('2013-12-10T06:25:00'))).toBe('1 d 23 h');
    expect(formatDuration(5 * MIN)).toBe('5 min');
    expect(formatDuration(2 * HOUR + 30 * MIN)).toBe('2 h 30 min');
    expect(formatDuration(DAY + 5 * MIN)).toBe('1 d');
    expect(formatDuration(250)).toBe('250 ms');
  });

  it('parses typed times in the chosen clock and refuses impossible ones', () => {
    expect(parseTime('2013-12-10', 'utc')).toBe(utc('2013-12-10T00:00:00'));
    expect(parseTime(' 2013-12-10 06:25 ', 'utc')).toBe(utc('2013-12-10T06:25:00'));
    expect(parseTime('2013-12-10T06:25:30.25', 'utc')).toBe(utc('2013-12-10T06:25:30.250'));
    expect(parseTime('2013-02-30', 'utc')).toBeNull();
    expect(parseTime('10/12/2013', 'utc')).toBeNull();
    const t = new Date(2013, 11, 10, 6, 25).getTime();
    expect(parseTime(formatTime(t, 'local'), 'local')).toBe(t);
  });
});

describe('time over a view', () => {
  const x = [100, 101, 102, 110];
  const times = [0, 300_000, 600_000, 3_000_000];
  it('interpolates index and time both ways, and refuses outside the points', () => {
    expect(xAtTime(x, times, 450_000)).toBeCloseTo(101.5);
    expect(timeAtX(x, times, 106)).toBeCloseTo(1_800_000);
    expect(xAtTime(x, times, 3_000_001)).toBeNull();
    expect(timeAtX(x, times, 99)).toBeNull();
  });
});

describe('index mentions of a claim', () => {
  it('finds ranges and indices in the order written, and nothing in plain numbers', async () => {
    const { indexMentions } = await import('../../../renderer/src/support/claim-mentions');
    expect(indexMentions('robust z-score -3.39 at index 2172 against [425, 2126)')).toEqual([
      { kind: 'index', index: 2172 },
      { kind: 'range', start: 425, end: 2126 },
    ]);
    expect(indexMentions('mean 79.1 over 567 points')).toEqual([]);
  });
});
