import type { ExplainedInterval, StoredRationale } from '../../common/contract';
import type { Interval } from '../../common/domain';
import crypto from 'node:crypto';
import { renderSeriesPlot, type PlotStyle } from '../render';
import type { ProjectStore } from '../store';
import { buildCard } from './card';
import { computeEvidence, EVIDENCE_VERSION } from './evidence';
import { checkRationale } from './faithfulness';

/** Which runs flagged this interval (any overlapping prediction), for the evidence. */
function flaggedBy(store: ProjectStore, seriesId: number, iv: Interval): { detectorId: string; score: number }[] {
  const detectorOf = new Map(store.runs.list().map((r) => [r.id, r.detector]));
  const best = new Map<string, number>();
  for (const p of store.runs.predictions({ seriesId })) {
    if (p.start < iv.end && iv.start < p.end) {
      const id = detectorOf.get(p.runId) ?? `run-${p.runId}`;
      best.set(id, Math.max(best.get(id) ?? -Infinity, p.score ?? 0));
    }
  }
  return [...best].map(([detectorId, score]) => ({ detectorId, score })).sort((a, b) => a.detectorId.localeCompare(b.detectorId));
}

/** The card of an interval, with the faithfulness check of its text (the analyst's edit when one exists). */
export function explainInterval(store: ProjectStore, seriesId: number, iv: Interval): ExplainedInterval {
  const values = store.loadValues(seriesId);
  const card = buildCard(computeEvidence(values, iv, flaggedBy(store, seriesId, iv)), undefined, { values });
  const edit = store.rationales.analystEdit(seriesId, iv);
  const text = edit?.text ?? card.text;
  return {
    seriesId,
    start: iv.start,
    end: iv.end,
    type: card.type,
    confidence: card.confidence,
    rule: card.rule,
    parts: card.parts,
    claims: card.claims,
    text,
    source: edit ? 'analyst' : 'evidence-engine',
    edited: edit !== undefined,
    evidenceVersion: EVIDENCE_VERSION,
    faithfulness: checkRationale(text, values, { interval: iv }),
  };
}

/** Keeps the analyst's text for the interval (with the evidence it was written against) and returns the re-checked card. */
export function saveRationale(store: ProjectStore, seriesId: number, iv: Interval, text: string): ExplainedInterval {
  const values = store.loadValues(seriesId);
  const evidence = computeEvidence(values, iv, flaggedBy(store, seriesId, iv));
  const report = checkRationale(text, values, { interval: iv });
  store.rationales.add([
    {
      seriesId,
      start: iv.start,
      end: iv.end,
      source: 'analyst',
      text,
      evidence,
      reward: { verified: report.verified, contradicted: report.contradicted, unverifiable: report.unverifiable },
      edited: true,
    },
  ]);
  return explainInterval(store, seriesId, iv);
}

/** Model (and other non-analyst) rationales overlapping an interval, each re-checked against the data. */
export function listRationales(store: ProjectStore, seriesId: number, iv: Interval): StoredRationale[] {
  const values = store.loadValues(seriesId);
  const rows = store.rationales.overlapping(seriesId, iv);
  return rows.map((r) => {
    const window = modelWindow(r.detail, values.length);
    // a model wrote its answer in its window's own indices: it is checked on that window
    const faithfulness = window
      ? checkRationale(r.text, values.subarray(window[0], window[1]), {
          interval: { start: Math.max(0, r.start - window[0]), end: Math.min(window[1], r.end) - window[0] },
        })
      : checkRationale(r.text, values, { interval: { start: r.start, end: r.end } });
    return {
      id: r.id,
      seriesId: r.seriesId,
      start: r.start,
      end: r.end,
      predictionId: r.predictionId,
      source: r.source,
      detail: r.detail,
      type: r.type,
      text: r.text,
      faithfulness,
      ...(window && r.source === 'model' ? { seen: seenPlot(values, window, r.detail) } : {}),
    };
  });
}

/** The window [start, end) of the series a model answered about (its provenance), or null. */
function modelWindow(detail: Record<string, unknown>, length: number): [number, number] | null {
  const w = detail.window;
  if (!Array.isArray(w) || w.length !== 2) return null;
  const [a, b] = w as unknown[];
  return Number.isInteger(a) &&
    Number.isInteger(b) &&
    (a as number) >= 0 &&
    (b as number) <= length &&
    (a as number) < (b as number)
    ? [a as number, b as number]
    : null;
}

/**
 * The plot the model was sent, drawn again from the stored series (the project keeps the image's hash, not
 * the image): the same renderer and style, so the hash says whether it is exactly what the model saw.
 */
function seenPlot(values: Float64Array, window: [number, number], detail: Record<string, unknown>) {
  const style: PlotStyle = detail.style === 'vlm4ts' ? 'vlm4ts' : 'anomllm';
  const local = values.subarray(window[0], window[1]);
  const plot = renderSeriesPlot(local, { from: 0, to: local.length, style });
  const sha = crypto.createHash('sha256').update(plot.png).digest('hex');
  return {
    image: `data:image/png;base64,${plot.png.toString('base64')}`,
    imageMatches: typeof detail.imageSha256 === 'string' ? detail.imageSha256 === sha : null,
  };
}
