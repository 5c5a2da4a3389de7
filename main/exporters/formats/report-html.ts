import path from 'node:path';
import { ANOMALY_TYPE_NAMES } from '../../../common/domain';
import { renderHighlightedPlot } from '../../render';
import type { ProjectStore } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { step } from '../data-export';
import { isoTime } from '../label-records';
import { selectForExport, type ExportInterval, type ExportSeries } from '../select';
import { summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, ReportMetrics } from '../types';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

interface Authorship {
  createdBy: string | null;
  createdAt: string | null;
  lastChangedBy: string | null;
  lastChangedAt: string | null;
  changes: number;
}

/** Who created and last changed a label, from the append-only history. */
function authorship(store: ProjectStore, labelId: number): Authorship {
  const rows = store.labelChanges(labelId);
  const created = rows.find((r) => r.op === 'create');
  const last = rows[rows.length - 1];
  return {
    createdBy: created?.actor ?? null,
    createdAt: created?.at ?? null,
    lastChangedBy: last?.actor ?? null,
    lastChangedAt: last?.at ?? null,
    changes: rows.length,
  };
}

/** Rows shown around an anomaly: the interval and about as much context on each side (at least 100 rows). */
function snippetRows(s: ExportSeries, iv: ExportInterval): { from: number; to: number } {
  const context = Math.max(100, iv.end - iv.start);
  return { from: Math.max(s.from, iv.start - context), to: Math.min(s.to, iv.end + context) };
}

function metricsTable(metrics: ReportMetrics[]): string {
  const keys = [...new Set(metrics.flatMap((m) => Object.keys(m.values)))];
  const cell = (v: number | null | undefined) =>
    v === null || v === undefined || !Number.isFinite(v) ? '–' : Number(v.toFixed(4)).toString();
  return `<table class="metrics"><thead><tr><th>run</th>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr></thead><tbody>${metrics
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.name ? `${m.name} (${m.run})` : String(m.run))}</td>${keys.map((k) => `<td>${cell(m.values[k])}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem;margin:1.2rem 0 .3rem}
section.anomaly{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
img{max-width:100%;height:auto;display:block;margin:.4rem 0}dl{display:grid;grid-template-columns:10rem 1fr;gap:.2rem .8rem;margin:.3rem 0}
dt{color:#666}dd{margin:0;white-space:pre-wrap}.rationale{white-space:pre-wrap;background:#f7f7f7;padding:.4rem .6rem;border-radius:4px}
table.metrics{border-collapse:collapse}table.metrics td,table.metrics th{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
table.metrics td:first-child{text-align:left}.muted{color:#888}`;

/**
 * One self-contained HTML file: plots inlined as data: URIs, no external resources. One section per
 * anomaly with its plot snippet (the anomaly shaded: a report is for people, not model input), type,
 * rationale, note and who labeled it; the runs' metrics when the caller passes them.
 */
async function exportReport(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const series = selectForExport(store, opts);
  const sections = series.reduce((a, s) => a + s.intervals.length, 0);
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'file', opts.force, (tmp) => {
      writeText(tmp, (sink) => {
        const title = opts.title ?? `Anomaly report: ${path.basename(store.path)}`;
        sink.write(
          `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n`,
        );
        sink.write(
          `<h1>${escapeHtml(title)}</h1>\n<p class="muted">Generated ${new Date().toISOString()}. Intervals are half-open row ranges [start, end).</p>\n`,
        );
        if (opts.metrics && opts.metrics.length > 0) sink.write(`<h2>Metrics</h2>\n${metricsTable(opts.metrics)}\n`);
        let done = 0;
        for (const s of series) {
          sink.write(
            `<h2>${escapeHtml(s.datasetName)} / ${escapeHtml(s.info.name)} <span class="muted">(series ${s.info.id}, ${s.info.length} rows)</span></h2>\n`,
          );
          if (s.intervals.length === 0) sink.write('<p class="muted">No anomalies labeled.</p>\n');
          const values = s.intervals.length > 0 ? store.loadValues(s.info.id) : null;
          const time = s.hasTime && s.intervals.length > 0 ? store.loadTime(s.info.id) : null;
          for (const iv of s.intervals) {
            step(opts, 'report', done++, sections);
            const rows = snippetRows(s, iv);
            const png = renderHighlightedPlot(
              values as Float64Array,
              { ...rows, style: 'anomllm', width: 900, height: 170 },
              iv,
            ).png;
            const who =
              iv.kind === 'label'
                ? authorship(store, iv.id)
                : { createdBy: `run ${iv.runId}`, createdAt: null, lastChangedBy: null, lastChangedAt: null, changes: 0 };
            const when = time ? ` (${isoTime(time[iv.start])} to ${isoTime(time[iv.end - 1])})` : '';
            const fields: [string, string][] = [
              ['kind', iv.kind === 'label' ? 'label' : `prediction of run ${iv.runId}, ${iv.status}`],
              ['rows', `[${iv.start}, ${iv.end})${when}`],
              ['type', ANOMALY_TYPE_NAMES[iv.type] ?? iv.type],
            ];
            if (iv.kind === 'label') {
              fields.push(['origin', `${iv.origin}${iv.runId !== null ? ` (run ${iv.runId})` : ''}`]);
              fields.push(['labeled by', `${who.createdBy ?? 'unknown'}${who.createdAt ? ` at ${who.createdAt}` : ''}`]);
              if (who.changes > 1)
                fields.push(['last changed by', `${who.lastChangedBy} at ${who.lastChangedAt} (${who.changes} changes)`]);
            } else if (iv.score !== null) fields.push(['score', String(Number(iv.score.toPrecision(4)))]);
            if (iv.note) fields.push(['note', iv.note]);
            sink.write(
              `<section class="anomaly"><h3>${escapeHtml(ANOMALY_TYPE_NAMES[iv.type] ?? iv.type)} at rows ${iv.start}–${iv.end - 1}</h3>` +
                `<img alt="rows ${rows.from} to ${rows.to - 1}, anomaly shaded" src="data:image/png;base64,${png.toString('base64')}">` +
                `<dl>${fields.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` +
                (iv.rationale
                  ? `<div class="rationale">${escapeHtml(iv.rationale)}</div><p class="muted">rationale source: ${escapeHtml(iv.rationaleSource ?? '')}</p>`
                  : '<p class="muted">No rationale stored.</p>') +
                '</section>\n',
            );
          }
        }
        sink.write('</body></html>\n');
      });
      opts.progress?.(1);
    });
  }
  return summarize('report-html', outPath, opts, series, [path.basename(outPath)], sections);
}

export const reportHtml: Exporter = {
  id: 'report-html',
  description: 'Self-contained HTML report: one section per anomaly with plot, type, rationale and author; run metrics',
  output: 'file',
  reads: ['seriesIds', 'labels', 'range', 'title'],
  extension: '.html',
  export: exportReport,
};
