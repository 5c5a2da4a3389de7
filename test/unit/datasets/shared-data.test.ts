/**
 * readFile on every data file in test/fixtures/data (public NAB, MGAB and TSB-AD files, what `tsad import` will meet): row counts against a line
 * count, label intervals against a naive run count, NAB windows against a string-compare reference.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFile, readNabLabels } from '../../../main/datasets/index';
import { TEST_DATA } from '../../helpers/tmp';

function csvFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.csv')) out.push(full);
    }
  };
  walk(folder);
  return out.sort();
}

/** Data lines: non-empty lines after the header. */
function dataLines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '');
}

/** Naive: count maximal runs of "1" in the given column of a simple comma file. */
function naiveRunCount(file: string, column: string): number {
  const [header, ...rest] = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const j = header.split(',').indexOf(column);
  let runs = 0;
  let previous = '0';
  for (const line of rest) {
    const cell = line.split(',')[j];
    if (cell === '1' && previous !== '1') runs++;
    previous = cell;
  }
  return runs;
}

describe('every file in test/fixtures/data', () => {
  const windowsPath = path.join(TEST_DATA, 'nab/labels/combined_windows.json');

  it('NAB data files: rows, UTC times and label windows', async () => {
    const windows = JSON.parse(fs.readFileSync(windowsPath, 'utf8')) as Record<string, [string, string][]>;
    const files = csvFiles(path.join(TEST_DATA, 'nab/data'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    let totalWindows = 0;
    let expectedWindows = 0;
    let refused = 0;
    let irregularFiles = 0;
    for (const file of files) {
      const lines = dataLines(file);
      // Some NAB files repeat or step back timestamps (clock changes): refused unless a choice is made.
      const stamps = lines.map((l) => l.split(',')[0]);
      const irregular = stamps.some((t, k) => k > 0 && t <= stamps[k - 1]);
      if (irregular) {
        irregularFiles++;
        await expect(readFile(file), file).rejects.toMatchObject({ code: 'invalid_input' });
        refused++;
      }
      const table = await readFile(file, { unsortedTimestamps: 'sort', duplicateTimestamps: 'keep' });
      expect(table.time?.length, file).toBe(lines.length);
      expect(table.columns.map((c) => c.name)).toEqual(['value']);
      // Reference: NAB timestamps are fixed-width text, so string order is time order.
      stamps.sort();
      expect(table.time?.[0], file).toBe(Date.parse(`${stamps[0].replace(' ', 'T')}Z`));
      expect(table.time?.[stamps.length - 1], file).toBe(Date.parse(`${stamps[stamps.length - 1].replace(' ', 'T')}Z`));

      const key = path.relative(path.join(TEST_DATA, 'nab/data'), file).split(path.sep).join('/');
      const intervals = readNabLabels(windowsPath, key, table.time ?? new Float64Array());
      expect(intervals.length, key).toBe(windows[key].length);
      totalWindows += intervals.length;
      expectedWindows += windows[key].length;
      windows[key].forEach(([start, end], i) => {
        const s = start.slice(0, 19);
        const e = end.slice(0, 19);
        const first = stamps.findIndex((t) => t >= s);
        let last = -1;
        stamps.forEach((t, k) => {
          if (t <= e) last = k;
        });
        expect(intervals[i], `${key} window ${i}`).toEqual({ start: first, end: last + 1 });
      });
    }
    expect(totalWindows).toBe(expectedWindows);
    expect(totalWindows).toBeGreaterThan(10);
    expect(refused).toBe(irregularFiles);
    expect(refused).toBeGreaterThanOrEqual(3);
  });

  it('MGAB files: every row, index column ignored, each anomaly an interval', async () => {
    const files = csvFiles(path.join(TEST_DATA, 'mgab'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const file of files) {
      const table = await readFile(file);
      expect(table.time).toBeNull();
      expect(table.columns.map((c) => c.name)).toEqual(['value']);
      expect(table.columns[0].values.length).toBe(dataLines(file).length);
      expect(table.labels?.column).toBe('is_anomaly');
      expect(table.labels?.intervals.length, file).toBe(naiveRunCount(file, 'is_anomaly'));
      expect(table.labels?.intervals.length).toBeGreaterThan(0);
    }
  });

  it('TSB-AD files, including the 25-channel SMAP one', async () => {
    const folder = path.join(TEST_DATA, 'tsb-ad-sample');
    const series = csvFiles(folder).filter((f) => !f.endsWith('uni_mergedTable_VUS-PR.csv'));
    expect(series).toHaveLength(3);
    for (const file of series) {
      const table = await readFile(file);
      const rows = dataLines(file).length;
      const header = fs.readFileSync(file, 'utf8').split('\n')[0].split(',');
      expect(table.columns.map((c) => c.name)).toEqual(header.slice(0, -1));
      for (const column of table.columns) expect(column.values.length).toBe(rows);
      expect(table.labels?.column).toBe('Label');
      expect(table.labels?.intervals.length, file).toBe(naiveRunCount(file, 'Label'));
      expect(table.labels?.intervals.length).toBeGreaterThan(0);
    }
    const smap = await readFile(path.join(folder, '107_SMAP_E-9_2075_5550.csv'));
    expect(smap.columns).toHaveLength(25);
  });

  it('the TSB-AD results table reads as numeric columns with the file names ignored', async () => {
    const file = path.join(TEST_DATA, 'tsb-ad-sample/uni_mergedTable_VUS-PR.csv');
    const table = await readFile(file);
    const header = fs.readFileSync(file, 'utf8').split('\n')[0].split(',');
    expect(table.columns.map((c) => c.name)).toEqual(header.slice(1));
    expect(table.columns[0].values.length).toBe(dataLines(file).length);
  });
});
