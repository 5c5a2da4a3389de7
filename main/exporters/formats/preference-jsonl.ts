import fs from 'node:fs';
import path from 'node:path';
import { buildCard } from '../../reasoning/card';
import { computeEvidence } from '../../reasoning/evidence';
import { checkRationale } from '../../reasoning/faithfulness';
import { renderSeriesPlot } from '../../render';
import type { ProjectStore, RationaleRow } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { step } from '../data-export';
import { selectForExport, truthOf } from '../select';
import { summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary } from '../types';

export interface PreferencePair {
  seriesId: number;
  /** the interval the rationales explain, half-open series rows */
  start: number;
  end: number;
  /** the analyst's rationale id, or null when the chosen text is the evidence card of a label (see preferencePairs) */
  chosenId: number | null;
  /** 'analyst': written or edited by the analyst; 'evidence-engine': the card measured for a label the analyst wrote no text for */
  chosenSource: 'analyst' | 'evidence-engine';
  /** the label a generated chosen text explains */
  labelId: number | null;
  rejectedId: number;
  chosen: string;
  rejected: string;
  /** claims of the rejected text the faithfulness checker found false */
  contradicted: number;
}

/**
 * Pairs for preference tuning (DPO and kin): chosen = the analyst's rationale (written or edited,
 * source 'analyst' or edited = 1) of an interval; rejected = a model's rationale of an overlapping
 * interval of the same series that the faithfulness checker contradicts (at least one false claim).
 * When `labels` are given, a label the analyst wrote no rationale for (none overlaps it) still makes
 * pairs: its chosen text is the evidence card measured on the series (series rows, as the plot shows).
 */
export function preferencePairs(
  store: ProjectStore,
  seriesIds: number[],
  range: { from: number; to: number }[],
  labels?: { id: number; start: number; end: number }[][],
): PreferencePair[] {
  const pairs: PreferencePair[] = [];
  seriesIds.forEach((seriesId, k) => {
    const { from, to } = range[k];
    const all = store.rationales.forSeries(seriesId).filter((r) => r.start < to && from < r.end && r.text.trim() !== '');
    const chosen = all.filter((r) => r.source === 'analyst' || r.edited);
    const models = all.filter((r) => r.source !== 'analyst' && !r.edited && r.source !== 'imported');
    if (models.length === 0) return;
    const values = store.loadValues(seriesId);
    const contradicted = new Map<number, number>();
    for (const m of models) contradicted.set(m.id, checkRationale(m.text, values).contradicted);
    const against = (c: { start: number; end: number }, add: (m: RationaleRow, n: number) => void) => {
      for (const m of models) {
        const n = contradicted.get(m.id) ?? 0;
        if (n > 0 && m.start < c.end && c.start < m.end) add(m, n);
      }
    };
    for (const c of chosen) {
      against(c, (m, n) =>
        pairs.push({
          seriesId,
          start: c.start,
          end: c.end,
          chosenId: c.id,
          chosenSource: 'analyst',
          labelId: null,
          rejectedId: m.id,
          chosen: c.text,
          rejected: m.text,
          contradicted: n,
        }),
      );
    }
    for (const l of labels?.[k] ?? []) {
      if (chosen.some((c) => c.start < l.end && l.start < c.end)) continue;
      let card: string | null = null;
      against(l, (m, n) => {
        card ??= buildCard(computeEvidence(values, l), undefined, { values }).text;
        pairs.push({
          seriesId,
          start: l.start,
          end: l.end,
          chosenId: null,
          chosenSource: 'evidence-engine',
          labelId: l.id,
          rejectedId: m.id,
          chosen: card,
          rejected: m.text,
          contradicted: n,
        });
      });
    }
  });
  return pairs;
}

/** Rows plotted for a pair: the whole series when short, else `size` rows centred on the interval. */
function plotRows(length: number, start: number, end: number, size: number): { from: number; to: number } {
  if (length <= size) return { from: 0, to: length };
  const span = Math.max(size, end - start);
  const from = Math.max(0, Math.min(length - span, Math.floor((start + end) / 2 - span / 2)));
  return { from, to: Math.min(length, from + span) };
}

/**
 * JSONL in TRL's vision preference layout: `{"images": [png], "prompt": [user turn with an image part],
 * "chosen": [assistant turn], "rejected": [assistant turn]}`; the plot's x axis shows series rows, the
 * numbering the rationales quote.
 */
async function exportPreferences(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const series = selectForExport(store, opts);
  const pairs = preferencePairs(
    store,
    series.map((s) => s.info.id),
    series.map((s) => ({ from: s.from, to: s.to })),
    series.map((s) => truthOf(s)),
  );
  const windowSize = opts.sft?.windowSize ?? 1000;
  const notes =
    pairs.length === 0
      ? [
          'No pairs: the project holds no analyst rationale or label with an overlapping model rationale that the faithfulness checker contradicts.',
        ]
      : [
          `${pairs.length} pair(s); rejected texts have ${pairs.reduce((a, p) => a + p.contradicted, 0)} contradicted claim(s) in all.`,
          ...(pairs.some((p) => p.chosenSource === 'evidence-engine')
            ? [
                `${pairs.filter((p) => p.chosenSource === 'evidence-engine').length} chosen text(s) are evidence cards of labels the analyst wrote no rationale for.`,
              ]
            : []),
        ];
  const images = pairs.map((p) => `images/pair_s${p.seriesId}_${p.chosenId ?? `L${p.labelId}`}_${p.rejectedId}.png`);
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'folder', opts.force, (tmp) => {
      fs.mkdirSync(path.join(tmp, 'images'));
      const lines: string[] = [];
      pairs.forEach((p, k) => {
        step(opts, 'preference', k, pairs.length);
        const values = store.loadValues(p.seriesId);
        const rows = plotRows(values.length, p.start, p.end, windowSize);
        fs.writeFileSync(path.join(tmp, images[k]), renderSeriesPlot(values, { ...rows, style: 'anomllm' }).png);
        const prompt =
          `The plot shows rows ${rows.from} to ${rows.to - 1} of a time series (the x axis gives the row). ` +
          `Explain why rows [${p.start}, ${p.end}) (half-open) are anomalous, quoting the values and rows you rely on.`;
        lines.push(
          JSON.stringify({
            images: [images[k]],
            prompt: [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: prompt }] }],
            chosen: [{ role: 'assistant', content: [{ type: 'text', text: p.chosen }] }],
            rejected: [{ role: 'assistant', content: [{ type: 'text', text: p.rejected }] }],
            meta: {
              seriesId: p.seriesId,
              start: p.start,
              end: p.end,
              chosenRationale: p.chosenId,
              chosenSource: p.chosenSource,
              labelId: p.labelId,
              rejectedRationale: p.rejectedId,
              contradicted: p.contradicted,
            },
          }),
        );
      });
      writeText(path.join(tmp, 'pairs.jsonl'), (sink) => lines.forEach((l) => sink.write(l + '\n')));
      opts.progress?.(1);
    });
  }
  return summarize('preference-jsonl', outPath, opts, series, ['pairs.jsonl', ...images], pairs.length, notes);
}

export const preferenceJsonl: Exporter = {
  id: 'preference-jsonl',
  description: 'Preference pairs (analyst rationale vs. a contradicted model rationale) in JSONL with plots',
  output: 'folder',
  reads: ['seriesIds', 'labels', 'range', 'sft'],
  export: exportPreferences,
};
