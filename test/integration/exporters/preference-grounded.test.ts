import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProject, preferencePairs } from '../../../main/exporters';
import { checkRationale } from '../../../main/reasoning/faithfulness';
import type { ProjectStore } from '../../../main/store';
import { makeTempDir } from '../../helpers/tmp';
import { buildProject } from './fixture';
import { rawDatabase } from '../../../main/store/testing';

let dir: string;
let cleanup: () => void;
let store: ProjectStore;
let ecgId: number;

beforeAll(() => {
  ({ dir, cleanup } = makeTempDir('tsad-pref-grounded-'));
  store = buildProject(dir);
  ecgId = store.listSeries().find((s) => s.name === 'lead1')!.id;
});
afterAll(() => {
  store.close();
  cleanup();
});

describe('preference-jsonl without an analyst rationale', () => {
  it('chooses the evidence card of the label over a contradicted model rationale', async () => {
    // the ecg label [200, 260) has no analyst text; a model gets its duration wrong
    const wrong = Number(
      rawDatabase(store)
        .prepare(
          `INSERT INTO rationales(series_id, start, end, source, text, created_at) VALUES (?, 200, 260, 'model', 'The interval [200, 260) lasts 12 points.', '2024-01-03T00:00:00Z')`,
        )
        .run(ecgId).lastInsertRowid,
    );
    const labelsOnly = preferencePairs(store, [ecgId], [{ from: 0, to: 500 }]);
    expect(labelsOnly).toEqual([]); // without labels, the old behaviour: no analyst text, no pair
    const out = path.join(dir, 'pref');
    const summary = await exportProject(store, 'preference-jsonl', { seriesIds: [ecgId] }, out);
    expect(summary.records).toBe(1);
    expect(summary.notes.join(' ')).toMatch(/1 chosen text\(s\) are evidence cards/);
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
            meta: { chosenSource: string; labelId: number; rejectedRationale: number; start: number; end: number };
          },
      );
    expect(line.meta).toMatchObject({ chosenSource: 'evidence-engine', rejectedRationale: wrong, start: 200, end: 260 });
    expect(line.meta.labelId).toBe(store.listLabels(ecgId)[0].id);
    const chosen = line.chosen[0].content[0].text;
    expect(chosen).toMatch(/^Observation: The interval \[200, 260\) lasts 60 points/);
    // the chosen text is in series rows, the plot's axis: every claim checks out on the whole series
    const report = checkRationale(chosen, store.loadValues(ecgId), { interval: { start: 200, end: 260 } });
    expect(report.claims.filter((c) => c.status !== 'verified')).toEqual([]);
    expect(report.verified).toBeGreaterThan(3);
    expect(fs.existsSync(path.join(out, line.images[0]))).toBe(true);
  });
});
