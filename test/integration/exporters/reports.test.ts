import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProject, preferencePairs } from '../../../main/exporters';
import type { ProjectStore } from '../../../main/store';
import { makeTempDir } from '../../helpers/tmp';
import { buildProject } from './fixture';
import { rawDatabase } from '../../../main/store/testing';

let dir: string;
let cleanup: () => void;
let store: ProjectStore;
let tempId: number;

beforeAll(() => {
  ({ dir, cleanup } = makeTempDir('tsad-report-'));
  store = buildProject(dir);
  tempId = store.listSeries().find((s) => s.name === 'temp')!.id;
});
afterAll(() => {
  store.close();
  cleanup();
});

function addModelRationale(start: number, end: number, text: string): number {
  return Number(
    rawDatabase(store)
      .prepare(
        `INSERT INTO rationales(series_id, start, end, source, text, created_at) VALUES (?, ?, ?, 'model', ?, '2024-01-03T00:00:00Z')`,
      )
      .run(tempId, start, end, text).lastInsertRowid,
  );
}

describe('preference-jsonl', () => {
  it('exports zero pairs, and says so, when no model rationale is contradicted', async () => {
    const out = path.join(dir, 'pref-empty');
    const summary = await exportProject(store, 'preference-jsonl', {}, out);
    expect(summary.records).toBe(0);
    expect(summary.notes[0]).toMatch(/No pairs/);
    expect(fs.readFileSync(path.join(out, 'pairs.jsonl'), 'utf8')).toBe('');
  });

  it('pairs the analyst rationale with each overlapping model rationale the checker contradicts', async () => {
    const wrong = addModelRationale(95, 125, 'The interval [100, 120) lasts 35 points.');
    addModelRationale(100, 120, 'The interval [100, 120) lasts 20 points.'); // faithful: not a rejected candidate
    addModelRationale(400, 410, 'The interval [400, 410) lasts 3 points.'); // wrong, but no analyst text overlaps it
    const pairs = preferencePairs(store, [tempId], [{ from: 0, to: 600 }]);
    expect(pairs.map((p) => [p.start, p.end, p.rejectedId, p.contradicted])).toEqual([[100, 120, wrong, 1]]);
    const out = path.join(dir, 'pref');
    const summary = await exportProject(store, 'preference-jsonl', {}, out);
    expect(summary.records).toBe(1);
    const [line] = fs
      .readFileSync(path.join(out, 'pairs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            images: string[];
            chosen: { content: { text: string }[] }[];
            rejected: { content: { text: string }[] }[];
          },
      );
    expect(line.chosen[0].content[0].text).toMatch(/lasts 20 points/);
    expect(line.rejected[0].content[0].text).toMatch(/lasts 35 points/);
    expect(fs.readFileSync(path.join(out, line.images[0])).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('report-html', () => {
  it('is one self-contained file: a section per anomaly with inline plot, type, rationale, author and metrics', async () => {
    const out = path.join(dir, 'report.html');
    const summary = await exportProject(
      store,
      'report-html',
      { metrics: [{ run: 1, name: 'rolling-zscore', values: { 'VUS-PR': 0.4213, 'AUC-ROC': null } }], title: 'Plant <A> review' },
      out,
    );
    expect(summary.records).toBe(5);
    const html = fs.readFileSync(out, 'utf8');
    expect(html.match(/<section class="anomaly">/g)?.length).toBe(5);
    expect(html.match(/<img [^>]*src="data:image\/png;base64,/g)?.length).toBe(5);
    // no external resources of any kind
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html).not.toMatch(/url\(/);
    expect(html).toContain('Plant &lt;A&gt; review');
    expect(html).toContain('The level jumps by 5 inside [100, 120) lasts 20 points.');
    expect(html).toContain('<dt>labeled by</dt><dd>bob at ');
    // the accepted-then-reshaped label: accepted by alice from run 1, now 'edited'
    expect(html).toMatch(
      /<dt>origin<\/dt><dd>edited \(run 1\)<\/dd><dt>labeled by<\/dt><dd>alice at [^<]+<\/dd><dt>last changed by<\/dt><dd>alice/,
    );
    expect(html).toContain('<td>rolling-zscore (1)</td><td>0.4213</td><td>–</td>');
    expect(html).toContain('pump trip, &quot;B&quot; side');
  });
});
