import { SFT_DIALECTS } from '../../../common/lists';
import fs from 'node:fs';
import path from 'node:path';
import type { AnomalyType } from '../../../common/domain';
import { WorkbenchError } from '../../../common/errors';
import { OUTPUT_FORMATS } from '../../reasoning/parsers';
import { renderSeriesPlot, toWindowLocal, windowsFor, type PlotStyle } from '../../render';
import { seededShuffle } from '../../numeric/random';
import type { ProjectStore } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { step } from '../data-export';
import { groundWindow } from '../grounded';
import { selectForExport, truthOf, type ExportInterval, type ExportSeries } from '../select';
import { summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, SftAnswerFormat, SftDialect } from '../types';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** AnomSeer's class names; types outside its taxonomy use the names main/reasoning/parsers maps back. */
export const ANOMSEER_CLASS: Record<AnomalyType, string> = {
  'global-point': 'global point',
  'contextual-point': 'contextual point',
  'frequency-change': 'seasonal',
  'trend-change': 'trend',
  shapelet: 'shapelet',
  'level-shift': 'level shift',
  'variance-change': 'variance',
  flatline: 'flatline',
  dropout: 'unknown',
  unknown: 'unknown',
};

export const PLOT_STYLE: Record<SftAnswerFormat, PlotStyle> = { anomseer: 'anomllm', anomllm: 'anomllm', vlm4ts: 'vlm4ts' };

/** The type most windows' intervals have (first seen wins a tie), or null for none. */
export function dominantType(intervals: readonly { type: AnomalyType }[]): AnomalyType | null {
  const count = new Map<AnomalyType, number>();
  for (const iv of intervals) count.set(iv.type, (count.get(iv.type) ?? 0) + 1);
  let best: AnomalyType | null = null;
  for (const [t, n] of count) if (best === null || n > (count.get(best) ?? 0)) best = t;
  return best;
}

/**
 * The assistant's answer for one window, in window-local indices:
 * - anomseer: `<think>…</think><answer>[[s, e], …]</answer><class>…</class>`, half-open;
 * - anomllm: `[{"start": s, "end": e}, …]`, half-open;
 * - vlm4ts: `{"anomalies": [{"interval_index": [s, e], "confidence": 3, "abnormal_description": …}]}`, INCLUSIVE e.
 */
export function answerFor(
  format: SftAnswerFormat,
  local: { start: number; end: number }[],
  inWindow: ExportInterval[],
  rationale: string,
): string {
  if (format === 'anomllm') return JSON.stringify(local.map(({ start, end }) => ({ start, end })));
  if (format === 'vlm4ts') {
    return JSON.stringify({
      anomalies: local.map((iv, k) => ({
        interval_index: [iv.start, iv.end - 1],
        confidence: 3,
        abnormal_description: inWindow[k]?.rationale || inWindow[k]?.note || inWindow[k]?.type || 'anomaly',
      })),
    });
  }
  const type = dominantType(inWindow);
  const answer = `[${local.map((iv) => `[${iv.start}, ${iv.end}]`).join(', ')}]`;
  return `<think>${rationale}</think><answer>${answer}</answer><class>${type === null ? 'normal' : ANOMSEER_CLASS[type]}</class>`;
}

/** A chat record in the chosen dialect (see SftDialect). */
export function chatRecord(dialect: SftDialect, image: string, prompt: string, answer: string): Record<string, unknown> {
  if (dialect === 'sharegpt') {
    return {
      messages: [
        { role: 'user', content: `<image>${prompt}` },
        { role: 'assistant', content: answer },
      ],
      images: [image],
    };
  }
  if (dialect === 'qwen-vl') {
    return {
      image,
      conversations: [
        { from: 'human', value: `<image>\n${prompt}` },
        { from: 'gpt', value: answer },
      ],
    };
  }
  return {
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', image },
          { type: 'text', text: prompt },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: answer }] },
    ],
  };
}

/** Seeded split by series: the same seed and series give the same split; shares are rounded to whole series. */
export function splitSeries(seriesIds: number[], seed: number, validationShare: number, testShare: number): Map<number, Split> {
  if (!(validationShare >= 0 && testShare >= 0 && validationShare + testShare <= 1)) {
    throw new WorkbenchError(
      'invalid_input',
      `validationShare ${validationShare} and testShare ${testShare} must be ≥ 0 and sum to at most 1.`,
      {
        parameter: 'sft',
      },
    );
  }
  const ids = seededShuffle(
    [...seriesIds].sort((a, b) => a - b),
    seed,
  );
  const nTest = Math.round(ids.length * testShare);
  const nValidation = Math.round(ids.length * validationShare);
  const out = new Map<number, Split>();
  ids.forEach((id, k) => out.set(id, k < nTest ? 'test' : k < nTest + nValidation ? 'validation' : 'train'));
  return out;
}

interface WindowPlan {
  series: ExportSeries;
  /** in series indices */
  start: number;
  end: number;
  split: Split;
  image: string;
}

function planWindows(series: ExportSeries[], windowSize: number, overlap: number, splits: Map<number, Split>): WindowPlan[] {
  const plans: WindowPlan[] = [];
  for (const s of series) {
    for (const w of windowsFor(s.to - s.from, windowSize, overlap)) {
      const start = s.from + w.start;
      const end = s.from + w.end;
      plans.push({
        series: s,
        start,
        end,
        split: splits.get(s.info.id) ?? 'train',
        image: `images/s${s.info.id}_${start}-${end}.png`,
      });
    }
  }
  return plans;
}

function readme(format: SftAnswerFormat, dialect: SftDialect, windowSize: number, overlap: number): string {
  return `# Fine-tuning data exported by TSAD Workbench

- Files: train.jsonl, validation.jsonl, test.jsonl (one chat per line), images/*.png (plots), manifest.jsonl
  (per line: split, line, series, window [start, end) in series rows, image, intervals local and global).
- Dialect "${dialect}": ${
    dialect === 'messages'
      ? 'content parts `{"type":"image","image":…}` / `{"type":"text","text":…}` (Hugging Face chat templates, TRL, qwen-vl-utils).'
      : dialect === 'sharegpt'
        ? '`messages` with an `<image>` token plus `images` (LLaMA-Factory sharegpt with dataset_info.json, ms-swift).'
        : '`image` + `conversations` with from human/gpt and `<image>` (QwenLM qwen-vl-finetune).'
  }
- Answers: ${format}; ${
    format === 'vlm4ts' ? 'interval_index is INCLUSIVE [first, last] row.' : 'intervals are HALF-OPEN [start, end).'
  } Indices are local to the plotted window (0 = first row shown).
- Windows of ${windowSize} rows, ${overlap} rows shared between neighbours; an anomaly crossing a window edge is clipped to it.
- Reasoning (anomseer <think>, vlm4ts abnormal_description): per anomaly, the stored rationale moved to window rows when
  every claim in it checks out on the plotted values, else the evidence card measured on the plotted values; a window
  without anomalies gets its measured level, spread and extremes. Every number is a claim like "mean 5.31 over [120, 180)"
  in window rows, checkable with main/reasoning's faithfulness checker. An unclassified label's <class> is the type the
  evidence engine measures (the one its reasoning concludes).
- Plots never show labels or predictions. The split is by series (no series in two splits).
`;
}

async function exportSft(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const o = opts.sft ?? {};
  const format = o.answerFormat ?? 'anomseer';
  const dialect = o.dialect ?? 'messages';
  const windowSize = o.windowSize ?? 1000;
  const overlap = o.overlap ?? 200;
  if (!(format in OUTPUT_FORMATS))
    throw new WorkbenchError('invalid_input', `Unknown answer format "${format}".`, { parameter: 'sft.answerFormat' });
  if (!(SFT_DIALECTS as readonly string[]).includes(dialect))
    throw new WorkbenchError('invalid_input', `Unknown dialect "${dialect}".`, { parameter: 'sft.dialect' });
  const series = selectForExport(store, opts);
  const splits = splitSeries(
    series.map((s) => s.info.id),
    o.seed ?? 42,
    o.validationShare ?? 0.1,
    o.testShare ?? 0.1,
  );
  const windows = planWindows(series, windowSize, overlap, splits);
  const notes: string[] = [];
  if (series.some((s) => s.intervals.some((i) => i.kind === 'prediction')))
    notes.push('Predictions are not training answers: only labels were used.');
  const held = [...splits.values()].filter((s) => s !== 'train').length;
  if (held === 0 && (o.validationShare ?? 0.1) + (o.testShare ?? 0.1) > 0)
    notes.push(
      `All ${series.length} series went to train: the validation and test shares round to no whole series (the split is by series, so they need more series, or larger shares).`,
    );
  const tally = { anomalies: 0, stored: 0, storedDropped: 0, typeNotBorneOut: 0 };
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'folder', opts.force, (tmp) => {
      fs.mkdirSync(path.join(tmp, 'images'));
      const lines: Record<Split, string[]> = { train: [], validation: [], test: [] };
      const manifest: string[] = [];
      windows.forEach((w, k) => {
        step(opts, 'SFT', k, windows.length);
        const values = w.series.values().subarray(w.start - w.series.from, w.end - w.series.from);
        const plot = renderSeriesPlot(values, { from: 0, to: values.length, style: PLOT_STYLE[format] });
        fs.writeFileSync(path.join(tmp, w.image), plot.png);
        const inWindow = truthOf(w.series).filter((iv) => iv.start < w.end && w.start < iv.end);
        const local = toWindowLocal(inWindow, w);
        // the reasoning is measured on the plotted rows, so its indices are the plot's (window-local) ones
        const grounded = groundWindow(
          values,
          inWindow.map((iv) => ({ local: toWindowLocal([iv], w)[0], type: iv.type, rationale: iv.rationale })),
          w.start,
        );
        for (const g of grounded.segments) {
          tally.anomalies++;
          if (g.source !== 'evidence') tally.stored++;
          if (g.storedDropped) tally.storedDropped++;
          if (g.labelTypeNotBorneOut) tally.typeNotBorneOut++;
        }
        const round = (v: number) => Number(v.toPrecision(4));
        const prompt = OUTPUT_FORMATS[format].prompt(values.length, round(plot.axis.yMin), round(plot.axis.yMax));
        const answer = answerFor(
          format,
          local,
          // an unclassified label takes the type its reasoning concludes, so <class> and <think> agree
          inWindow.map((iv, k) => ({
            ...iv,
            type: iv.type === 'unknown' ? (grounded.segments[k]?.measuredType ?? iv.type) : iv.type,
            rationale: grounded.segments[k]?.text ?? '',
          })),
          grounded.text,
        );
        lines[w.split].push(JSON.stringify(chatRecord(dialect, w.image, prompt, answer)));
        manifest.push(
          JSON.stringify({
            split: w.split,
            line: lines[w.split].length,
            seriesId: w.series.info.id,
            series: w.series.info.name,
            dataset: w.series.datasetName,
            window: { start: w.start, end: w.end },
            image: w.image,
            intervals: local,
            seriesIntervals: inWindow.map(({ start, end }) => ({ start, end })),
          }),
        );
      });
      for (const split of SPLITS)
        writeText(path.join(tmp, `${split}.jsonl`), (sink) => lines[split].forEach((l) => sink.write(l + '\n')));
      writeText(path.join(tmp, 'manifest.jsonl'), (sink) => manifest.forEach((l) => sink.write(l + '\n')));
      writeText(path.join(tmp, 'README.md'), (sink) => sink.write(readme(format, dialect, windowSize, overlap)));
      if (dialect === 'sharegpt') {
        const info = Object.fromEntries(
          SPLITS.map((split) => [
            `tsad_${split}`,
            {
              file_name: `${split}.jsonl`,
              formatting: 'sharegpt',
              columns: { messages: 'messages', images: 'images' },
              tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
            },
          ]),
        );
        writeText(path.join(tmp, 'dataset_info.json'), (sink) => sink.write(JSON.stringify(info, null, 2) + '\n'));
      }
      opts.progress?.(1);
    });
  }
  if (tally.anomalies > 0) {
    notes.push(
      `Reasoning: ${tally.anomalies} anomaly text(s) measured on their window (indices window-local); ${tally.stored} from stored rationales moved to window rows, ` +
        `${tally.storedDropped} stored rationale(s) replaced by the evidence card because a claim did not check out on the window.`,
    );
  }
  if (tally.typeNotBorneOut > 0)
    notes.push(
      `${tally.typeNotBorneOut} label type(s) not borne out by the window's evidence: their reasoning states the measured type.`,
    );
  const counts = SPLITS.map((split) => `${windows.filter((w) => w.split === split).length} ${split}`).join(', ');
  notes.push(`Windows: ${counts}.`);
  const files = [...SPLITS.map((s) => `${s}.jsonl`), 'manifest.jsonl', 'README.md', ...windows.map((w) => w.image)];
  return summarize('sft-jsonl', outPath, opts, series, files, windows.length, notes);
}

export const sftJsonl: Exporter = {
  id: 'sft-jsonl',
  description: 'Fine-tuning chats (plot image + prompt → answer) in JSONL, split by series',
  output: 'folder',
  reads: ['seriesIds', 'labels', 'range', 'sft'],
  export: exportSft,
};
