import { describe, expect, it } from 'vitest';
import {
  columnNames,
  detectDecimalComma,
  detectDelimiter,
  detectHeader,
  parseNumberCell,
  splitRecords,
} from '../../../main/datasets/csv-dialect';
import { labelRuns } from '../../../main/datasets/timeline';
import { orderTimeline } from '../../../main/datasets/timeline';
import {
  detectEpochUnit,
  detectTextTimeFormat,
  hasZoneSuffix,
  isIsoTimestamp,
  parseUtcTimestamp,
} from '../../../main/datasets/time-formats';

const neverTime = () => false;

describe('splitRecords', () => {
  it('honours quotes, doubled quotes, CRLF and embedded delimiters', () => {
    const text = 'a,b\r\n"x, y",1\r\n"say ""hi""",2\r\n';
    const { rows, lines } = splitRecords(text, ',', 100, true);
    expect(rows).toEqual([
      ['a', 'b'],
      ['x, y', '1'],
      ['say "hi"', '2'],
    ]);
    expect(lines).toEqual([1, 2, 3]);
  });

  it('drops a cut last record unless the text is complete', () => {
    expect(splitRecords('a,b\n1,2\n3,', ',', 100, false).rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(splitRecords('a,b\n1,2\n3,4', ',', 100, true).rows).toHaveLength(3);
  });
});

describe('detectDelimiter', () => {
  it.each([
    [',', 'time,a,b\n1,2,3\n4,5,6\n'],
    [';', 'time;a;b\n2020-01-01;1,5;2,5\n2020-01-02;3,5;4\n'],
    ['\t', 'time\ta\tb\n1\t2\t3\n4\t5\t6\n'],
    ['|', 'time|a|b\n1|2|3\n4|5|6\n'],
  ])('finds %j', (delimiter, text) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });

  it('keeps the delimiter of the header when one row is ragged', () => {
    expect(detectDelimiter('a,b\n1,2\n3,4,5\n6,7\n8,9\n')).toBe(',');
  });
});

describe('detectHeader', () => {
  it('sees a text header over numbers', () => {
    expect(
      detectHeader(
        [
          ['timestamp', 'value'],
          ['x', '1'],
          ['y', '2'],
        ],
        false,
        neverTime,
      ),
    ).toBe(true);
    expect(
      detectHeader(
        [
          ['', 'value', 'is_anomaly'],
          ['0', '1.5', '0'],
        ],
        false,
        neverTime,
      ),
    ).toBe(true);
  });
  it('sees no header when the first row is numeric', () => {
    expect(
      detectHeader(
        [
          ['1.5', '2'],
          ['3', '4'],
        ],
        false,
        neverTime,
      ),
    ).toBe(false);
  });
  it('sees a header when one named column sits over numbers (TSB-AD multivariate)', () => {
    expect(
      detectHeader(
        [
          ['0', '1', 'Label'],
          ['0.5', '0', '0'],
          ['0.7', '1', '1'],
        ],
        false,
        neverTime,
      ),
    ).toBe(true);
  });
});

describe('decimal comma', () => {
  it('is detected with a semicolon delimiter and parsed', () => {
    expect(
      detectDecimalComma(
        [
          ['a', 'b'],
          ['1,5', '2'],
          ['3,25', '-0,5'],
        ],
        ';',
      ),
    ).toBe(true);
    expect(
      detectDecimalComma(
        [
          ['a', 'b'],
          ['1.5', '2'],
        ],
        ';',
      ),
    ).toBe(false);
    expect(
      detectDecimalComma(
        [
          ['a', 'b'],
          ['1,5', '2'],
        ],
        ',',
      ),
    ).toBe(false);
    expect(parseNumberCell('-0,25', true)).toBe(-0.25);
    expect(parseNumberCell('1e3', false)).toBe(1000);
    expect(parseNumberCell('abc', false)).toBeNaN();
  });
});

describe('columnNames', () => {
  it('names blanks like DuckDB and makes repeats unique', () => {
    expect(columnNames(['', 'value', 'value'], 3)).toEqual(['column0', 'value', 'value_1']);
    expect(columnNames(null, 2)).toEqual(['column0', 'column1']);
  });
});

describe('time formats', () => {
  it('recognises ISO 8601 with and without zone', () => {
    expect(isIsoTimestamp('2020-01-01')).toBe(true);
    expect(isIsoTimestamp('2020-01-01T10:00:00.123Z')).toBe(true);
    expect(isIsoTimestamp('2020-13-01')).toBe(false);
    expect(hasZoneSuffix('2020-01-01T10:00:00+02:00')).toBe(true);
    expect(hasZoneSuffix('2020-01-01 10:00:00')).toBe(false);
    expect(hasZoneSuffix('2020-01-01')).toBe(false);
  });

  it('reports mixed zones and where the first mismatch is', () => {
    const d = detectTextTimeFormat(['2020-01-01T00:00:00Z', '2020-01-01T01:00:00Z', '2020-01-01T02:00:00']);
    expect(d).toMatchObject({ format: 'iso8601', zones: 'mixed', firstZoneMismatch: 2 });
    expect(detectTextTimeFormat(['2020-01-01T00:00:00+01:00', '2020-07-01T00:00:00+02:00'])).toMatchObject({ zones: 'all' });
  });

  it('lets the data decide day-first versus month-first', () => {
    expect(detectTextTimeFormat(['13/02/2020 10:00', '14/02/2020 11:00'])?.format).toBe('%d/%m/%Y %H:%M');
    expect(detectTextTimeFormat(['02/13/2020 10:00', '02/14/2020 11:00'])?.format).toBe('%m/%d/%Y %H:%M');
    const ambiguous = detectTextTimeFormat(['01/02/2020', '03/04/2020']);
    expect(ambiguous).toMatchObject({ format: '%m/%d/%Y', ambiguous: true });
    expect(detectTextTimeFormat(['31.12.2020 23:59:59'])?.format).toBe('%d.%m.%Y %H:%M:%S');
    expect(detectTextTimeFormat(['hello', 'world'])).toBeNull();
  });

  it('guesses epoch units from magnitude', () => {
    expect(detectEpochUnit([1_577_836_800, 1_577_836_860])).toBe('epoch_s');
    expect(detectEpochUnit([1_577_836_800_000])).toBe('epoch_ms');
  });

  it('parses zone-less timestamps as UTC', () => {
    expect(parseUtcTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseUtcTimestamp('2014-04-10 07:15:00.5')).toBe(Date.UTC(2014, 3, 10, 7, 15) + 500);
    expect(parseUtcTimestamp('nope')).toBeNaN();
  });
});

/** Obviously-correct reference: scan with explicit state, emit [start, end). */
function naiveRuns(values: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 1) continue;
    let j = i;
    while (j < values.length && values[j] === 1) j++;
    out.push([i, j]);
    i = j;
  }
  return out;
}

describe('labelRuns', () => {
  it('matches a naive scan on random 0/1 sequences', () => {
    let seed = 3;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 200) }, () => (random() < 0.3 ? 1 : 0));
      expect(labelRuns(values).map((r) => [r.start, r.end])).toEqual(naiveRuns(values));
    }
  });
  it('handles runs at both ends and NaN', () => {
    expect(labelRuns([1, 1, 0, NaN, 1])).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 5 },
    ]);
  });
});

describe('orderTimeline', () => {
  const opts = { duplicateTimestamps: 'error', unsortedTimestamps: 'error' } as const;

  it('refuses unsorted rows by default, naming the row', () => {
    expect(() => orderTimeline('f.csv', Float64Array.from([1, 3, 2]), [Float64Array.from([1, 2, 3])], null, opts)).toThrow(
      /row 3/,
    );
  });

  it('sorts stably when asked, carrying values and labels', () => {
    const out = orderTimeline(
      'f.csv',
      Float64Array.from([30, 10, 20]),
      [Float64Array.from([3, 1, 2])],
      Float64Array.from([1, 0, 0]),
      {
        ...opts,
        unsortedTimestamps: 'sort',
      },
    );
    expect(Array.from(out.time)).toEqual([10, 20, 30]);
    expect(Array.from(out.columns[0])).toEqual([1, 2, 3]);
    expect(Array.from(out.label ?? [])).toEqual([0, 0, 1]);
    expect(out.warnings.join()).toMatch(/sorted/);
  });

  it('refuses duplicates by default and merges them when asked', () => {
    const time = Float64Array.from([1, 2, 2, 2, 3]);
    const values = Float64Array.from([10, 20, NaN, 40, 50]);
    expect(() => orderTimeline('f.csv', time, [values], null, opts)).toThrow(/duplicate timestamp/);
    const first = orderTimeline('f.csv', time, [values], null, { ...opts, duplicateTimestamps: 'keep-first' });
    expect(Array.from(first.time)).toEqual([1, 2, 3]);
    expect(Array.from(first.columns[0])).toEqual([10, 20, 50]);
    const mean = orderTimeline('f.csv', time, [values], Float64Array.from([0, 0, 1, 0, 0]), {
      ...opts,
      duplicateTimestamps: 'mean',
    });
    expect(Array.from(mean.columns[0])).toEqual([10, 30, 50]);
    expect(Array.from(mean.label ?? [])).toEqual([0, 1, 0]);
  });
});
