import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from '../../../main/datasets/index';
import { makeTempDir } from '../../helpers/tmp';

// Defects a bad-input corpus found: each input imported silently or was reported without naming the problem.
const tmp = makeTempDir('tsad-bad-input-');
afterAll(() => tmp.cleanup());
function write(name: string, lines: string[]): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
const times = (n: number) => Array.from({ length: n }, (_, i) => 1_700_000_000 + 60 * i);

describe('bad input is named, not imported silently', () => {
  it('an unterminated quote says so and quotes the line, not the next line of data', async () => {
    const lines = ['t,value', ...times(60).map((t, i) => `${t},${i}`)];
    lines[40] = `${times(60)[39]},"12`;
    const file = write('quote.csv', lines);
    const err = await readFile(file).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain(`${file}: line 41: a quoted value is never closed`);
    expect(message).toContain(`"${times(60)[39]},\\"12"`);
    expect(message).not.toMatch(/line 41: \d+,\d+$/);
  });

  it('a column mixing epoch seconds and milliseconds is refused, naming the first row of each', async () => {
    const t = times(50).map((v, i) => (i < 20 ? v : v * 1000));
    const file = write('mixed-epoch.csv', ['timestamp,value', ...t.map((v, i) => `${v},${i}`)]);
    await expect(readFile(file)).rejects.toMatchObject({
      code: 'parse_error',
      message: expect.stringMatching(
        /column "timestamp" mixes epoch seconds and milliseconds: data row 1 holds 1700000000 \(seconds\), data row 21 holds 1700001200000 \(milliseconds\)/,
      ),
    });
    // an explicit unit reads the column in that unit (the analyst's choice)
    const table = await readFile(file, { timeFormat: 'epoch_ms', unsortedTimestamps: 'sort' });
    expect(table.time?.length).toBe(50);
    // an unnamed first column too
    const unnamed = write('mixed-epoch-unnamed.csv', ['t0,value', ...t.map((v, i) => `${v},${i}`)]);
    await expect(readFile(unnamed)).rejects.toThrow(/mixes epoch seconds and milliseconds/);
  });

  it('a label-named column that is not 0/1 says which values it found and that no labels were read', async () => {
    const file = write('labels-minus-one.csv', [
      't,value,label',
      ...times(30).map((t, i) => `${t},${i},${i % 10 === 0 ? 1 : -1}`),
    ]);
    const table = await readFile(file);
    expect(table.labels).toBeNull();
    expect(table.warnings.join('\n')).toMatch(
      /column "label" looks like a label column but holds the values -1, 1, not only 0 and 1: no labels were read from it \(imported as a value column\); give it as the label column \(CLI: --label-column label\)/,
    );
    const text = write('labels-text.csv', ['t,value,anomaly', ...times(30).map((t, i) => `${t},${i},${i === 3 ? 'yes' : 'no'}`)]);
    expect((await readFile(text)).warnings.join('\n')).toMatch(/column "anomaly" .* holds the values "no", "yes", .*\(ignored\)/);
    // given explicitly, the values other than 0/1 are listed with what was done
    const chosen = await readFile(file, { labelColumn: 'label' });
    expect(chosen.warnings.join('\n')).toMatch(/label column "label": 27 values other than 0 and 1 \(-1\) read as anomalous/);
  });
});
