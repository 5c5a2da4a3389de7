import fs from 'node:fs';
import path from 'node:path';
import type {
  AppInfo,
  DirectoryListing,
  MethodName,
  ProjectChangedEvent,
  ProjectSummary,
  SeriesView,
  WorkbenchEvent,
} from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import { dispatch, type Handlers } from '../api/dispatch';
import { previewFile } from '../datasets';
import { assertInsideRoots } from '../datasets/paths';
import { JobManager, runTask } from '../jobs';
import { explainInterval, listRationales, saveRationale } from '../reasoning';
import { DetectionService } from '../runs';
import { VerifierService } from './verifiers';
import { Exchange } from './exchange';
import { ModelService } from './models';
import { ProjectStore } from '../store';
import { indicesAt, pyramidFor, reduceRange, timesAt } from '../views';
import { AppState } from './app-state';
import { loadSampleDataset, SAMPLE_NAME } from './sample';
import { FileSecretStore, type SecretStore } from '../vlm/secret-store';

export interface BackendOptions {
  /** per-user state: recent projects, sample projects */
  stateDir: string;
  /** folders the user may open files from; the state folder is always allowed */
  roots: string[];
  /** the app's bundled resources (sample data, models) */
  resourcesDir: string;
  version: string;
  /** where endpoint keys are kept: the desktop shell passes the safeStorage one; default: a file store in stateDir */
  secrets?: SecretStore;
}

type Listener = (event: WorkbenchEvent) => void;

/**
 * The workbench backend: plain Node, no Electron. Electron's main process, the serve-mode HTTP
 * server and the CLI all host this same object.
 */
export class Backend {
  readonly handlers: Handlers;
  private project: ProjectStore | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly state: AppState;
  private readonly roots: string[];
  readonly jobs: JobManager;
  private readonly detection: DetectionService;
  private readonly models: ModelService;
  private readonly verifiers: VerifierService;
  private readonly exchange: Exchange;
  readonly secrets: SecretStore;

  constructor(readonly options: BackendOptions) {
    this.secrets = options.secrets ?? new FileSecretStore(options.stateDir);
    this.jobs = new JobManager((event) => this.emit(event));
    this.detection = new DetectionService(this.jobs, (event) => this.emit(event), this.modelRoots(), this.verifierRoots());
    this.verifiers = new VerifierService(this.jobs, (event) => this.emit(event), this.verifierRoots(), this.modelRoots());
    this.models = new ModelService(
      this.jobs,
      (event) => this.emit(event),
      this.modelRoots(),
      path.join(options.stateDir, 'finetune'),
    );
    this.exchange = new Exchange(
      this.jobs,
      (event) => this.emit(event),
      (p, mustExist) => this.userPath(p, mustExist),
    );
    this.state = new AppState(options.stateDir);
    fs.mkdirSync(options.stateDir, { recursive: true });
    this.roots = [...new Set([...options.roots, options.stateDir].map((r) => fs.realpathSync(path.resolve(r))))];
    this.handlers = this.createHandlers();
  }

  /** bundled models (resources/models) and the user's own (added and fine-tuned) under the state folder */
  /** bundled verifiers (resources/verifiers) and the user's retrained ones */
  verifierRoots(): { bundledDir: string; userDir: string } {
    return {
      bundledDir: path.join(this.options.resourcesDir, 'verifiers'),
      userDir: path.join(this.options.stateDir, 'verifiers'),
    };
  }

  modelRoots(): { bundledDir: string; userDir: string } {
    return {
      bundledDir: path.join(this.options.resourcesDir, 'models'),
      userDir: path.join(this.options.stateDir, 'models'),
    };
  }

  call(name: MethodName | string, input: unknown) {
    return dispatch(this.handlers, name, input, () => this.project?.path);
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: WorkbenchEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        console.error('[tsad] event listener failed:', err);
      }
    }
  }

  currentProject(): ProjectStore | null {
    return this.project;
  }

  close(): void {
    this.jobs.cancelAll();
    this.project?.close();
    this.project = null;
  }

  private requireProject(): ProjectStore {
    if (!this.project) throw new WorkbenchError('no_project', 'No project is open. Create or open a project first.');
    return this.project;
  }

  /** Resolves a user-supplied path and refuses anything outside the allowed roots. */
  private userPath(p: string, _mustExist: boolean): string {
    // the whole path, resolved (a missing name too: it may be a dangling symlink that leads outside the roots)
    return assertInsideRoots(path.resolve(p), this.roots);
  }

  private summary(store: ProjectStore): ProjectSummary {
    return {
      path: store.path,
      schemaVersion: store.schemaVersion,
      datasets: store.listDatasets(),
      series: store.listSeries(),
      history: store.historyState(),
      readOnly: store.readOnly ? { kind: store.readOnly.kind, message: store.readOnly.message } : null,
    };
  }

  private setProject(store: ProjectStore): ProjectSummary {
    this.project?.close();
    this.project = store;
    this.state.touch(store.path);
    this.emit({ type: 'projectChanged', reason: 'opened' });
    return this.summary(store);
  }

  private labelsChanged(seriesIds: number[]): void {
    const event: ProjectChangedEvent = { type: 'projectChanged', reason: 'labels', seriesIds };
    this.emit(event);
  }

  private createHandlers(): Handlers {
    return {
      appInfo: (): AppInfo => ({
        name: 'TSAD Workbench',
        version: this.options.version,
        roots: this.roots,
        recentProjects: this.state.recentProjects(),
        sampleName: SAMPLE_NAME,
      }),
      createProject: ({ path: p }) => this.setProject(ProjectStore.create(this.userPath(p, false))),
      openProject: ({ path: p }) => this.setProject(ProjectStore.open(this.userPath(p, true))),
      openSampleProject: async () => {
        const dir = path.join(this.options.stateDir, 'samples');
        fs.mkdirSync(dir, { recursive: true });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const file = path.join(dir, `sample-${stamp}.tsad.sqlite`);
        const dataset = await loadSampleDataset(this.options.resourcesDir);
        const store = ProjectStore.create(file);
        try {
          store.insertDataset(dataset);
        } catch (err) {
          store.close();
          fs.rmSync(file, { force: true });
          throw err;
        }
        return this.setProject(store);
      },
      closeProject: () => {
        this.close();
        this.emit({ type: 'projectChanged', reason: 'closed' });
        return null;
      },
      getProject: () => (this.project ? this.summary(this.project) : null),
      listDirectory: ({ path: p }): DirectoryListing => {
        const dir = this.userPath(p ?? this.roots[0], true);
        if (!fs.statSync(dir).isDirectory()) throw new WorkbenchError('invalid_input', `${dir} is not a folder.`, { path: dir });
        const entries = fs
          .readdirSync(dir, { withFileTypes: true })
          .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isFile()))
          .map((e) => {
            const full = path.join(dir, e.name);
            let size: number | null = null;
            if (e.isFile()) {
              try {
                size = fs.statSync(full).size;
              } catch {
                size = null;
              }
            }
            return { name: e.name, path: full, kind: e.isDirectory() ? ('directory' as const) : ('file' as const), size };
          })
          .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
        const parentDir = path.dirname(dir);
        const parentAllowed = parentDir !== dir && this.roots.some((r) => parentDir === r || parentDir.startsWith(r + path.sep));
        return { path: dir, parent: parentAllowed ? parentDir : null, entries };
      },
      getView: ({ seriesId, from, to, pixels }) => {
        const store = this.requireProject();
        return viewOf(seriesId, store.loadValues(seriesId), store.loadTime(seriesId), from, to, pixels);
      },
      timesAt: ({ seriesId, indices }) => {
        const time = this.requireProject().loadTime(seriesId);
        return time ? timesAt(time, indices) : null;
      },
      indicesAt: ({ seriesId, times }) => {
        const time = this.requireProject().loadTime(seriesId);
        if (!time)
          throw new WorkbenchError('invalid_input', `Series ${seriesId} has no time axis; give row indices instead.`, {
            seriesId,
          });
        return indicesAt(time, times);
      },
      listLabels: ({ seriesId }) => this.requireProject().listLabels(seriesId),
      createLabel: ({ seriesId, start, end, type, note }) => {
        const [label] = this.requireProject().createLabels([{ seriesId, start, end, type, note, origin: 'drawn' }]);
        this.labelsChanged([seriesId]);
        return label;
      },
      createLabels: ({ items }) => {
        const labels = this.requireProject().createLabels(items.map((i) => ({ ...i, origin: 'drawn' as const })));
        this.labelsChanged([...new Set(labels.map((l) => l.seriesId))]);
        return labels;
      },
      updateLabel: ({ id, ...patch }) => {
        const label = this.requireProject().updateLabel(id, patch);
        this.labelsChanged([label.seriesId]);
        return label;
      },
      updateLabels: ({ ids, type, note }) => {
        const labels = this.requireProject().updateLabels(ids, { type, note });
        this.labelsChanged([...new Set(labels.map((l) => l.seriesId))]);
        return labels;
      },
      deleteLabel: ({ id }) => {
        const store = this.requireProject();
        const { seriesId } = store.getLabel(id);
        store.deleteLabels([id]);
        this.labelsChanged([seriesId]);
        return null;
      },
      previewDataset: ({ path: p, options }) => previewFile(this.userPath(p, true), options),
      importDataset: ({ path: p, options, name }) => {
        const store = this.requireProject();
        const filePath = this.userPath(p, true);
        const job = this.jobs.start('import', `Import ${path.basename(filePath)}`, (ctx) =>
          runTask(
            'importFile',
            { projectPath: store.path, filePath, options, name },
            { signal: ctx.signal, onProgress: (f) => ctx.progress(f, `Importing ${path.basename(filePath)}`) },
          ),
        );
        job.done.then(
          () => this.emit({ type: 'projectChanged', reason: 'datasets' }),
          () => undefined,
        );
        return { jobId: job.id };
      },
      listJobs: () => this.jobs.list(),
      cancelJob: ({ jobId }) => this.jobs.cancel(jobId),
      listDetectors: () => this.detection.listDetectors(),
      startRun: (input) => this.detection.startRun(this.requireProject(), input),
      resumeRun: ({ runId }) => this.detection.resumeRun(this.requireProject(), runId),
      evaluateRun: ({ runId, seriesIds, allowPartial }) =>
        this.detection.evaluateRun(this.requireProject(), runId, seriesIds, allowPartial),
      listRuns: () => this.requireProject().runs.list(),
      deleteRun: ({ runId }) => {
        this.requireProject().runs.delete(runId);
        this.emit({ type: 'projectChanged', reason: 'runs' });
        return null;
      },
      listPredictions: ({ seriesId, runId }) => this.requireProject().runs.predictions({ seriesId, runId }),
      getScoreView: ({ runId, seriesId, from, to, pixels }) => {
        const lane = this.requireProject().runs.loadScores(runId, seriesId);
        if (!lane)
          throw new WorkbenchError('not_found', `Run ${runId} has no scores for series ${seriesId}.`, { runId, seriesId });
        return viewOf(seriesId, lane, null, from, to, pixels);
      },
      reviewPredictions: ({ predictionIds, action }) => {
        const store = this.requireProject();
        if (action === 'accept') store.acceptPredictions(predictionIds);
        else store.runs.setPredictionStatus(predictionIds, action === 'reject' ? 'rejected' : 'unreviewed');
        const seriesIds = [...new Set(predictionIds.map((id) => store.runs.predictionSeries(id)))];
        this.labelsChanged(seriesIds);
        return store.historyState();
      },
      explainInterval: ({ seriesId, start, end }) => explainInterval(this.requireProject(), seriesId, { start, end }),
      saveRationale: ({ seriesId, start, end, text }) => {
        const result = saveRationale(this.requireProject(), seriesId, { start, end }, text);
        this.emit({ type: 'projectChanged', reason: 'labels', seriesIds: [seriesId] });
        return result;
      },
      listRationales: ({ seriesId, start, end }) => listRationales(this.requireProject(), seriesId, { start, end }),
      searchProject: ({ query, limit }) => this.requireProject().search(query, limit ?? 100),
      listExportFormats: () => this.exchange.listFormats(),
      previewExport: (input) => this.exchange.preview(this.requireProject(), input),
      exportProject: (input) => this.exchange.start(this.requireProject(), input),
      importLabels: (input) => this.exchange.importLabels(this.requireProject(), input),
      undo: () => {
        const store = this.requireProject();
        const state = store.undo();
        this.labelsChanged(store.lastTouchedSeries());
        return state;
      },
      redo: () => {
        const store = this.requireProject();
        const state = store.redo();
        this.labelsChanged(store.lastTouchedSeries());
        return state;
      },
      getHistory: ({ limit }) => this.requireProject().historyEntries(limit ?? 200),
      listModels: () => this.models.list(),
      addModel: ({ path: p, name, version }) => this.models.add(this.userPath(p, true), name, version),
      finetuneModel: (input) => this.models.finetune(this.requireProject(), input),
      secretStatus: () => ({ names: this.secrets.list(), protection: this.secrets.protection }),
      setSecret: ({ name, value }) => {
        this.secrets.set(name, value);
        return null;
      },
      deleteSecret: ({ name }) => {
        if (!this.secrets.delete(name)) throw new WorkbenchError('not_found', `No stored key named "${name}".`, { name });
        return null;
      },
      resumeFinetune: ({ id }) => this.models.resumeFinetune(id),
      deleteFinetune: ({ id }) => this.models.deleteFinetune(id),
      calibrateEnsemble: (input) => this.models.calibrate(this.requireProject(), input),
      listVerifiers: () => this.verifiers.list(),
      retrainVerifier: (input) => this.verifiers.retrain(this.requireProject(), input),
    };
  }
}

/** A reduced view of [from, to) of a series or score lane, in the series' index coordinates. */
function viewOf(
  seriesId: number,
  values: Float64Array | Float32Array,
  time: Float64Array | null,
  from: number,
  to: number,
  pixels: number,
): SeriesView {
  const r = reduceRange(values, from, to, pixels, pyramidFor(values));
  return {
    seriesId,
    from: Math.min(from, values.length),
    to: Math.min(to, values.length),
    length: values.length,
    reduced: r.reduced,
    x: r.x,
    y: r.y,
    t: time ? r.x.map((i) => time[i]) : null,
  };
}
