import path from 'node:path';
import type { NewDataset } from '../store';
import { readFile } from '../datasets';

export const SAMPLE_FILE = '001_NAB_id_1_Facility_tr_1007_1st_2014.csv';
export const SAMPLE_NAME = 'NAB Facility (TSB-AD sample)';

/** Reads the bundled sample (a TSB-AD file: `Data,Label`) into a dataset with its labels. */
export async function loadSampleDataset(resourcesDir: string): Promise<NewDataset> {
  const file = path.join(resourcesDir, 'sample', SAMPLE_FILE);
  const table = await readFile(file);
  return {
    name: SAMPLE_NAME,
    sourcePath: file,
    sourceHash: table.sourceHash,
    sourceSize: table.sourceSize,
    time: table.time,
    columns: table.columns,
    labels: table.labels ? [{ series: null, intervals: table.labels.intervals }] : [],
  };
}
