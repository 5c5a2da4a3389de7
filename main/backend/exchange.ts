import fs from 'node:fs';
import path from 'node:path';
import type {
  ExportFormatInfo,
  ExportPreview,
  ExportRequestOptions,
  ImportProblemInfo,
  ImportReport,
  JobStarted,
  WorkbenchEvent,
} from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import { checkDestination } from '../exporters/atomic';
import { EXPORT_FORMAT_IDS, exportProject, getExporter, importIntoStore } from '../exporters';
import { assertNotProject } from '../exporters/registry';
import type { ExportOptions } from '../exporters';
import { runTask, type JobManager } from '../jobs';
import type { ProjectStore } from '../store';
import { listTemporaries, parseTempName } from '../store/temp-files';

export interface ExportRequest {
  format: string;
  path: string;
  options?: ExportRequestOptions;
  force?: boolean;
  dryRun?: boolean;
}

/** The temporaries standing in for `abs` (an export's partial output, a replaced folder moved aside). */
function partialsOf(abs: string): Set<string> {
  return new Set(listTemporaries(path.dirname(abs), abs).map((t) => t.name));
}

/**
 * Export and label import for the app: format listing, dry-run counts, exports as cancellable jobs in
 * a worker thread, and label imports that report every problem and change nothing when there is one.
 * Paths arrive already checked against the allowed roots (`resolve`).
 */
export class Exchange {
  constructor(
    private readonly jobs: JobManager,
    private readonly emit: (event: WorkbenchEvent) => void,
    private readonly resolve: (p: string, mustExist: boolean) => string,
  ) {}

  listFormats(): ExportFormatInfo[] {
    return EXPORT_FORMAT_IDS.map((id) => {
      const e = getExporter(id);
      return {
        id,
        description: e.description,
        output: e.output,
        extension: e.extension ?? null,
        importable: e.import !== undefined,
        options: e.reads,
      };
    });
  }

  private options(format: string, request: ExportRequestOptions | undefined): Omit<ExportOptions, 'progress' | 'signal'> {
    const allowed = new Set<string>(getExporter(format).reads);
    const given = Object.entries(request ?? {}).filter(([, v]) => v !== undefined);
    const unread = given.map(([k]) => k).filter((k) => !allowed.has(k) && k !== 'runIds' && k !== 'allowPartial');
    if (unread.length > 0) {
      throw new WorkbenchError('invalid_input', `The ${format} format does not take ${unread.join(', ')}.`, {
        parameter: 'options',
        format,
      });
    }
    return Object.fromEntries(given) as Omit<ExportOptions, 'progress' | 'signal'>;
  }

  async preview(store: ProjectStore, req: Omit<ExportRequest, 'force' | 'dryRun'>): Promise<ExportPreview> {
    const exporter = getExporter(req.format);
    const outPath = this.resolve(req.path, false);
    const summary = await exportProject(
      store,
      req.format,
      { ...this.options(req.format, req.options), dryRun: true, force: true },
      outPath,
    );
    return {
      format: req.format,
      outPath: summary.outPath,
      output: exporter.output,
      exists: fs.existsSync(outPath),
      series: summary.series,
      labels: summary.labels,
      predictions: summary.predictions,
      records: summary.records,
      files: summary.files.length,
      notes: summary.notes,
    };
  }

  /** Starts the export as a job; an existing target without `force`, a bad folder or format fails here, before any job. */
  start(store: ProjectStore, req: ExportRequest): JobStarted {
    getExporter(req.format);
    const outPath = this.resolve(req.path, false);
    const options = { ...this.options(req.format, req.options), force: req.force, dryRun: req.dryRun };
    assertNotProject(store, outPath);
    if (!req.dryRun) checkDestination(outPath, req.force);
    const before = partialsOf(outPath);
    const title = `${req.dryRun ? 'Count' : 'Export'} ${req.format} to ${path.basename(outPath)}`;
    const job = this.jobs.start('export', title, async (ctx) => {
      try {
        return await runTask(
          'exportProject',
          { projectPath: store.path, format: req.format, outPath, options },
          { signal: ctx.signal, onProgress: (f) => ctx.progress(f, title) },
        );
      } catch (err) {
        // a cancel terminates the worker before writeAtomically can clean up: remove its temporary output,
        // and put back a replaced folder that was moved aside (".old") when the cancel came before the new one was in place
        for (const name of partialsOf(outPath)) {
          if (before.has(name)) continue;
          const tmp = path.join(path.dirname(outPath), name);
          if (parseTempName(path.dirname(outPath), name)?.purpose === 'aside' && !fs.existsSync(outPath))
            fs.renameSync(tmp, outPath);
          else fs.rmSync(tmp, { recursive: true, force: true });
        }
        throw err;
      }
    });
    return { jobId: job.id };
  }

  async importLabels(store: ProjectStore, req: { path: string; format: string; dryRun?: boolean }): Promise<ImportReport> {
    const exporter = getExporter(req.format);
    if (!exporter.import) {
      throw new WorkbenchError('unsupported', `The ${req.format} format cannot be imported into a project.`, {
        parameter: 'format',
      });
    }
    const file = this.resolve(req.path, true);
    const dryRun = req.dryRun === true;
    const base = {
      format: req.format,
      file,
      dryRun,
      problems: [] as ImportProblemInfo[],
      labels: 0,
      rationales: 0,
      skipped: 0,
      datasets: 0,
      seriesIds: [] as number[],
      notes: [] as string[],
    };
    try {
      const s = await importIntoStore(store, req.format, file, { actor: 'analyst', dryRun });
      const imported = !dryRun && (s.labels > 0 || s.datasetIds.length > 0);
      if (imported) {
        if (s.datasetIds.length > 0) this.emit({ type: 'projectChanged', reason: 'datasets' });
        this.emit({ type: 'projectChanged', reason: 'labels', seriesIds: s.seriesIds });
      }
      return {
        ...base,
        imported,
        labels: s.labels,
        rationales: s.rationales,
        skipped: s.skipped,
        datasets: s.datasetIds.length,
        seriesIds: s.seriesIds,
        notes: s.notes,
        history: store.historyState(),
      };
    } catch (err) {
      const problems = problemsOf(err);
      if (!problems) throw err;
      return { ...base, imported: false, problems, history: store.historyState() };
    }
  }
}

/** The per-line problems an importer reports (details.problems, or a parse error's line), or null for any other error. */
function problemsOf(err: unknown): ImportProblemInfo[] | null {
  if (!(err instanceof WorkbenchError)) return null;
  // a file that cannot be read at all at a known line (a header without the needed columns, bad JSON)
  const line = (err.details as { line?: unknown } | undefined)?.line;
  if (err.code === 'parse_error' && typeof line === 'number') return [{ line, message: err.message }];
  if (err.code !== 'invalid_input') return null;
  const list = (err.details as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(list) || list.length === 0) return null;
  return list.map((p) =>
    typeof p === 'object' && p !== null && 'message' in p
      ? { line: Number((p as { line?: unknown }).line ?? 0), message: String((p as { message: unknown }).message) }
      : { line: 0, message: String(p) },
  );
}
