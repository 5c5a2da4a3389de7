import type { ExplainedInterval, StoredRationale } from '../../common/contract';
import type { Interval } from '../../common/domain';
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
  return rows.map((r) => ({
    id: r.id,
    seriesId: r.seriesId,
    start: r.start,
    end: r.end,
    predictionId: r.predictionId,
    source: r.source,
    detail: r.detail,
    type: r.type,
    text: r.text,
    faithfulness: checkRationale(r.text, values, { interval: { start: r.start, end: r.end } }),
  }));
}
