import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interval } from '../../../common/domain';
import { readFile } from '../../../main/datasets';
import { exportProject } from '../../../main/exporters';
import { groundNormal, SEGMENT_SEPARATOR, shiftPositions } from '../../../main/exporters/grounded';
import { CLAIM_PATTERNS, statClaim } from '../../../main/reasoning/claims';
import { summarize } from '../../../main/reasoning/evidence';
import { checkRationale } from '../../../main/reasoning/faithfulness';
import { parseAnomSeer, parseVlm4ts } from '../../../main/reasoning/parsers';
import { ProjectStore } from '../../../main/store';
import { makeTempDir, TEST_DATA } from '../../helpers/tmp';
import { rawDatabase } from '../../../main/store/testing';

const FILE = '001_NAB_id_1_Facility_tr_1007_1st_2014.csv';

let dir: string;
let cleanup: () => void;
let store: ProjectStore;
let seriesId: number;
/** the analyst's text of the first label, in series rows, and its figures */
let analystText: string;

function addAnalystRationale(iv: Interval, text: string): void {
  rawDatabase(store)
    .prepare(
      `INSERT INTO rationales(series_id, start, end, source, text, edited, created_at) VALUES (?, ?, ?, 'analyst', ?, 1, '2024-01-02T00:00:00Z')`,
    )
    .run(seriesId, iv.start, iv.end, text);
}

beforeAll(async () => {
  ({ dir, cleanup } = makeTempDir('tsad-sft-grounded-'));
  store = ProjectStore.create(path.join(dir, 'p.tsad.sqlite'));
  const t = await readFile(path.join(TEST_DATA, 'tsb-ad-sample', FILE));
  const { seriesIds } = store.insertDataset({
    name: t.name,
    sourcePath: t.sourcePath,
    sourceHash: t.sourceHash,
    sourceSize: t.sourceSize,
    time: t.time ?? null,
    columns: t.columns,
    labels: [{ series: null, intervals: t.labels?.intervals ?? [], type: 'level-shift' }],
  });
  seriesId = seriesIds[0];
  const values = store.loadValues(seriesId);
  const [first, , last] = store.listLabels(seriesId);
  // a faithful analyst text (series rows), whose context lies inside the window [1600, 2600)
  const inside = summarize(values, [first.start, first.end]);
  const before = summarize(values, [first.start - 100, first.start]);
  analystText = `Pump fault: the ${statClaim('mean', inside.mean!, first.start, first.end)} against the ${statClaim('mean', before.mean!, first.start - 100, first.start)}.`;
  addAnalystRationale(first, analystText);
  // an unfaithful one: must not reach the training data
  addAnalystRationale(last, `Level at mean 999 over [${last.start}, ${last.end}).`);
});
afterAll(() => {
  store.close();
  cleanup();
});

interface Manifest {
  split: string;
  line: number;
  seriesId: number;
  window: Interval;
  intervals: Interval[];
}

function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

function answers(out: string): { m: Manifest; answer: string }[] {
  const bySplit = new Map(
    ['train', 'validation', 'test'].map((s) => [
      s,
      readJsonl<{ messages: { content: { text?: string }[] }[] }>(path.join(out, `${s}.jsonl`)),
    ]),
  );
  return readJsonl<Manifest>(path.join(out, 'manifest.jsonl')).map((m) => ({
    m,
    answer: bySplit.get(m.split)![m.line - 1].messages[1].content[0].text!,
  }));
}

/** Every claim of a text verified on `values` (none contradicted or unverifiable), and at least `min` claims. */
function expectGrounded(text: string, values: Float64Array, interval: Interval | undefined, min: number): void {
  const report = checkRationale(text, values, interval ? { interval } : {});
  expect(
    report.claims.filter((c) => c.status !== 'verified'),
    text,
  ).toEqual([]);
  expect(report.verified).toBeGreaterThanOrEqual(min);
}

describe('grounded <think> in the SFT export', () => {
  it('every claim of every <think> checks out on its window, in window rows, and the answer parses back', async () => {
    const out = path.join(dir, 'sft');
    const summary = await exportProject(store, 'sft-jsonl', { sft: { answerFormat: 'anomseer', testShare: 0 } }, out);
    const records = answers(out);
    expect(records.length).toBe(summary.records);
    const values = store.loadValues(seriesId);
    let anomalies = 0;
    let normal = 0;
    for (const { m, answer } of records) {
      const w = values.subarray(m.window.start, m.window.end);
      const parsed = parseAnomSeer(answer, w.length);
      expect(parsed.intervals.map(({ start, end }) => ({ start, end }))).toEqual(m.intervals);
      const think = parsed.reasoning ?? '';
      expect(think).not.toBe('');
      // the claim grammar finds the measured statistics
      expect([...think.matchAll(CLAIM_PATTERNS.stat)].length).toBeGreaterThan(0);
      if (m.intervals.length === 0) {
        expectGrounded(think, w, undefined, 5);
        normal++;
      } else {
        const segments = think.split(SEGMENT_SEPARATOR);
        expect(segments.length).toBe(m.intervals.length);
        segments.forEach((seg, k) => expectGrounded(seg, w, m.intervals[k], 2));
        anomalies += segments.length;
      }
    }
    expect(anomalies).toBeGreaterThanOrEqual(3);
    expect(normal).toBeGreaterThanOrEqual(1);

    // the faithful analyst text is used, moved to window rows; the unfaithful one is replaced by the card
    const [first] = store.listLabels(seriesId);
    const holder = records.find((r) => r.m.window.start <= first.start - 100 && first.end <= r.m.window.end)!;
    const moved = shiftPositions(analystText, holder.m.window.start, holder.m.window.end - holder.m.window.start)!;
    expect(moved).toContain(`[${first.start - holder.m.window.start}, ${first.end - holder.m.window.start})`);
    expect(parseAnomSeer(holder.answer, 1000).reasoning).toContain(moved);
    expect(records.every((r) => !r.answer.includes('999'))).toBe(true);
    expect(summary.notes.join(' ')).toMatch(/stored rationale\(s\) replaced by the evidence card/);
  }, 60_000);

  it('vlm4ts descriptions carry the same window-local reasoning', async () => {
    const out = path.join(dir, 'sft-vlm4ts');
    await exportProject(store, 'sft-jsonl', { sft: { answerFormat: 'vlm4ts', testShare: 0 } }, out);
    const values = store.loadValues(seriesId);
    for (const { m, answer } of answers(out)) {
      const w = values.subarray(m.window.start, m.window.end);
      const parsed = parseVlm4ts(answer, w.length);
      expect(parsed.intervals.map(({ start, end }) => ({ start, end }))).toEqual(m.intervals);
      parsed.intervals.forEach((iv) => expectGrounded(iv.description ?? '', w, { start: iv.start, end: iv.end }, 2));
    }
  }, 60_000);
});

describe('shiftPositions', () => {
  it('moves every position form the checker reads, and nothing else', () => {
    const text =
      'The interval [1200, 1260) lasts 60 points; value 9.87 at index 1234; robust z-score 4.1 at index 1234 against [1100, 1200); ' +
      'between index 1210 and 1220, from index 1230 to 1240, inclusive [1250, 1259]; length-50 windows.';
    expect(shiftPositions(text, 1000, 1000)).toBe(
      'The interval [200, 260) lasts 60 points; value 9.87 at index 234; robust z-score 4.1 at index 234 against [100, 200); ' +
        'between index 210 and 220, from index 230 to 240, inclusive [250, 259]; length-50 windows.',
    );
  });

  it('refuses a text that names rows outside the window', () => {
    expect(shiftPositions('mean 3 over [900, 1100)', 1000, 1000)).toBeNull();
    expect(shiftPositions('value 3 at index 2001', 1000, 1000)).toBeNull();
    expect(shiftPositions('mean 3 over [1000, 2000)', 1000, 1000)).toBe('mean 3 over [0, 1000)');
  });
});

describe('groundNormal', () => {
  it('describes a window with missing values using only verified claims', () => {
    const v = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i / 7) + (i % 50 === 0 ? Number.NaN : 0));
    const text = groundNormal(v);
    expect(text).toMatch(/% missing over \[0, 300\)/);
    expectGrounded(text, v, undefined, 6);
  });
});
