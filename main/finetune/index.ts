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
export {
  FINETUNE_JOB_FILE,
  jobFilePath,
  jobOwnerGone,
  newJobFile,
  readJobs,
  toFinetuneJob,
  writeJobFile,
  type FinetuneJobFile,
} from './job-record';
