import type { ExplainedInterval, StoredRationale } from '../../common/contract';
import type { AnomalyType, Interval } from '../../common/domain';
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

interface AnalystEdit {
  id: number;
  text: string;
}

function storedEdit(store: ProjectStore, seriesId: number, iv: Interval): AnalystEdit | undefined {
  return store.db
    .prepare(
      "SELECT id, text FROM rationales WHERE series_id = ? AND start = ? AND end = ? AND source = 'analyst' ORDER BY id DESC LIMIT 1",
    )
    .get(seriesId, iv.start, iv.end) as AnalystEdit | undefined;
}

/** The card of an interval, with the faithfulness check of its text (the analyst's edit when one exists). */
export function explainInterval(store: ProjectStore, seriesId: number, iv: Interval): ExplainedInterval {
  const values = store.loadValues(seriesId);
  const card = buildCard(computeEvidence(values, iv, flaggedBy(store, seriesId, iv)));
  const edit = storedEdit(store, seriesId, iv);
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
  store.db
    .prepare(
      `INSERT INTO rationales(series_id, start, end, source, source_detail, anomaly_type, text, evidence, reward, edited, created_at)
       VALUES (?, ?, ?, 'analyst', '{}', NULL, ?, ?, ?, 1, ?)`,
    )
    .run(
      seriesId,
      iv.start,
      iv.end,
      text,
      JSON.stringify(evidence),
      JSON.stringify({ verified: report.verified, contradicted: report.contradicted, unverifiable: report.unverifiable }),
      new Date().toISOString(),
    );
  return explainInterval(store, seriesId, iv);
}

/** Model (and other non-analyst) rationales overlapping an interval, each re-checked against the data. */
export function listRationales(store: ProjectStore, seriesId: number, iv: Interval): StoredRationale[] {
  const values = store.loadValues(seriesId);
  const rows = store.db
    .prepare(
      `SELECT id, series_id, start, end, prediction_id, source, source_detail, anomaly_type, text FROM rationales
       WHERE series_id = ? AND start < ? AND end > ? AND source != 'analyst' ORDER BY start, id`,
    )
    .all(seriesId, iv.end, iv.start) as {
    id: number;
    series_id: number;
    start: number;
    end: number;
    prediction_id: number | null;
    source: string;
    source_detail: string;
    anomaly_type: string | null;
    text: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    seriesId: r.series_id,
    start: r.start,
    end: r.end,
    predictionId: r.prediction_id,
    source: r.source,
    detail: JSON.parse(r.source_detail) as Record<string, unknown>,
    type: r.anomaly_type as AnomalyType | null,
    text: r.text,
    faithfulness: checkRationale(r.text, values, { interval: { start: r.start, end: r.end } }),
  }));
}
