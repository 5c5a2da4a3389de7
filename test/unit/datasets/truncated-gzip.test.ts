import fs from 'node:fs';
import path from 'node:path';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from '../../../main/datasets/index';
import { makeTempDir } from '../../helpers/tmp';

// A .csv.gz cut short (an interrupted download or copy) imported the rows before the cut without a word.
const tmp = makeTempDir('tsad-gz-');
afterAll(() => tmp.cleanup());

// more than the 1 MiB the preview decompresses, so the cut lies beyond what the preview sees
const rows = 200_000;
const text = `t,value\n${Array.from({ length: rows }, (_, i) => `${1_700_000_000 + i},${(i % 97) * 0.25}`).join('\n')}\n`;
const whole = gzipSync(Buffer.from(text));

describe('a truncated .csv.gz', () => {
  it('reads completely when whole', async () => {
    const file = path.join(tmp.dir, 'whole.csv.gz');
    fs.writeFileSync(file, whole);
    expect((await readFile(file)).columns[0].values.length).toBe(rows);
  });

  for (const share of [0.5, 0.9, 0.999]) {
    it(`is refused when cut at ${share * 100}% of its bytes, naming the file and how much it held`, async () => {
      const file = path.join(tmp.dir, `cut-${share}.csv.gz`);
      fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length * share)));
      const err = await readFile(file).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; details: { lines: number; truncated: boolean } },
      );
      expect(err, 'imported without a word').not.toBeNull();
      expect(err?.code).toBe('parse_error');
      expect(err?.message).toContain(file);
      expect(err?.message).toMatch(/is cut short: .* complete lines\) without its end, so the file was truncated/);
      expect(err?.details.truncated).toBe(true);
      expect(err?.details.lines).toBeGreaterThan(0);
      expect(err?.details.lines).toBeLessThan(rows + 1);
    });
  }

  it('is refused when the cut falls exactly at a line end (every row read parses)', async () => {
    const half = text.slice(0, text.indexOf('\n', text.length / 2) + 1);
    // a gzip header and the first half deflated with a sync flush: a clean stream, no last block, no trailer
    const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    const body = deflateRawSync(Buffer.from(half), { finishFlush: constants.Z_SYNC_FLUSH });
    const file = path.join(tmp.dir, 'cut-at-line.csv.gz');
    fs.writeFileSync(file, Buffer.concat([header, body]));
    await expect(readFile(file)).rejects.toThrow(
      new RegExp(`is cut short: .*\\(${(half.split('\n').length - 1).toLocaleString('en-US')} complete lines\\)`),
    );
  });

  it('is refused when its data is damaged (CRC mismatch)', async () => {
    const file = path.join(tmp.dir, 'crc.csv.gz');
    const bad = Buffer.from(whole);
    bad[bad.length - 6] ^= 0xff; // inside the CRC32 trailer
    fs.writeFileSync(file, bad);
    await expect(readFile(file)).rejects.toThrow(/is damaged: .*nothing was imported/);
  });
});
