import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFileInWorker } from '../../../main/datasets/hash';
import { readNabLabels } from '../../../main/datasets/index';
import { makeTempDir } from '../../helpers/tmp';

const { dir, cleanup } = makeTempDir('tsad-datasets-nab-');
afterAll(cleanup);

const windowsFile = path.join(dir, 'windows.json');
fs.writeFileSync(
  windowsFile,
  JSON.stringify({
    'group/a.csv': [
      ['2020-01-01 00:10:00.000000', '2020-01-01 00:20:00.000000'],
      ['2020-01-01 00:00:00.000000', '2020-01-01 00:04:59.000000'],
    ],
    'group/empty.csv': [],
    'group/outside.csv': [['2021-01-01 00:00:00.000000', '2021-01-02 00:00:00.000000']],
    'group/bad.csv': [['yesterday', 'today']],
  }),
);

// One row every 5 minutes from 2020-01-01 00:00 UTC: rows 0..9.
const time = Float64Array.from({ length: 10 }, (_, i) => Date.UTC(2020, 0, 1, 0, 5 * i));

describe('readNabLabels', () => {
  it('maps inclusive local-time windows to half-open row intervals, sorted', () => {
    // 00:10..00:20 covers rows 2, 3, 4; 00:00..00:04:59 covers row 0 only.
    expect(readNabLabels(windowsFile, 'group/a.csv', time)).toEqual([
      { start: 0, end: 1 },
      { start: 2, end: 5 },
    ]);
  });

  it('returns no intervals for a file without windows or with windows beyond the data', () => {
    expect(readNabLabels(windowsFile, 'group/empty.csv', time)).toEqual([]);
    expect(readNabLabels(windowsFile, 'group/outside.csv', time)).toEqual([]);
  });

  it('refuses unknown keys, bad windows and missing files clearly', () => {
    expect(() => readNabLabels(windowsFile, 'group/none.csv', time)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => readNabLabels(windowsFile, 'group/bad.csv', time)).toThrow(/window 0 for "group\/bad.csv"/);
    expect(() => readNabLabels(path.join(dir, 'nope.json'), 'x', time)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('hashFileInWorker', () => {
  it('matches sha256 of the bytes, and reports a missing file', async () => {
    const file = path.join(dir, 'data.bin');
    const bytes = Buffer.alloc(3 << 20, 7);
    fs.writeFileSync(file, bytes);
    expect(await hashFileInWorker(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
    await expect(hashFileInWorker(path.join(dir, 'missing.bin'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
