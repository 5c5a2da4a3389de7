export { ProjectStore, labelFromRow } from './project-store';
export type { NewDataset, NewSeries, LabelDraft, LabelPatch } from './project-store';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations';
export { RunStore } from './run-store';
export type { RunRecord, PredictionRecord, NewPrediction, RunStatus, PredictionStatus } from './run-store';
export { RationaleStore } from './rationale-store';
export type { NewRationale, RationaleRow } from './rationale-store';
