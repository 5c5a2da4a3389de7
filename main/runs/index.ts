export { DetectionService } from './detection-service';
export { evaluateSeries, aggregateEvaluations } from './evaluate';
export { runBatch, dataFiles } from './batch';
export type { BatchRow } from './batch';
