import path from 'node:path';
import type { Envelope } from '../../common/contract';
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

/** The value of a backend call's envelope, or a thrown error naming its code and message. */
export function valueOf<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}
