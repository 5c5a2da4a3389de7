import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { hashFile, previewFile, readFile, type ReadProgress } from '../../../main/datasets/index';
import { makeTempDir } from '../../helpers/tmp';

const { dir, cleanup } = makeTempDir('tsad-datasets-read-');
afterAll(cleanup);

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function duckdb(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
}

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);

describe('delimited text', () => {
  it('reads comma CSV with ISO timestamps as UTC and several value columns', async () => {
    const file = write(
      'basic.csv',
      'timestamp,a,b\n2020-01-01 00:00:00,1.5,10\n2020-01-01 00:01:00,2.5,20\n2020-01-01 00:03:30,3.5,30\n',
    );
    const table = await readFile(file);
    expect(Array.from(table.time ?? [])).toEqual([utc(2020, 1, 1), utc(2020, 1, 1, 0, 1), utc(2020, 1, 1, 0, 3, 30)]);
    expect(table.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(Array.from(table.columns[0].values)).toEqual([1.5, 2.5, 3.5]);
    expect(Array.from(table.columns[1].values)).toEqual([10, 20, 30]);
    expect(table.name).toBe('basic');
    expect(table.labels).toBeNull();
    expect(table.sourceSize).toBe(fs.statSync(file).size);
    expect(table.sourceHash).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  });

  it.each([
    ['semicolon with decimal comma', 'semi.csv', 'time;v\n2020-01-01T00:00:00;1,25\n2020-01-01T00:00:10;-2,5\n', ';', true],
    ['tab', 'tab.tsv', 'time\tv\n2020-01-01T00:00:00\t1.25\n2020-01-01T00:00:10\t-2.5\n', '\t', false],
    ['pipe', 'pipe.csv', 'time|v\n2020-01-01T00:00:00|1.25\n2020-01-01T00:00:10|-2.5\n', '|', false],
  ])('reads %s', async (_label, name, content, delimiter, decimalComma) => {
    const file = write(name, content);
    const preview = await previewFile(file);
    expect(preview).toMatchObject({
      format: 'csv',
      delimiter,
      header: true,
      decimalComma,
      timeColumn: 'time',
      valueColumns: ['v'],
    });
    const table = await readFile(file);
    expect(Array.from(table.columns[0].values)).toEqual([1.25, -2.5]);
    expect(Array.from(table.time ?? [])).toEqual([utc(2020, 1, 1), utc(2020, 1, 1, 0, 0, 10)]);
  });

  it('reads quoted fields holding delimiters and quotes', async () => {
    const file = write('quoted.csv', 'note,value\n"a, b",1\n"say ""x""",2\n');
    const preview = await previewFile(file);
    expect(preview.rows).toEqual([
      ['a, b', 1],
      ['say "x"', 2],
    ]);
    const table = await readFile(file);
    expect(table.columns.map((c) => c.name)).toEqual(['value']);
    expect(Array.from(table.columns[0].values)).toEqual([1, 2]);
    expect(table.time).toBeNull();
  });

  it('reads a file without header, and honours a header override', async () => {
    const file = write('nohdr.csv', '1.5,2\n3,4\n5,6\n');
    const preview = await previewFile(file);
    expect(preview.header).toBe(false);
    expect(preview.valueColumns).toEqual(['column0', 'column1']);
    const table = await readFile(file);
    expect(Array.from(table.columns[0].values)).toEqual([1.5, 3, 5]);
    const forced = await readFile(file, { header: true });
    expect(forced.columns.map((c) => c.name)).toEqual(['1.5', '2']);
    expect(Array.from(forced.columns[0].values)).toEqual([3, 5]);
  });

  it('reads gzip-compressed CSV, by name or by content', async () => {
    const content = 'timestamp,value\n2020-01-01 00:00:00,1\n2020-01-01 00:00:01,\n2020-01-01 00:00:02,3\n';
    for (const name of ['z.csv.gz', 'z-misnamed.csv']) {
      const file = write(name, gzipSync(content));
      const preview = await previewFile(file);
      expect(preview.compression).toBe('gzip');
      expect(preview.rowCountEstimate).toBe(3);
      const table = await readFile(file);
      const values = Array.from(table.columns[0].values);
      expect(values[0]).toBe(1);
      expect(values[1]).toBeNaN();
      expect(values[2]).toBe(3);
    }
  });

  it('estimates the row count: exact for small files, within 10% for large ones', async () => {
    const lines = (n: number) =>
      [
        't,v',
        ...Array.from({ length: n }, (_, i) => `${new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString()},${(i * 0.37) % 11}`),
      ].join('\n') + '\n';
    expect((await previewFile(write('est-small.csv', lines(8000)))).rowCountEstimate).toBe(8000);
    const large = await previewFile(write('est-large.csv', lines(60_000)));
    expect(Math.abs(large.rowCountEstimate - 60_000) / 60_000).toBeLessThan(0.1);
    expect(large.rows).toHaveLength(20);
  });

  it('keeps missing values missing (NaN), never zero', async () => {
    const file = write('missing.csv', 'timestamp,a,b\n2020-01-01,1,NA\n2020-01-02,,2\n2020-01-03,3,null\n');
    const table = await readFile(file);
    const [a, b] = table.columns.map((c) => Array.from(c.values));
    expect(a[0]).toBe(1);
    expect(a[1]).toBeNaN();
    expect(b[0]).toBeNaN();
    expect(b[1]).toBe(2);
    expect(b[2]).toBeNaN();
  });

  it('keeps irregular sampling as real timestamps', async () => {
    const file = write('irregular.csv', 'ts,v\n2020-01-01 00:00:00,1\n2020-01-01 00:00:01,2\n2020-01-01 05:00:00,3\n');
    const table = await readFile(file);
    const t = table.time ?? new Float64Array();
    expect(t[1] - t[0]).toBe(1000);
    expect(t[2] - t[1]).toBe(5 * 3600_000 - 1000);
  });
});

describe('time columns', () => {
  it('applies zone offsets and reads zone-less timestamps as UTC', async () => {
    const zoned = write('zoned.csv', 'ts,v\n2020-01-01T01:00:00+01:00,1\n2020-07-01T02:00:00+02:00,2\n2020-07-02T00:00:00Z,3\n');
    const table = await readFile(zoned);
    expect(Array.from(table.time ?? [])).toEqual([utc(2020, 1, 1), utc(2020, 7, 1), utc(2020, 7, 2)]);
  });

  it('reads epoch seconds and milliseconds', async () => {
    const seconds = write('epoch-s.csv', 'time,v\n1577836800,1\n1577836860.5,2\n');
    expect(await previewFile(seconds)).toMatchObject({ timeColumn: 'time', timeFormat: 'epoch_s' });
    expect(Array.from((await readFile(seconds)).time ?? [])).toEqual([utc(2020, 1, 1), utc(2020, 1, 1, 0, 1) + 500]);
    const millis = write('epoch-ms.csv', 'timestamp,v\n1577836800000,1\n1577836860000,2\n');
    expect(await previewFile(millis)).toMatchObject({ timeFormat: 'epoch_ms' });
    expect(Array.from((await readFile(millis)).time ?? [])).toEqual([utc(2020, 1, 1), utc(2020, 1, 1, 0, 1)]);
  });

  it('reads common day-first date-times and honours a timeFormat override', async () => {
    const file = write('dmy.csv', 'date;v\n01/02/2020 10:00;1\n13/02/2020 11:30;2\n');
    expect(await previewFile(file)).toMatchObject({ timeColumn: 'date', timeFormat: '%d/%m/%Y %H:%M' });
    expect(Array.from((await readFile(file)).time ?? [])).toEqual([utc(2020, 2, 1, 10), utc(2020, 2, 13, 11, 30)]);

    const ambiguous = write('ambiguous.csv', 'date,v\n01/02/2020,1\n03/04/2020,2\n');
    const preview = await previewFile(ambiguous);
    expect(preview.timeFormat).toBe('%m/%d/%Y');
    expect(preview.warnings.join()).toMatch(/ambiguous/);
    const dayFirst = await readFile(ambiguous, { timeFormat: '%d/%m/%Y' });
    expect(Array.from(dayFirst.time ?? [])).toEqual([utc(2020, 2, 1), utc(2020, 4, 3)]);
  });

  it('uses the row index when there is no time column, or when told so', async () => {
    const file = write('notime.csv', 'timestamp,v\n2020-01-01,1\n2020-01-02,2\n');
    const table = await readFile(file, { timeColumn: null });
    expect(table.time).toBeNull();
    expect(table.columns.map((c) => c.name)).toEqual(['v']);
  });

  it('refuses unsorted and duplicate timestamps unless told what to do', async () => {
    const unsorted = write('unsorted.csv', 'ts,v\n2020-01-02,2\n2020-01-01,1\n2020-01-03,3\n');
    await expect(readFile(unsorted)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/not in order.*row 2/),
    });
    const sorted = await readFile(unsorted, { unsortedTimestamps: 'sort' });
    expect(Array.from(sorted.columns[0].values)).toEqual([1, 2, 3]);
    expect(sorted.warnings.join()).toMatch(/sorted/);

    const dup = write('dup.csv', 'ts,v\n2020-01-01,1\n2020-01-01,3\n2020-01-02,5\n');
    await expect(readFile(dup)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/duplicate timestamp/),
    });
    expect(Array.from((await readFile(dup, { duplicateTimestamps: 'mean' })).columns[0].values)).toEqual([2, 5]);
    expect(Array.from((await readFile(dup, { duplicateTimestamps: 'keep-first' })).columns[0].values)).toEqual([1, 5]);
    const kept = await readFile(dup, { duplicateTimestamps: 'keep' });
    expect(Array.from(kept.columns[0].values)).toEqual([1, 3, 5]);
    expect(kept.warnings.join()).toMatch(/1 rows repeat the previous timestamp/);
  });

  it('keeps file order when asked, with a warning', async () => {
    const file = write('stepback.csv', 'ts,v\n2020-01-01 02:00,1\n2020-01-01 02:30,2\n2020-01-01 02:00,3\n2020-01-01 03:00,4\n');
    const table = await readFile(file, { unsortedTimestamps: 'keep' });
    expect(Array.from(table.columns[0].values)).toEqual([1, 2, 3, 4]);
    expect(table.warnings.join()).toMatch(/not in order \(first at row 3\)/);
    const repeated = write('stepback-dup.csv', 'ts,v\n2020-01-01 02:00,1\n2020-01-01 02:00,2\n2020-01-01 01:00,3\n');
    await expect(readFile(repeated, { unsortedTimestamps: 'keep' })).rejects.toMatchObject({
      message: expect.stringMatching(/can only keep duplicates \(duplicateTimestamps: 'keep'\)/),
    });
    expect(
      (await readFile(repeated, { unsortedTimestamps: 'keep', duplicateTimestamps: 'keep' })).columns[0].values,
    ).toHaveLength(3);
  });
});

describe('labels', () => {
  it('turns a TSB-AD style Label column into half-open intervals, not a series', async () => {
    const file = write('tsb.csv', 'Data,Label\n1,0\n2,1\n3,1\n4,0\n5,1\n');
    const table = await readFile(file);
    expect(table.columns.map((c) => c.name)).toEqual(['Data']);
    expect(table.labels).toEqual({
      column: 'Label',
      intervals: [
        { start: 1, end: 3 },
        { start: 4, end: 5 },
      ],
    });
  });

  it('reads MGAB style files: unnamed index ignored, is_ignored not a value', async () => {
    const file = write('mgab.csv', ',value,is_anomaly,is_ignored\n0,0.5,0,1\n1,0.6,1,0\n2,0.7,0,0\n');
    const preview = await previewFile(file);
    expect(preview.columns.map((c) => c.role)).toEqual(['ignore', 'value', 'label', 'ignore']);
    const table = await readFile(file);
    expect(table.columns.map((c) => c.name)).toEqual(['value']);
    expect(table.labels?.intervals).toEqual([{ start: 1, end: 2 }]);
  });

  it('honours labelColumn and valueColumns overrides', async () => {
    const file = write('override.csv', 'a,b,flag\n1,2,0\n3,4,1\n');
    const table = await readFile(file, { labelColumn: 'flag', valueColumns: ['b'] });
    expect(table.columns.map((c) => c.name)).toEqual(['b']);
    expect(table.labels?.intervals).toEqual([{ start: 1, end: 2 }]);
    const noLabel = await readFile(write('tsb2.csv', 'v,Label\n1,0\n2,1\n'), { labelColumn: null, valueColumns: ['v', 'Label'] });
    expect(noLabel.labels).toBeNull();
    expect(noLabel.columns).toHaveLength(2);
  });
});

describe('Parquet and JSON', () => {
  it('reads Parquet written by DuckDB, with a TIMESTAMP column', async () => {
    const file = path.join(dir, 'p.parquet');
    await duckdb(
      `COPY (SELECT TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (i) MINUTE AS ts, i * 0.5 AS v, CASE WHEN i = 3 THEN NULL ELSE i END AS w FROM range(5) t(i)) TO '${file}' (FORMAT parquet)`,
    );
    const preview = await previewFile(file);
    expect(preview).toMatchObject({
      format: 'parquet',
      timeColumn: 'ts',
      timeFormat: 'iso8601',
      valueColumns: ['v', 'w'],
      rowCountEstimate: 5,
    });
    const table = await readFile(file);
    expect(Array.from(table.time ?? [])).toEqual([0, 1, 2, 3, 4].map((i) => utc(2020, 1, 1, 0, i)));
    expect(Array.from(table.columns[0].values)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(table.columns[1].values[3]).toBeNaN();
  });

  it('reads a JSON array of records and NDJSON', async () => {
    const records = [
      { time: '2020-01-01T00:00:00Z', value: 1, label: 0 },
      { time: '2020-01-01T00:01:00Z', value: null, label: 1 },
      { time: '2020-01-01T00:02:00Z', value: 3, label: 0 },
    ];
    const json = write('r.json', JSON.stringify(records));
    const ndjson = write('r.ndjson', records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    for (const [file, format] of [
      [json, 'json'],
      [ndjson, 'ndjson'],
    ] as const) {
      expect((await previewFile(file)).format).toBe(format);
      const table = await readFile(file);
      expect(Array.from(table.time ?? [])).toEqual([utc(2020, 1, 1), utc(2020, 1, 1, 0, 1), utc(2020, 1, 1, 0, 2)]);
      expect(table.columns[0].values[0]).toBe(1);
      expect(table.columns[0].values[1]).toBeNaN();
      expect(table.labels?.intervals).toEqual([{ start: 1, end: 2 }]);
    }
  });

  it('names the record of the first non-numeric string in a JSON value column', async () => {
    const file = write('badjson.json', JSON.stringify([{ v: '1' }, { v: '2' }, { v: 'oops' }, { v: '4' }]));
    await expect(readFile(file, { valueColumns: ['v'] })).rejects.toMatchObject({
      code: 'parse_error',
      message: expect.stringMatching(/row 3, column "v": "oops" is not a number/),
    });
  });
});

describe('progress, cancellation, hashing', () => {
  const bigFile = () => {
    const lines = ['timestamp,a,b'];
    const t0 = utc(2021, 1, 1);
    for (let i = 0; i < 200_000; i++)
      lines.push(`${new Date(t0 + i * 1000).toISOString().slice(0, 19)},${i % 97},${(i * 0.25).toFixed(2)}`);
    return write('big.csv', lines.join('\n') + '\n');
  };

  it('reports progress up to 1 and reads every row', async () => {
    const file = bigFile();
    const events: ReadProgress[] = [];
    const table = await readFile(file, { progress: (p) => events.push(p) });
    expect(table.time?.length).toBe(200_000);
    expect(table.columns[1].values[199_999]).toBe(199_999 * 0.25);
    expect(events[0].fraction).toBe(0);
    expect(events[events.length - 1]).toEqual({ rows: 200_000, bytes: fs.statSync(file).size, fraction: 1 });
    for (let i = 1; i < events.length; i++) {
      expect(events[i].fraction).toBeGreaterThanOrEqual(events[i - 1].fraction);
      expect(events[i].rows).toBeGreaterThanOrEqual(events[i - 1].rows);
    }
  });

  it('stops with a cancelled error when aborted', async () => {
    const file = bigFile();
    const aborted = new AbortController();
    aborted.abort();
    await expect(readFile(file, { signal: aborted.signal })).rejects.toMatchObject({ code: 'cancelled' });
    const midway = new AbortController();
    await expect(readFile(file, { signal: midway.signal, progress: () => midway.abort() })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('hashes files as sha256 of their bytes', async () => {
    const file = write('h.csv', 'a\n1\n');
    expect(await hashFile(file)).toBe(createHash('sha256').update('a\n1\n').digest('hex'));
  });
});
