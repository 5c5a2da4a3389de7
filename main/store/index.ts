export { ProjectStore, labelFromRow, lastProjectPath } from './project-store';
export type { NewDataset, NewSeries, LabelDraft, LabelPatch, OpenOptions, ReadOnlyReason } from './project-store';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations';
export { RunStore, assertCompleteRun, describeCoverage, isPartialRun } from './run-store';
export type { RunRecord, PredictionRecord, NewPrediction, RunStatus, PredictionStatus } from './run-store';
export { storageError, withStorageErrors } from './storage-errors';
export { listTemporaries, sweepTemporaries, tempPath } from './temp-files';
export { readLock, lockPathOf } from './project-lock';
