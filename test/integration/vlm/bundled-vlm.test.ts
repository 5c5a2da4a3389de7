import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerPlots,
  loadVlm,
  plotToGray,
  resolveVlm,
  synthWindow,
  type LoadedVlm,
  type VlmEntry,
} from '../../../main/inference/vlm';
import { listModels } from '../../../main/inference';
import { anomSeerPrompt, checkRationale, parseAnomSeer } from '../../../main/reasoning';
import { renderSeriesPlot } from '../../../main/render';
import { ProjectStore } from '../../../main/store';
import { rawDatabase } from '../../../main/store/testing';
import { generateSeries } from '../../../main/synth';
import { localVlmClient, runVlm, startVlmServer, type VlmServer } from '../../../main/vlm';
import { runCliAsync } from '../../helpers/cli';
import { makeTempDir, REPO_ROOT } from '../../helpers/tmp';

/**
 * The bundled VLM for real: its parity fixture (PyTorch's logits, checked here without Python), the
 * OpenAI protocol served by `tsad vlm-serve` and used by `tsad vlm`, and the bad inputs.
 */
let entry: VlmEntry;
let model: LoadedVlm;
let server: VlmServer;
let tmp: ReturnType<typeof makeTempDir>;

function plot(values: Float64Array, style: 'anomllm' | 'vlm4ts' = 'anomllm') {
  const p = renderSeriesPlot(values, { from: 0, to: values.length, style });
  return { png: p.png, prompt: anomSeerPrompt(values.length, Number(p.axis.yMin.toFixed(3)), Number(p.axis.yMax.toFixed(3))) };
}

beforeAll(async () => {
  tmp = makeTempDir('tsad-vlm-real-');
  entry = await resolveVlm('tsad-plot-vlm');
  model = await loadVlm(entry.dir);
  server = await startVlmServer({ model, token: 'serve-secret' });
});
afterAll(async () => {
  await server?.close();
  await model?.release();
  tmp.cleanup();
});

async function chat(body: unknown, token = 'serve-secret') {
  const res = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function request(png: Buffer, prompt: string, extra: Record<string, unknown> = {}) {
  return {
    model: 'tsad-plot-vlm',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
          { type: 'text', text: prompt },
        ],
      },
    ],
    ...extra,
  };
}

describe('the bundled VLM', () => {
  it('is within 30 MB, stays out of the window-model list, and matches its PyTorch parity fixture', async () => {
    const bytes = fs
      .readdirSync(entry.dir)
      .reduce((a, f) => a + (f.endsWith('.onnx') ? fs.statSync(path.join(entry.dir, f)).size : 0), 0);
    expect(bytes).toBeLessThan(30 * 1024 * 1024);
    const { models, problems } = await listModels();
    expect(models.map((m) => m.name)).not.toContain('tsad-plot-vlm');
    expect(problems.filter((p) => p.path.includes('tsad-plot-vlm'))).toEqual([]);
    const parity = JSON.parse(fs.readFileSync(path.join(entry.dir, 'parity.json'), 'utf8')) as {
      tolerance: number;
      cases: { window: number; imageSha256: string; tokens: number[]; logits: number[][]; classLogits?: number[] }[];
    };
    expect(parity.cases.length).toBeGreaterThan(0);
    for (const c of parity.cases) {
      const w = synthWindow(2, c.window);
      const gray = plotToGray(renderSeriesPlot(w.series.values, { from: 0, to: 1000, style: 'anomllm' }).png);
      // the same pixels PyTorch saw (the renderer and the luminance did not drift)
      expect(createHash('sha256').update(gray).digest('hex')).toBe(c.imageSha256);
      const logits = await model.stepLogits(gray, [1, ...c.tokens].slice(0, c.logits.length));
      let worst = 0;
      logits.forEach((row, s) => row.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - c.logits[s][k])))));
      expect(worst).toBeLessThanOrEqual(parity.tolerance);
      // the class head the card picks the class with (1.1.0 on)
      const head = await model.classLogits(gray);
      expect(head === null).toBe(c.classLogits === undefined);
      if (head && c.classLogits)
        c.classLogits.forEach((v, k) => expect(Math.abs(head[k] - v)).toBeLessThanOrEqual(parity.tolerance));
      const [greedy] = await model.generate([gray], { constrained: false });
      expect(greedy.tokens).toEqual(c.tokens);
    }
  });

  it('writes AnomSeer answers whose <think> the checker verifies, in window indices, mapped for short windows', async () => {
    const w = synthWindow(3, 1);
    const [a] = await answerPlots(model, [plot(w.series.values)]);
    const parsed = parseAnomSeer(a.text, 1000);
    expect(a.finishReason).toBe('stop');
    expect(parsed.reasoning).not.toBeNull();
    const report = checkRationale(
      parsed.reasoning!,
      w.series.values,
      parsed.intervals[0] ? { interval: parsed.intervals[0] } : {},
    );
    expect(report.contradicted).toBe(0);
    // a window shorter than the model's 1000-point frame: positions come back in its own indices, with a note
    const short = generateSeries({ length: 300, seed: 5, anomalies: 1, types: ['level-shift'] });
    const [s] = await answerPlots(model, [plot(short.values)]);
    expect(s.notes.join(' ')).toMatch(/rescaled from the model's 1000-point frame to 300 points/);
    for (const iv of parseAnomSeer(s.text, 300).intervals) expect(iv.end).toBeLessThanOrEqual(300);
  });
});

describe('vlm-serve (OpenAI chat completions on loopback)', () => {
  it('answers a plot, lists its model, refuses a wrong token without echoing it', async () => {
    const w = synthWindow(3, 2);
    const p = plot(w.series.values);
    const ok = await chat(request(p.png, p.prompt));
    expect(ok.status).toBe(200);
    const choice = (ok.json.choices as { message: { content: string }; finish_reason: string }[])[0];
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.content).toMatch(/^<think>[\s\S]*<\/think><answer>\[.*\]<\/answer><class>[a-z ]+<\/class>$/);
    const models = await fetch(`${server.url}/models`, { headers: { Authorization: 'Bearer serve-secret' } });
    expect(((await models.json()) as { data: { id: string }[] }).data[0].id).toBe(entry.id);
    const denied = await chat(request(p.png, p.prompt), 'wrong-token');
    expect(denied.status).toBe(401);
    expect(JSON.stringify(denied.json)).not.toContain('serve-secret');
  });

  it('bad input: wrong image size, a corrupt image, no image, a cut-off answer: clear errors or a note', async () => {
    const values = synthWindow(3, 4).series.values;
    const big = plot(values, 'vlm4ts');
    const wrong = await chat(request(big.png, big.prompt));
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.json)).toMatch(/1200×342 pixels; the model reads 1000×150/);
    const corrupt = await chat(request(Buffer.from('not a png at all'), 'x'));
    expect(corrupt.status).toBe(400);
    expect(JSON.stringify(corrupt.json)).toMatch(/not a readable PNG/);
    const none = await chat({ messages: [{ role: 'user', content: 'hello' }] });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.json)).toMatch(/exactly one image_url/);
    const p = plot(values);
    const cut = await chat(request(p.png, p.prompt, { max_tokens: 4 }));
    expect(cut.status).toBe(200);
    expect((cut.json.choices as { finish_reason: string }[])[0].finish_reason).toBe('length');
    expect(JSON.stringify(cut.json.tsad_notes)).toMatch(/cut off at the token budget of 4 tokens/);
  });

  it('a cut-off answer in a run is a recorded note, not a crash; a missing or corrupt model file is a clear error', async () => {
    const project = path.join(tmp.dir, 'cut.tsad.sqlite');
    const store = ProjectStore.create(project);
    store.insertDataset({
      name: 'd',
      sourcePath: null,
      sourceHash: null,
      sourceSize: null,
      time: null,
      columns: [{ name: 'v', values: generateSeries({ length: 1000, seed: 9, anomalies: 1 }).values }],
    });
    const local = localVlmClient(model);
    const runId = await runVlm(
      store,
      { ...local, complete: (req, signal) => local.complete({ ...req, maxTokens: 4 }, signal) },
      {
        format: 'anomseer',
      },
    );
    const run = store.runs.get(runId);
    expect(run.status).toBe('done');
    expect(JSON.stringify(run.execution)).toMatch(/cut off at the token budget/);
    store.close();

    const broken = path.join(tmp.dir, 'broken');
    fs.cpSync(entry.dir, broken, { recursive: true });
    fs.rmSync(path.join(broken, 'decoder.onnx'));
    await expect(loadVlm(broken)).rejects.toThrow(/Cannot read VLM file .*decoder\.onnx/);
    fs.writeFileSync(path.join(broken, 'decoder.onnx'), 'garbage');
    await expect(loadVlm(broken)).rejects.toThrow(/decoder\.onnx does not match its card/);
    const card = JSON.parse(fs.readFileSync(path.join(broken, 'card.json'), 'utf8')) as Record<string, unknown>;
    delete card.sha256;
    fs.writeFileSync(path.join(broken, 'card.json'), JSON.stringify(card));
    await expect(loadVlm(broken)).rejects.toThrow(/decoder\.onnx is not a loadable ONNX model/);
  });
});

describe('tsad vlm-serve + tsad vlm (the real model over HTTP, and in-process)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
  });

  it('stores the same predictions, with model rationales and provenance, over HTTP as in-process', async () => {
    const tokenFile = path.join(tmp.dir, 'token');
    fs.writeFileSync(tokenFile, 'cli-secret\n');
    const env = { ...process.env, TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/tsad.mjs'), 'vlm-serve', '--json', '--token-file', tokenFile], {
      cwd: REPO_ROOT,
      env,
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child!.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child!.on('exit', (code) => reject(new Error(`vlm-serve exited with ${code}: ${err}`)));
    });

    const series = generateSeries({ length: 1800, seed: 21, anomalies: 2 });
    const make = (name: string) => {
      const file = path.join(tmp.dir, name);
      const s = ProjectStore.create(file);
      s.insertDataset({
        name: 'd',
        sourcePath: null,
        sourceHash: null,
        sourceSize: null,
        time: null,
        columns: [{ name: 'v', values: series.values }],
      });
      s.close();
      return file;
    };
    const overHttp = make('http.tsad.sqlite');
    const r = await runCliAsync(
      ['vlm', overHttp, '--endpoint', url, '--model', 'tsad-plot-vlm', '--format', 'anomseer', '--json'],
      {
        TSAD_VLM_API_KEY: 'cli-secret',
        TSAD_STATE_DIR: path.join(tmp.dir, 'state'),
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const inProcess = make('local.tsad.sqlite');
    const l = await runCliAsync(['vlm', inProcess, '--model', 'vlm:tsad-plot-vlm', '--format', 'anomseer', '--json'], {
      TSAD_STATE_DIR: path.join(tmp.dir, 'state'),
    });
    expect(l.status, l.stderr).toBe(0);
    expect((JSON.parse(l.stdout) as { run: { detector: string } }).run.detector).toBe(`vlm:${entry.id}`);

    const read = (file: string) => {
      const s = ProjectStore.open(file);
      const run = s.runs.list()[0];
      const preds = s.runs.predictions({ runId: run.id }).map((p) => [p.start, p.end, p.type]);
      const db = rawDatabase(s);
      const rationales = db.prepare("SELECT text, source_detail FROM rationales WHERE source = 'model' ORDER BY start").all() as {
        text: string;
        source_detail: string;
      }[];
      const dump = JSON.stringify(db.prepare('SELECT * FROM runs').all()) + JSON.stringify(rationales);
      s.close();
      return { preds, rationales, dump };
    };
    const a = read(overHttp);
    const b = read(inProcess);
    expect(a.preds).toEqual(b.preds);
    expect(a.rationales.length).toBe(a.preds.length);
    for (const row of a.rationales) {
      const detail = JSON.parse(row.source_detail) as { model: string; rawOutput: string; prompt: string; imageSha256: string };
      expect(detail.model).toBe(entry.id);
      expect(detail.rawOutput).toMatch(/^<think>/);
      expect(detail.prompt).toContain('half-open');
      expect(detail.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(a.dump).not.toContain('cli-secret');
  }, 120_000);
});
