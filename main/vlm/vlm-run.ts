import crypto from 'node:crypto';
import type { AnomalyType } from '../../common/domain';
import { throwIfAborted, WorkbenchError } from '../../common/errors';
import { OUTPUT_FORMATS, type OutputFormat } from '../reasoning/parsers';
import { renderSeriesPlot, windowsFor, type PlotStyle } from '../render';
import type { ProjectStore } from '../store';
import { redactSecrets } from '../security/redact';
import { type ChatClient, redact } from './openai-client';

/** What runVlm needs of a client: the OpenAI ChatClient, or the bundled model in-process (local-client.ts). */
export type ChatLike = Pick<ChatClient, 'endpoint' | 'complete'> & { engine?: string };

export interface VlmRunOptions {
  format: OutputFormat;
  style?: PlotStyle;
  windowSize?: number;
  overlap?: number;
  seriesIds?: number[];
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
  /** a run already recorded by createVlmRun (the app's runs panel returns its id before the job starts) */
  runId?: number;
}

function settings(store: ProjectStore, opts: VlmRunOptions) {
  const style = opts.style ?? (opts.format === 'vlm4ts' ? 'vlm4ts' : 'anomllm');
  const windowSize = opts.windowSize ?? 1000;
  const overlap = opts.overlap ?? Math.floor(windowSize / 5);
  const seriesIds = opts.seriesIds ?? store.listSeries().map((s) => s.id);
  return { style, windowSize, overlap, seriesIds };
}

/** Records a run of a vision-language model (status running) with its settings; runVlm({ runId }) then fills it. */
export function createVlmRun(store: ProjectStore, client: Pick<ChatLike, 'endpoint' | 'engine'>, opts: VlmRunOptions): number {
  const { style, windowSize, overlap, seriesIds } = settings(store, opts);
  return store.runs.create({
    detector: `vlm:${client.endpoint.model}`,
    detectorVersion: opts.format,
    params: { format: opts.format, style, windowSize, overlap },
    seriesIds,
    execution: {
      engine: client.engine ?? 'openai-compatible chat',
      endpoint: redact(client.endpoint.baseUrl),
      model: client.endpoint.model,
    },
  });
}

interface Found {
  start: number;
  end: number;
  score: number;
  type: AnomalyType | null;
  provenance: Record<string, unknown>;
  text: string;
}

/**
 * Asks a vision-language model about every window of every series: renders the window (never with
 * labels), sends the format's prompt with the image, parses the answer by the format's convention,
 * maps window indices back to the series, and stores a run with its predictions, a score lane (the
 * model's confidence where it flagged, 0 elsewhere) and one model rationale per interval with its
 * provenance: model, endpoint (credentials removed), prompt, image hash, window and raw output.
 */
export async function runVlm(store: ProjectStore, client: ChatLike, opts: VlmRunOptions): Promise<number> {
  const { style, windowSize, overlap, seriesIds } = settings(store, opts);
  const runId = opts.runId ?? createVlmRun(store, client, opts);
  const started = Date.now();
  // windows whose answer could not be used (cut off, unreadable): recorded on the run, the rest still counts
  const notes: string[] = [];
  try {
    const plan = seriesIds.map((id) => ({ id, windows: windowsFor(store.getSeries(id).length, windowSize, overlap) }));
    const total = plan.reduce((a, p) => a + p.windows.length, 0);
    let done = 0;
    for (const { id: seriesId, windows } of plan) {
      const values = store.loadValues(seriesId);
      const found: Found[] = [];
      for (const w of windows) {
        throwIfAborted(opts.signal, 'The model run');
        const local = values.subarray(w.start, w.end);
        const plot = renderSeriesPlot(local, { from: 0, to: local.length, style });
        const prompt = OUTPUT_FORMATS[opts.format].prompt(
          local.length,
          Number(plot.axis.yMin.toFixed(3)),
          Number(plot.axis.yMax.toFixed(3)),
        );
        const reply = await client.complete({ prompt, image: plot.png }, opts.signal);
        const where = `series ${seriesId} window [${w.start}, ${w.end})`;
        let parsed;
        try {
          parsed = OUTPUT_FORMATS[opts.format].parse(reply.text, local.length);
        } catch (err) {
          if (!(err instanceof WorkbenchError) || err.code !== 'parse_error') throw err;
          const cut = reply.finishReason === 'length' ? ' (cut off at the token budget)' : '';
          notes.push(`${where}: answer not used${cut}: ${err.message}`);
          opts.progress?.(++done / total);
          continue;
        }
        if (reply.finishReason === 'length') notes.push(`${where}: the answer reached the token budget; what it said was parsed`);
        const provenance = {
          model: reply.model,
          endpoint: redact(client.endpoint.baseUrl),
          format: opts.format,
          style,
          prompt,
          imageSha256: crypto.createHash('sha256').update(plot.png).digest('hex'),
          window: [w.start, w.end],
          // an endpoint may echo what it was sent, the key included: the project never stores it
          rawOutput: redactSecrets(reply.text),
          notes: parsed.notes.map(redactSecrets),
        };
        for (const iv of parsed.intervals) {
          found.push({
            start: w.start + iv.start,
            end: w.start + iv.end,
            score: iv.confidence !== undefined ? iv.confidence / 3 : 1,
            type: parsed.type,
            provenance,
            text: redactSecrets(iv.description ?? parsed.reasoning ?? reply.text),
          });
        }
        store.runs.heartbeat(runId); // a model answering slowly still shows its run alive
        opts.progress?.(++done / total);
      }
      // overlapping windows may report the same anomaly twice: merge overlaps, keep the best score
      found.sort((a, b) => a.start - b.start);
      const merged: Found[] = [];
      for (const f of found) {
        const last = merged[merged.length - 1];
        if (last && f.start < last.end) {
          last.end = Math.max(last.end, f.end);
          if (f.score > last.score) Object.assign(last, { score: f.score, type: f.type ?? last.type });
        } else merged.push({ ...f });
      }
      const lane = new Float32Array(values.length);
      for (const m of merged) for (let i = m.start; i < m.end; i++) lane[i] = Math.max(lane[i], m.score);
      store.runs.saveSeriesResult(
        runId,
        seriesId,
        lane,
        merged.map((m) => ({ start: m.start, end: m.end, score: m.score, type: m.type })),
      );
      const predictionIds = store.runs.predictions({ runId, seriesId }).map((p) => p.id);
      store.rationales.add(
        merged.map((m, k) => ({
          seriesId,
          start: m.start,
          end: m.end,
          predictionId: predictionIds[k],
          source: 'model',
          detail: m.provenance,
          type: m.type,
          text: m.text,
        })),
      );
    }
    store.runs.finish(runId, 'done', {
      timings: { total_s: (Date.now() - started) / 1000 },
      ...(notes.length > 0 ? { execution: { notes } } : {}),
    });
    return runId;
  } catch (err) {
    store.runs.finish(runId, opts.signal?.aborted ? 'cancelled' : 'failed', {
      error: (err as Error).message,
      timings: { total_s: (Date.now() - started) / 1000 },
    });
    throw err;
  }
}
