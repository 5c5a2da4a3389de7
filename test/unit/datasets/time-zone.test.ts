import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from '../../../main/datasets/index';
import { runCli } from '../../helpers/cli';
import { makeTempDir } from '../../helpers/tmp';

// Local timestamps across a daylight-saving fall-back (Europe/Berlin, 2024-10-27: 03:00 CEST back to 02:00 CET)
// were refused as "not in order"; with a time zone they become UTC, the repeated hour placed by row order.
const tmp = makeTempDir('tsad-tz-');
afterAll(() => tmp.cleanup());
const pad = (n: number) => String(n).padStart(2, '0');
const local: string[] = [];
for (const [h, passes] of [
  [0, 1],
  [1, 1],
  [2, 2],
  [3, 1],
  [4, 1],
] as const)
  for (let pass = 0; pass < passes; pass++) for (let m = 0; m < 60; m += 15) local.push(`2024-10-27 ${pad(h)}:${pad(m)}:00`);
const file = path.join(tmp.dir, 'fall-back.csv');
fs.writeFileSync(file, `timestamp,value\n${local.map((t, i) => `${t},${i}`).join('\n')}\n`);

describe('a time zone for local timestamps', () => {
  it('without one, the repeated hour is refused as out of order (as before)', async () => {
    await expect(readFile(file)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('converts to UTC, resolves the repeated hour by row order, and says what it did', async () => {
    const table = await readFile(file, { timeZone: 'Europe/Berlin' });
    const t = Array.from(table.time ?? []);
    expect(t).toHaveLength(local.length);
    // 00:00 CEST is 22:00 UTC the day before; every step is 15 minutes, straight through the change
    expect(t[0]).toBe(Date.UTC(2024, 9, 26, 22, 0));
    for (let i = 1; i < t.length; i++) expect(t[i] - t[i - 1], `row ${i + 1}`).toBe(15 * 60_000);
    expect(t.at(-1)).toBe(Date.UTC(2024, 9, 27, 3, 45)); // 04:45 CET
    expect(table.warnings.join('\n')).toContain('local times in Europe/Berlin converted to UTC');
    expect(table.warnings.join('\n')).toMatch(
      /8 rows fell in a repeated hour \(clocks turned back on 2024-10-27\).*4 before the change, 4 after it/,
    );
  });

  it('refuses a time the zone skips, and an unknown zone', async () => {
    const gap = path.join(tmp.dir, 'spring.csv');
    fs.writeFileSync(gap, 'timestamp,value\n2024-03-31 01:30:00,1\n2024-03-31 02:30:00,2\n2024-03-31 03:30:00,3\n');
    await expect(readFile(gap, { timeZone: 'Europe/Berlin' })).rejects.toThrow(
      /data row 2: 2024-03-31 02:30 does not exist in Europe\/Berlin/,
    );
    await expect(readFile(file, { timeZone: 'Mars/Olympus' })).rejects.toThrow(/"Mars\/Olympus" is not an IANA time zone/);
  });

  it('is a flag on the CLI', () => {
    const r = runCli([
      'import',
      file,
      '--project',
      path.join(tmp.dir, 'p.tsad.sqlite'),
      '--time-zone',
      'Europe/Berlin',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: local.length });
  });
});
