export { DetectionService } from './detection-service';
export { evaluateSeries, aggregateEvaluations } from './evaluate';
export { runBatch, dataFiles, readBatchSummary, writeBatchSummary, BATCH_SUMMARY_FILE, type BatchSummary } from './batch';
export type { BatchRow } from './batch';
