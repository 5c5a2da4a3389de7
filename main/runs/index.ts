export { DetectionService } from './detection-service';
export { evaluateSeries, aggregateEvaluations } from './evaluate';
