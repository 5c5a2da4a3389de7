// A serve process for the two-writers test: the real Backend behind the real HTTP server, in its own
// process, with a stand-in page (the suite does not need the built renderer). Prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import { Backend } from '../../main/backend';
import { startServer } from '../../main/server/serve';
import { REPO_ROOT } from '../helpers/tmp';

const [stateDir, root] = process.argv.slice(2);
const rendererDir = path.join(stateDir, 'page');
fs.mkdirSync(rendererDir, { recursive: true });
fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>workbench</title>');
const backend = new Backend({ stateDir, roots: [root], resourcesDir: path.join(REPO_ROOT, 'resources'), version: '0.0.0-test' });
const server = await startServer({ backend, rendererDir });
process.stdout.write(JSON.stringify({ origin: server.origin, token: server.token, pid: process.pid }) + '\n');
process.once('SIGTERM', () => {
  void server.close().then(() => {
    backend.close();
    process.exit(0);
  });
});
