import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit, StoredRationale } from '../../../common/contract';
import { Backend } from '../../../main/backend';
import { ProjectStore } from '../../../main/store';
import { runCliAsync } from '../../helpers/cli';
import { makeTempDir } from '../../helpers/tmp';
import { rawDatabase } from '../../../main/store/testing';

/**
 * TEST DOUBLE: a loopback server speaking the OpenAI chat-completions protocol (no model server runs
 * here). It answers every window with the same AnomSeer-format answer, and records what it was sent.
 */
let server: http.Server;
let baseUrl: string;
const seen: { auth?: string; hasImage: boolean; prompt: string }[] = [];
let tmp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  tmp = makeTempDir('tsad-vlm-');
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: { content: { type: string; text?: string }[] }[] };
      const parts = body.messages.at(-1)!.content;
      seen.push({
        auth: req.headers.authorization,
        hasImage: parts.some((p) => p.type === 'image_url'),
        prompt: parts.find((p) => p.type === 'text')?.text ?? '',
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          model: 'fake-vl',
          choices: [
            {
              message: { content: '<think>A jump near 100.</think><answer>[[100, 150]]</answer><class>shapelet</class>' },
              finish_reason: 'stop',
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  tmp.cleanup();
});

describe('tsad vlm (against the loopback test double)', () => {
  it('plots each window, parses the answers, maps them back to series indices, and stores provenance without the key', async () => {
    const project = path.join(tmp.dir, 'p.tsad.sqlite');
    const store = ProjectStore.create(project);
    store.insertDataset({
      name: 'd',
      sourcePath: null,
      sourceHash: null,
      sourceSize: null,
      time: null,
      columns: [{ name: 'v', values: new Float64Array(2000).map((_, i) => Math.sin(i / 30)) }],
    });
    store.close();
    const r = await runCliAsync(
      [
        'vlm',
        project,
        '--endpoint',
        baseUrl,
        '--model',
        'fake-vl',
        '--format',
        'anomseer',
        '--window',
        '1000',
        '--overlap',
        '200',
        '--json',
      ],
      {
        TSAD_VLM_API_KEY: 'sk-do-not-store',
        TSAD_STATE_DIR: path.join(tmp.dir, 'state'),
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const { run } = JSON.parse(r.stdout) as { run: { id: number; detector: string; predictionCount: number } };
    expect(run.detector).toBe('vlm:fake-vl');
    // windows [0,1000) [800,1800) [1000,2000): the answer [100,150) in each maps to 100, 900 and 1100
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.hasImage && s.auth === 'Bearer sk-do-not-store')).toBe(true);
    expect(seen[0].prompt).toContain('half-open');
    const after = ProjectStore.open(project);
    const preds = after.runs.predictions({ runId: run.id });
    expect(preds.map((p) => [p.start, p.end, p.type])).toEqual([
      [100, 150, 'shapelet'],
      [900, 950, 'shapelet'],
      [1100, 1150, 'shapelet'],
    ]);
    const rationales = rawDatabase(after).prepare('SELECT text, source, source_detail FROM rationales ORDER BY start').all() as {
      text: string;
      source: string;
      source_detail: string;
    }[];
    expect(rationales).toHaveLength(3);
    const detail = JSON.parse(rationales[1].source_detail) as Record<string, unknown>;
    expect(detail).toMatchObject({ model: 'fake-vl', format: 'anomseer', window: [800, 1800] });
    expect(String(detail.imageSha256)).toMatch(/^[0-9a-f]{64}$/);
    expect(String(detail.rawOutput)).toContain('<answer>');
    expect(rationales[0]).toMatchObject({ source: 'model', text: 'A jump near 100.' });
    const dump = JSON.stringify(rawDatabase(after).prepare('SELECT * FROM runs').all()) + JSON.stringify(rationales);
    expect(dump).not.toContain('sk-do-not-store');
    after.close();

    // the workbench shows what the model saw, and search finds the model's words and acts on its predictions
    const backend = new Backend({
      stateDir: path.join(tmp.dir, 'state2'),
      roots: [tmp.dir],
      resourcesDir: path.join(tmp.dir),
      version: 't',
    });
    try {
      expect((await backend.call('openProject', { path: project })).ok).toBe(true);
      const listed = await backend.call('listRationales', { seriesId: preds[1].seriesId, start: 850, end: 1000 });
      expect(listed.ok).toBe(true);
      const items = (listed as { ok: true; value: StoredRationale[] }).value;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        source: 'model',
        start: 900,
        end: 950,
        predictionId: preds[1].id,
        detail: { model: 'fake-vl', window: [800, 1800] },
      });
      expect(items[0].faithfulness.unverifiable).toBe(1); // "100" in "A jump near 100." is not tied to a range
      const hits = (await backend.call('searchProject', { query: 'jump' })) as { ok: true; value: SearchHit[] };
      expect(
        hits.value
          .filter((h) => h.kind === 'rationale')
          .map((h) => h.predictionId)
          .sort(),
      ).toEqual(preds.map((p) => p.id).sort());
      expect((await backend.call('reviewPredictions', { predictionIds: [preds[0].id], action: 'accept' })).ok).toBe(true);
      expect(
        (await backend.call('listLabels', { seriesId: preds[0].seriesId })) as { ok: true; value: { origin: string }[] },
      ).toMatchObject({
        value: [{ origin: 'accepted' }],
      });
    } finally {
      backend.close();
    }
  });
});
