import path from 'node:path';
import { Backend } from '../../main/backend';
import { makeTempDir, REPO_ROOT } from './tmp';

/** A real backend over a temporary state folder and root, with the repo's resources. */
export function makeBackend(extraRoots: string[] = []) {
  const tmp = makeTempDir('tsad-backend-');
  const backend = new Backend({
    stateDir: path.join(tmp.dir, 'state'),
    roots: [tmp.dir, ...extraRoots],
    resourcesDir: path.join(REPO_ROOT, 'resources'),
    version: '0.0.0-test',
  });
  return {
    backend,
    dir: tmp.dir,
    cleanup: () => {
      backend.close();
      tmp.cleanup();
    },
  };
}
