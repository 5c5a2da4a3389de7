import fs from 'node:fs';
import path from 'node:path';
import type { WorkbenchEvent } from '../../common/contract';
import type { CalibrationReport, FinetuneRecord, FinetuneStarted, ModelInfo, ModelListing } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import { createRng } from '../synth/prng';
import { setInterval as every, clearInterval as stopEvery } from 'node:timers';
import type { JobStarted } from '../../common/contract';
import {
  findTrainingPython,
  finetuneCommand,
  finetuneVersion,
  jobFilePath,
  jobOwnerGone,
  newJobFile,
  readJobs,
  runFinetune,
  toFinetuneJob,
  writeJobFile,
  writeTrainingFolder,
  type FinetuneJobFile,
  type FinetunePlan,
  type TrainingSeries,
} from '../finetune';
import { HEARTBEAT_EVERY_MS } from '../store/owner';
import { sweepTemporaries } from '../store/temp-files';
import {
  addModelFromDisk,
  listModels,
  listSupportedBackends,
  resolveModel,
  type ModelEntry,
  type ModelRoots,
} from '../inference';
import { labelsFromIntervals } from '../evaluation';
import { shuffleWith } from '../numeric';
import type { JobManager } from '../jobs';
import { runTask } from '../jobs';
import type { ProjectStore } from '../store';
import { toErrorData } from '../../common/errors';

/** Beside a version fine-tuned in the app: which project series trained it and which were held out. */
export const FINETUNE_RECORD_FILE = 'finetune.json';

function readFinetuneRecord(dir: string): FinetuneRecord | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, FINETUNE_RECORD_FILE), 'utf8')) as FinetuneRecord;
  } catch {
    return null;
  }
}

export function modelInfo(entry: ModelEntry): ModelInfo {
  return {
    id: entry.id,
    name: entry.name,
    version: entry.version,
    source: entry.source,
    parent: entry.card.parent ?? null,
    description: entry.card.description ?? '',
    dir: entry.dir,
    sha256: entry.card.onnx.sha256 ?? null,
    bytes: entry.card.onnx.bytes ?? null,
    window: entry.card.preprocessing.window,
    metrics: entry.card.metrics ?? {},
    training: entry.card.training ?? {},
    finetune: readFinetuneRecord(entry.dir),
  };
}

/** Seeded split of series ids into (train, held out); at least one of each when holding out from two or more. */
export function splitSeries(ids: number[], holdOutShare: number, seed: number): { train: number[]; heldOut: number[] } {
  if (holdOutShare <= 0 || ids.length < 2) return { train: [...ids], heldOut: [] };
  const shuffled = shuffleWith(ids, createRng(seed).next);
  const nHeld = Math.min(ids.length - 1, Math.max(1, Math.round(ids.length * holdOutShare)));
  const heldOut = shuffled.slice(0, nHeld).sort((a, b) => a - b);
  const train = shuffled.slice(nHeld).sort((a, b) => a - b);
  return { train, heldOut };
}

/**
 * Models in the app: the list with cards, adding from disk, the fine-tune loop (export → train in a
 * child process → new version) and the Python-free loop (ensemble calibration from the labels).
 */
export class ModelService {
  constructor(
    private readonly jobs: JobManager,
    private readonly emit: (event: WorkbenchEvent) => void,
    private readonly roots: Required<ModelRoots>,
    /** where exported fine-tuning data goes (under the app's state folder, never beside the user's files) */
    private readonly workDir: string,
  ) {}

  async list(): Promise<ModelListing> {
    const { models, problems } = await listModels(this.roots);
    const infos = models.map((entry) => {
      const info = modelInfo(entry);
      return info.finetune === null && entry.source === 'user' ? { ...info, finetune: this.manualRunRecord(entry) } : info;
    });
    return { models: infos, finetunes: this.unfinishedFinetunes(), problems, providers: listSupportedBackends() };
  }

  /**
   * Fine-tunes that did not finish (a running one whose process is gone becomes interrupted), after
   * sweeping the temporary version folders of processes that are gone from the user models folder.
   */
  private unfinishedFinetunes() {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.roots.userDir);
    } catch {
      // no user models yet
    }
    for (const name of names) sweepTemporaries(path.join(this.roots.userDir, name));
    return readJobs(this.workDir).map(({ id, job }) => toFinetuneJob(id, job));
  }

  private jobDir(id: string): { dir: string; job: FinetuneJobFile } {
    const found = path.basename(id) === id && !id.startsWith('.') ? readJobs(this.workDir).find((j) => j.id === id) : undefined;
    if (found === undefined) throw new WorkbenchError('not_found', `No unfinished fine-tune ${id}.`, { id });
    if (found.job.status === 'running' && !jobOwnerGone(found.job)) {
      throw new WorkbenchError(
        'conflict',
        `The fine-tune ${id} is running (process ${found.job.owner.pid} on ${found.job.owner.host}); cancel it first.`,
        { id },
      );
    }
    return found;
  }

  /** Trains an interrupted, failed or cancelled fine-tune again from its exported data (a new version number when one was taken meanwhile). */
  async resumeFinetune(id: string): Promise<JobStarted & { model: string }> {
    const { dir, job } = this.jobDir(id);
    const base = await resolveModel(job.base, this.roots);
    const dataDir = path.join(dir, 'data');
    if (!fs.existsSync(path.join(dataDir, 'manifest.json')))
      throw new WorkbenchError(
        'not_found',
        `The fine-tune ${id} has lost its exported data (${dataDir}); delete it and start again.`,
        {
          path: dataDir,
        },
      );
    const python = await findTrainingPython();
    if (!python.ok) throw new WorkbenchError('unsupported', `Cannot resume the fine-tune ${id}: ${python.reason}`, { id });
    const plan: FinetunePlan = { base, dataDir, outDir: this.roots.userDir, ...(job.quick ? { quick: true } : {}) };
    const model = `${base.name}@${finetuneVersion(plan)}`;
    const jobId = this.startTraining(dir, plan, python.python, { ...job.record, createdAt: new Date().toISOString() });
    return { jobId, model };
  }

  /** Forgets an unfinished fine-tune: its folder (exported data, job record) and its temporary version folder. */
  deleteFinetune(id: string): null {
    const { dir, job } = this.jobDir(id);
    fs.rmSync(dir, { recursive: true, force: true });
    sweepTemporaries(path.join(this.roots.userDir, job.model.split('@')[0] ?? ''));
    return null;
  }

  /**
   * The training job, with its lifecycle in `jobDir`/job.json: running with a heartbeat while it trains,
   * removed once the version is registered, failed or cancelled with why otherwise.
   */
  private startTraining(jobDir: string, plan: FinetunePlan, python: string, record: FinetuneRecord): string {
    const model = `${plan.base.name}@${finetuneVersion(plan)}`;
    const jobFile = newJobFile({ base: plan.base.id, model, quick: plan.quick === true, record });
    writeJobFile(jobDir, jobFile);
    const beat = every(() => {
      try {
        writeJobFile(jobDir, { ...jobFile, heartbeatAt: new Date().toISOString() });
      } catch {
        // the next beat tries again; a stale heartbeat only matters once the process is gone
      }
    }, HEARTBEAT_EVERY_MS);
    beat.unref();
    const job = this.jobs.start(
      'finetune',
      `Fine-tune ${plan.base.id} on ${record.trainSeriesIds.length} series`,
      async (ctx) => {
        const entry = await runFinetune(plan, {
          python,
          signal: ctx.signal,
          progress: (f, message) => ctx.progress(f, message),
          files: { [FINETUNE_RECORD_FILE]: JSON.stringify(record, null, 2) },
        });
        return entry.id;
      },
    );
    job.done.then(
      () => {
        stopEvery(beat);
        fs.rmSync(jobFilePath(jobDir), { force: true });
        this.emit({ type: 'projectChanged', reason: 'models' });
      },
      (err: unknown) => {
        stopEvery(beat);
        const e = toErrorData(err);
        const status = e.code === 'cancelled' ? 'cancelled' : 'failed';
        try {
          writeJobFile(jobDir, { ...jobFile, status, heartbeatAt: new Date().toISOString(), message: e.message });
        } catch {
          // nothing more to record
        }
      },
    );
    return job.id;
  }

  /** A version trained by hand from the printed command: its record lies beside the exported data. */
  private manualRunRecord(entry: ModelEntry): FinetuneRecord | null {
    let dirs: string[];
    try {
      dirs = fs.readdirSync(this.workDir).filter((d) => d.startsWith(`${entry.name}-${entry.version}-`));
    } catch {
      return null;
    }
    for (const d of dirs.sort().reverse()) {
      const record = readFinetuneRecord(path.join(this.workDir, d));
      if (record) return record;
    }
    return null;
  }

  async add(source: string, name?: string, version?: string): Promise<ModelInfo> {
    const entry = await addModelFromDisk(source, {
      userDir: this.roots.userDir,
      ...(name !== undefined ? { name } : {}),
      ...(version !== undefined ? { version } : {}),
    });
    this.emit({ type: 'projectChanged', reason: 'models' });
    return modelInfo(entry);
  }

  /** The chosen series (default: all) that carry labels; fails when none does. */
  private labeledSeries(store: ProjectStore, seriesIds: number[] | undefined): number[] {
    const all = store.listSeries();
    const chosen = seriesIds ?? all.map((s) => s.id);
    const known = new Set(all.map((s) => s.id));
    for (const id of chosen) {
      if (!known.has(id)) throw new WorkbenchError('not_found', `No series with id ${id} in this project.`, { seriesId: id });
    }
    const labeled = chosen.filter((id) => store.listLabels(id).length > 0);
    if (labeled.length === 0) {
      throw new WorkbenchError(
        'invalid_input',
        'None of the chosen series has a label yet: label (or accept) some anomalies before fine-tuning or calibrating.',
      );
    }
    return labeled;
  }

  async finetune(
    store: ProjectStore,
    input: { base: string; holdOutShare?: number; seed?: number; quick?: boolean; seriesIds?: number[] },
  ): Promise<FinetuneStarted> {
    const base = await resolveModel(input.base, this.roots);
    const seed = input.seed ?? 1;
    const { train, heldOut } = splitSeries(this.labeledSeries(store, input.seriesIds), input.holdOutShare ?? 0.3, seed);
    const names = new Map(store.listSeries().map((s) => [s.id, s.name]));
    const series: TrainingSeries[] = train.map((id) => ({
      name: `${id}-${names.get(id) ?? 'series'}`,
      values: store.loadValues(id),
      intervals: store.listLabels(id).map((l) => ({ start: l.start, end: l.end, type: l.type })),
    }));
    const labelCount = series.reduce((a, s) => a + s.intervals.length, 0);

    const plan: FinetunePlan = { base, dataDir: '', outDir: this.roots.userDir, ...(input.quick ? { quick: true } : {}) };
    const version = finetuneVersion(plan);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    plan.dataDir = path.join(this.workDir, `${base.name}-${version}-${stamp}`, 'data');
    const { dataDir } = plan;
    const outDir = path.join(this.roots.userDir, base.name, version);
    await writeTrainingFolder(dataDir, series);
    const record: FinetuneRecord = {
      base: base.id,
      project: store.path,
      trainSeriesIds: train,
      heldOutSeriesIds: heldOut,
      labelCount,
      createdAt: new Date().toISOString(),
    };
    const python = await findTrainingPython();
    const common = {
      dataDir,
      outDir,
      model: `${base.name}@${version}`,
      trainSeriesIds: train,
      heldOutSeriesIds: heldOut,
      labelCount,
    };
    if (!python.ok) {
      // the record goes beside the exported data, where list() finds it once the command has written the model
      fs.writeFileSync(path.join(path.dirname(dataDir), FINETUNE_RECORD_FILE), JSON.stringify(record, null, 2));
      return { jobId: null, python: null, reason: python.reason, command: finetuneCommand(plan), ...common };
    }
    const command = finetuneCommand(plan, python.python);
    const jobId = this.startTraining(path.dirname(dataDir), plan, python.python, record);
    return { jobId, python: python.python, reason: null, command, ...common };
  }

  /** Fits the ensemble to the labels in a worker thread (the backend stays responsive meanwhile). */
  async calibrate(store: ProjectStore, input: { seriesIds?: number[]; holdOutShare?: number }): Promise<CalibrationReport> {
    const series = this.labeledSeries(store, input.seriesIds).map((id) => {
      const values = store.loadValues(id);
      return { values, labels: labelsFromIntervals(values.length, store.listLabels(id)) };
    });
    const t0 = performance.now();
    const result = await runTask('calibrate', {
      series,
      ...(input.holdOutShare !== undefined ? { holdOutShare: input.holdOutShare } : {}),
    });
    return {
      params: result.params,
      before: result.before,
      after: result.after,
      heldOut: result.heldOut ?? null,
      seriesUsed: result.seriesUsed,
      seconds: (performance.now() - t0) / 1000,
    };
  }
}
