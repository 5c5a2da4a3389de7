import { ProjectStore } from '../store';
import { exportProject } from './registry';
import type { ExportOptions, ExportSummary } from './types';

/** An export for a worker thread: the project file (opened on the worker's own connection), never a live store. */
export interface ExportRequest {
  projectPath: string;
  format: string;
  outPath: string;
  options: Omit<ExportOptions, 'progress' | 'signal'>;
}

/**
 * Runs one export on its own SQLite connection, reporting progress. Cancelling terminates the worker,
 * so the caller removes what the export left under its temporary name (see main/backend/exchange.ts).
 */
export async function exportFromProjectFile(input: ExportRequest, progress: (fraction: number) => void): Promise<ExportSummary> {
  const store = ProjectStore.open(input.projectPath);
  try {
    return await exportProject(store, input.format, { ...input.options, progress }, input.outPath);
  } finally {
    store.close();
  }
}
