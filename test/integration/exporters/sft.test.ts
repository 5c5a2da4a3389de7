import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interval } from '../../../common/domain';
import { readFile } from '../../../main/datasets';
import { exportProject, splitSeries } from '../../../main/exporters';
import { parseAnomLlm, parseAnomSeer, parseVlm4ts } from '../../../main/reasoning/parsers';
import { ProjectStore } from '../../../main/store';
import { makeTempDir, TEST_DATA } from '../../helpers/tmp';

const FILES = ['001_NAB_id_1_Facility_tr_1007_1st_2014.csv', '277_NEK_id_1_WebService_tr_500_1st_17.csv'];

let dir: string;
let cleanup: () => void;
let store: ProjectStore;
let bare: ProjectStore;

beforeAll(async () => {
  ({ dir, cleanup } = makeTempDir('tsad-sft-'));
  store = ProjectStore.create(path.join(dir, 'p.tsad.sqlite'));
  bare = ProjectStore.create(path.join(dir, 'bare.tsad.sqlite'));
  for (const f of FILES) {
    const t = await readFile(path.join(TEST_DATA, 'tsb-ad-sample', f));
    const base = {
      name: t.name,
      sourcePath: t.sourcePath,
      sourceHash: t.sourceHash,
      sourceSize: t.sourceSize,
      time: t.time ?? null,
      columns: t.columns,
    };
    store.insertDataset({ ...base, labels: [{ series: null, intervals: t.labels?.intervals ?? [], type: 'level-shift' }] });
    bare.insertDataset(base);
  }
});
afterAll(() => {
  store.close();
  bare.close();
  cleanup();
});

/** Reference: the labeled rows of a window as a 0/1 mask, read back as runs (window-local, half-open). */
function expectedIntervals(labels: Interval[], start: number, end: number): Interval[] {
  const mask = new Uint8Array(end - start);
  for (const l of labels) for (let i = l.start; i < l.end; i++) if (i >= start && i < end) mask[i - start] = 1;
  const out: Interval[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] && (i === 0 || !mask[i - 1])) out.push({ start: i, end: i });
    if (mask[i]) out[out.length - 1].end = i + 1;
  }
  return out;
}

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

interface ManifestLine {
  split: string;
  line: number;
  seriesId: number;
  window: Interval;
  image: string;
}

function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

describe('SFT JSONL from the shared TSB-AD sample', () => {
  const formats = [
    { format: 'anomseer', parse: parseAnomSeer, size: [1000, 150] },
    { format: 'anomllm', parse: parseAnomLlm, size: [1000, 150] },
    { format: 'vlm4ts', parse: parseVlm4ts, size: [1200, 342] },
  ] as const;
  for (const f of formats) {
    it(`${f.format}: every answer parses back to the labels of its window`, async () => {
      const out = path.join(dir, `sft-${f.format}`);
      const summary = await exportProject(
        store,
        'sft-jsonl',
        { sft: { answerFormat: f.format, windowSize: 1000, overlap: 200, validationShare: 0, testShare: 0.5 } },
        out,
      );
      const manifest = readJsonl<ManifestLine>(path.join(out, 'manifest.jsonl'));
      // 4031 rows → windows of 1000 stepping 800: 5 windows; 1073 rows → 2 windows
      expect(manifest.length).toBe(7);
      expect(summary.records).toBe(7);
      const bySplit = new Map<string, Record<string, unknown>[]>();
      for (const split of ['train', 'validation', 'test']) bySplit.set(split, readJsonl(path.join(out, `${split}.jsonl`)));
      let anomalies = 0;
      for (const m of manifest) {
        const record = bySplit.get(m.split)![m.line - 1] as {
          messages: { role: string; content: { type: string; text?: string; image?: string }[] }[];
        };
        expect(record.messages[0].content[0]).toEqual({ type: 'image', image: m.image });
        const answer = record.messages[1].content[0].text as string;
        const labels = store.listLabels(m.seriesId);
        const parsed = f.parse(answer, m.window.end - m.window.start);
        const expected = expectedIntervals(labels, m.window.start, m.window.end);
        expect(parsed.intervals.map(({ start, end }) => ({ start, end }))).toEqual(expected);
        expect(parsed.notes).toEqual([]);
        if (f.format === 'anomseer') expect(parsed.type).toBe(expected.length > 0 ? 'level-shift' : null);
        anomalies += expected.length;
        expect(pngSize(path.join(out, m.image))).toEqual(f.size);
      }
      expect(anomalies).toBeGreaterThan(3);
      // split by series: no series in two splits
      const splitOf = new Map<number, Set<string>>();
      for (const m of manifest) splitOf.set(m.seriesId, (splitOf.get(m.seriesId) ?? new Set()).add(m.split));
      expect([...splitOf.values()].every((s) => s.size === 1)).toBe(true);
      expect(new Set(manifest.map((m) => m.split))).toEqual(new Set(['train', 'test']));
      expect(summary.notes.some((n) => /went to train/.test(n))).toBe(false);
    }, 30_000);
  }

  it('says so when the shares round to no held-out series', async () => {
    // two series, 10 % each for validation and test: both round to zero series
    const out = path.join(dir, 'sft-all-train');
    const summary = await exportProject(store, 'sft-jsonl', { sft: { windowSize: 1000 }, dryRun: true }, out);
    expect(fs.existsSync(out)).toBe(false);
    expect(summary.notes.some((n) => /All 2 series went to train/.test(n))).toBe(true);
  });

  it('images are the same bytes whether or not the project holds labels', async () => {
    const a = path.join(dir, 'sft-anomseer');
    const b = path.join(dir, 'sft-bare');
    await exportProject(
      bare,
      'sft-jsonl',
      { sft: { answerFormat: 'anomseer', windowSize: 1000, overlap: 200, validationShare: 0, testShare: 0.5 } },
      b,
    );
    const images = fs.readdirSync(path.join(a, 'images')).sort();
    expect(fs.readdirSync(path.join(b, 'images')).sort()).toEqual(images);
    for (const img of images)
      expect(fs.readFileSync(path.join(a, 'images', img)).equals(fs.readFileSync(path.join(b, 'images', img)))).toBe(true);
    // and the bare project's answers say "no anomaly", with the window's measured description as the reasoning
    const lines = [
      ...readJsonl<{ messages: { content: { text?: string }[] }[] }>(path.join(b, 'train.jsonl')),
      ...readJsonl<{ messages: { content: { text?: string }[] }[] }>(path.join(b, 'test.jsonl')),
    ];
    for (const l of lines)
      expect(l.messages[1].content[0].text).toMatch(
        /^<think>Observation: The window \[0, (\d+)\) lasts \1 points\.[^<]+<\/think><answer>\[\]<\/answer><class>normal<\/class>$/,
      );
  }, 30_000);

  it('sharegpt and qwen-vl dialects carry the image and the same answer', async () => {
    const out = path.join(dir, 'sft-sharegpt');
    await exportProject(
      store,
      'sft-jsonl',
      { seriesIds: [store.listSeries()[1].id], sft: { dialect: 'sharegpt', answerFormat: 'anomllm', windowSize: 2000 } },
      out,
    );
    const [rec] = readJsonl<{ messages: { role: string; content: string }[]; images: string[] }>(path.join(out, 'train.jsonl'));
    expect(rec.messages[0].content.startsWith('<image>')).toBe(true);
    expect(fs.existsSync(path.join(out, rec.images[0]))).toBe(true);
    expect(parseAnomLlm(rec.messages[1].content, 1073).intervals.map(({ start, end }) => ({ start, end }))).toEqual(
      expectedIntervals(store.listLabels(store.listSeries()[1].id), 0, 1073),
    );
    const info = JSON.parse(fs.readFileSync(path.join(out, 'dataset_info.json'), 'utf8')) as Record<
      string,
      { formatting: string }
    >;
    expect(info.tsad_train.formatting).toBe('sharegpt');

    const q = path.join(dir, 'sft-qwen');
    await exportProject(
      store,
      'sft-jsonl',
      { seriesIds: [store.listSeries()[1].id], sft: { dialect: 'qwen-vl', answerFormat: 'vlm4ts', windowSize: 2000 } },
      q,
    );
    const [qr] = readJsonl<{ image: string; conversations: { from: string; value: string }[] }>(path.join(q, 'train.jsonl'));
    expect(qr.conversations.map((c) => c.from)).toEqual(['human', 'gpt']);
    expect(parseVlm4ts(qr.conversations[1].value, 1073).intervals.map(({ start, end }) => ({ start, end }))).toEqual(
      expectedIntervals(store.listLabels(store.listSeries()[1].id), 0, 1073),
    );
  }, 30_000);

  it('the split is seeded and proportional', () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const a = splitSeries(ids, 7, 0.1, 0.2);
    expect(splitSeries([...ids].reverse(), 7, 0.1, 0.2)).toEqual(a);
    const counts = { train: 0, validation: 0, test: 0 };
    for (const s of a.values()) counts[s]++;
    expect(counts).toEqual({ train: 14, validation: 2, test: 4 });
    expect([...splitSeries(ids, 8, 0.1, 0.2)]).not.toEqual([...a]);
  });
});
