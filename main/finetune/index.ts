export { writeTrainingFolder, type TrainingSeries } from './folder';
export { findTrainingPython, type PythonInfo } from './python';
export {
  finetuneCommand,
  finetuneVersion,
  locateTrainingDir,
  parseProgressLine,
  runFinetune,
  type FinetunePlan,
  type FinetuneRunOptions,
} from './run';
