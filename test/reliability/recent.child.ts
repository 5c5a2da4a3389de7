// One process of the parallel-state test: records a project in the per-user recent list exactly as
// the backend's openProject does (AppState.touch), without loading the rest of the CLI.
import { AppState } from '../../main/backend/app-state';

const [stateDir, project] = process.argv.slice(2);
new AppState(stateDir).touch(project);
