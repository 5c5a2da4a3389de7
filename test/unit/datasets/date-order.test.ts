import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { previewFile, readFile } from '../../../main/datasets/index';
import { runCli } from '../../helpers/cli';
import { makeTempDir } from '../../helpers/tmp';

// Dates like 03/04/2024 were read month first without asking when no row had a day above 12.
const tmp = makeTempDir('tsad-date-order-');
afterAll(() => tmp.cleanup());
const file = path.join(tmp.dir, 'ambiguous.csv');
// days 01..12 of a month, written dd/mm/yyyy: every row reads both ways
fs.writeFileSync(
  file,
  `date,value\n${Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, '0')}/03/2024,${i}`).join('\n')}\n`,
);

describe('ambiguous day/month order', () => {
  it('is shown as a choice in the preview', async () => {
    const p = await previewFile(file);
    expect(p.dateOrderChoice).toEqual({ column: 'date', example: '01/03/2024', dayFirst: '%d/%m/%Y', monthFirst: '%m/%d/%Y' });
    expect(p.warnings.join()).toMatch(/read day first and month first alike/);
  });

  it('is required by the import, and the choice is honoured', async () => {
    await expect(readFile(file)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(
        /column "date": dates like "01\/03\/2024" can be read day first or month first.*--date-order/,
      ),
    });
    const dayFirst = await readFile(file, { dateOrder: 'day-first' });
    expect(dayFirst.time?.[1]).toBe(Date.UTC(2024, 2, 2));
    const monthFirst = await readFile(file, { dateOrder: 'month-first', unsortedTimestamps: 'keep' });
    expect(monthFirst.time?.[1]).toBe(Date.UTC(2024, 1, 3));
    // data that decides needs no choice
    const decided = path.join(tmp.dir, 'decided.csv');
    fs.writeFileSync(decided, 'date,value\n12/03/2024,1\n13/03/2024,2\n');
    expect((await previewFile(decided)).dateOrderChoice).toBeUndefined();
    expect((await readFile(decided)).time?.[1]).toBe(Date.UTC(2024, 2, 13));
  });

  it('is a flag on the CLI', () => {
    const project = path.join(tmp.dir, 'p.tsad.sqlite');
    const refused = runCli(['import', file, '--project', project]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/--date-order day-first\|month-first/);
    const ok = runCli(['import', file, '--project', project, '--date-order', 'day-first', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    const bad = runCli(['import', file, '--project', project, '--date-order', 'dmy']);
    expect(bad.stderr).toMatch(/--date-order must be one of day-first, month-first/);
  });
});
