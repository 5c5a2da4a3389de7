import { importIntoProject, type ImportRequest } from '../datasets/import-into-project';
import { calibrateEnsemble, type CalibrationSeries } from '../detectors';
import { exportFromProjectFile } from '../exporters/export-task';
import { detectIntervals } from '../runs/detect-task';
import { retrainVerifier } from '../verify/retrain';

/**
 * The tasks a worker thread can run. Each is a pure function of its (structured-clonable) input;
 * adding one is one entry here.
 */
export const TASKS = {
  /** scores one series with one detector and turns the scores into intervals */
  detect: detectIntervals,
  /** fits the ensemble's weights and threshold to labeled series (see detectors/calibrate.ts) */
  calibrate: (input: { series: CalibrationSeries[]; holdOutShare?: number }, progress: (f: number) => void) =>
    calibrateEnsemble(input.series, {
      progress,
      ...(input.holdOutShare !== undefined ? { holdOutShare: input.holdOutShare } : {}),
    }),
  /** writes an export of the project file (its own SQLite connection; see exporters/export-task.ts) */
  exportProject: exportFromProjectFile,
  /** reads a file (DuckDB) and writes it into the project file (its own SQLite connection) */
  importFile: (input: ImportRequest, progress: (f: number) => void) => importIntoProject(input, (p) => progress(p.fraction)),
  /** fits a new verifier version on the parent's examples and a project's reviews (see verify/retrain.ts) */
  retrainVerifier,

  /** a self-test task: sums the values, reporting progress, optionally spinning forever (for cancel tests) */
  sum: (input: { values: Float64Array; spin?: boolean }, progress: (f: number) => void): number => {
    let s = 0;
    for (let i = 0; i < input.values.length; i++) {
      s += input.values[i];
      if (i % 1024 === 0) progress(i / input.values.length);
    }
    while (input.spin) {
      // spin until terminated
    }
    return s;
  },
};

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
