import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { WorkbenchError } from '../../../common/errors';
import { previewFile, readFile } from '../../../main/datasets/index';
import { makeTempDir, REPO_ROOT } from '../../helpers/tmp';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/datasets');
const fixture = (name: string) => path.join(FIXTURES, name);
const { dir, cleanup } = makeTempDir('tsad-datasets-bad-');
afterAll(cleanup);

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Runs `work`, expecting a WorkbenchError; returns it for closer checks. */
async function failure(work: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await work;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return err as WorkbenchError;
  }
  throw new Error('expected a WorkbenchError, got a result');
}

describe('bad input gives a clear WorkbenchError naming the file', () => {
  it('empty file', async () => {
    const file = fixture('empty.csv');
    const err = await failure(readFile(file));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe(`${file} is empty`);
  });

  it('header only', async () => {
    const err = await failure(previewFile(fixture('header-only.csv')));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/header-only\.csv has a header line but no data rows/);
    expect((await failure(readFile(fixture('header-only.csv')))).message).toMatch(/no data rows/);
  });

  it('binary garbage with a .csv name', async () => {
    const err = await failure(readFile(fixture('garbage.csv')));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/garbage\.csv looks binary, not like text \(NUL byte at offset 0\)/);
  });

  it('a row with too many fields (in the sampled rows)', async () => {
    const err = await failure(readFile(fixture('too-many-fields.csv')));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/too-many-fields\.csv: line 4 has 3 fields, expected 2 \(too many\)/);
    expect(err.details).toMatchObject({ line: 4, expected: 2, found: 3 });
  });

  it('a row with too few fields', async () => {
    const err = await failure(previewFile(fixture('too-few-fields.csv')));
    expect(err.message).toMatch(/too-few-fields\.csv: line 3 has 2 fields, expected 3 \(too few\)/);
  });

  it('a ragged row far beyond the sampled rows is caught by the reader, with its line', async () => {
    const lines = ['timestamp,v'];
    for (let i = 0; i < 8000; i++) lines.push(`${new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString()},${i}`);
    lines[7001] += ',extra';
    const file = write('late-ragged.csv', lines.join('\n') + '\n');
    const err = await failure(readFile(file));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/line 7002 has 3 fields, expected 2/);
  });

  it('non-numeric text in a value column names the row and column of the first bad cell', async () => {
    const err = await failure(readFile(fixture('non-numeric.csv')));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/non-numeric\.csv: line 6 \(row 5\), column "value": "abc" is not a number/);
    expect(err.details).toMatchObject({ line: 6, row: 5, column: 'value', value: 'abc' });
  });

  it('non-numeric text beyond the sampled rows', async () => {
    const lines = ['timestamp,v,w'];
    for (let i = 0; i < 9000; i++) lines.push(`${new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString()},${i},${i * 2}`);
    lines[8500] = lines[8500].replace(/,(\d+)$/, ',n/a!');
    const file = write('late-text.csv', lines.join('\n') + '\n');
    const err = await failure(readFile(file));
    expect(err.message).toMatch(/line 8501 \(row 8500\), column "w": "n\/a!" is not a number/);
  });

  it('a line with no line break longer than the bound (64 MiB file, default 2 MB bound)', async () => {
    const file = path.join(dir, 'one-line.csv');
    const fd = fs.openSync(file, 'w');
    const block = Buffer.alloc(1 << 20, 'x');
    fs.writeSync(fd, 'a,b\n1,');
    for (let i = 0; i < 64; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const err = await failure(previewFile(file));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/one-line\.csv: line 2 is longer than 2000000 bytes/);
    fs.rmSync(file);
  });

  it('a long line further down trips DuckDB with the bound given as an option', async () => {
    const lines = ['timestamp,v'];
    for (let i = 0; i < 3000; i++) lines.push(`2020-01-01T00:00:${String(i % 60).padStart(2, '0')},${i}`);
    const file = write('long-later.csv', lines.join('\n') + `\n2021-01-01T00:00:00,${'9'.repeat(5000)}\n`);
    const err = await failure(readFile(file, { maxLineBytes: 1000 }));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/long-later\.csv: line 3002 is longer than 1000 bytes/);
  });

  it('a missing timestamp names its line and row', async () => {
    const file = write('no-stamp.csv', 'ts,v\n2020-01-01,1\n,2\n2020-01-03,3\n');
    const err = await failure(readFile(file));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/no-stamp\.csv: line 3 \(row 2\), column "ts": has no timestamp/);
  });

  it('mixed time zones', async () => {
    const err = await failure(readFile(fixture('mixed-zones.csv')));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/mixed-zones\.csv: column "timestamp" mixes time zones.*data row 3/);
  });

  it('an all-empty column is a warning when other columns have values', async () => {
    const preview = await previewFile(fixture('all-empty-column.csv'));
    expect(preview.valueColumns).toEqual(['a']);
    expect(preview.warnings.join()).toMatch(/column "b" is empty/);
    const table = await readFile(fixture('all-empty-column.csv'), { valueColumns: ['a', 'b'] });
    expect(table.columns[1].values.every((v) => Number.isNaN(v))).toBe(true);
    expect(table.warnings.join()).toMatch(/column "b" has no values \(all missing\)/);
  });

  it('an all-empty file of values is an error', async () => {
    const err = await failure(readFile(fixture('all-empty-column.csv'), { valueColumns: ['b'] }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/every value column is empty/);
  });

  it('a file that disappears mid-import', async () => {
    const file = write('vanishing.csv', 'timestamp,v\n2020-01-01,1\n2020-01-02,2\n');
    const err = await failure(readFile(file, { progress: () => fs.rmSync(file, { force: true }) }));
    expect(err.code).toBe('io_error');
    expect(err.message).toContain('vanishing.csv');
  });

  it('a file that changes mid-import', async () => {
    const file = write('changing.csv', 'timestamp,v\n2020-01-01,1\n2020-01-02,2\n');
    let touched = false;
    const err = await failure(
      readFile(file, {
        progress: () => {
          if (touched) return;
          touched = true;
          fs.appendFileSync(file, '2020-01-03,3\n');
        },
      }),
    );
    expect(err.code).toBe('io_error');
    expect(err.message).toMatch(/changing\.csv changed while it was being imported/);
  });

  it('a Parquet file truncated in half', async () => {
    const file = path.join(dir, 'whole.parquet');
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT i AS v, i * 2.0 AS w FROM range(100000) t(i)) TO '${file}' (FORMAT parquet)`);
    connection.closeSync();
    const bytes = fs.readFileSync(file);
    const truncated = write('half.parquet', bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await failure(readFile(truncated));
    expect(err.code).toBe('parse_error');
    expect(err.message).toMatch(/half\.parquet is a truncated Parquet file/);
  });

  it('JSON that is not an array of records', async () => {
    const numbers = await failure(readFile(fixture('not-records.json')));
    expect(numbers.code).toBe('invalid_input');
    expect(numbers.message).toMatch(/not-records\.json is a JSON array of values, not of records/);
    const object = await failure(readFile(fixture('single-object.json')));
    expect(object.message).toMatch(/single-object\.json holds one JSON object, not an array of records/);
  });

  it('a non-existent path', async () => {
    const missing = path.join(dir, 'nope.csv');
    const err = await failure(readFile(missing));
    expect(err.code).toBe('not_found');
    expect(err.message).toBe(`no file at ${missing}`);
  });

  it('a directory', async () => {
    const err = await failure(previewFile(dir));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe(`${dir} is a directory, not a data file`);
  });

  it('unsupported formats say so plainly', async () => {
    const xlsx = write('book.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    const err = await failure(previewFile(xlsx));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/not supported/);
    const bz = write('data.csv.bz2', Buffer.from('BZh91AY&SY'));
    expect((await failure(previewFile(bz))).message).toMatch(/bzip2 compression is not supported/);
  });

  it('unknown column names in overrides', async () => {
    const file = write('ok.csv', 'timestamp,v\n2020-01-01,1\n2020-01-02,2\n');
    const err = await failure(readFile(file, { valueColumns: ['nope'] }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/no column named "nope"/);
  });
});
