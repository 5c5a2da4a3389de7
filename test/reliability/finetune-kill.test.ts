// A fine-tune killed with SIGKILL while training and after training but before the version is registered:
// the model list never shows the half-made version (nor a problem for it), the fine-tune is listed as
// interrupted with a message saying so, its temporary version folder is swept, and Resume trains it again
// to a registered version (Delete forgets another). The "python" is a stand-in script that answers the
// probe and writes a copy of the base model as training would: the lifecycle is the app's, not PyTorch's.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStarted } from '../../common/contract';
import type { ModelListing } from '../../common/detection';
import { findTrainingPython } from '../../main/finetune';
import { listTemporaries } from '../../main/store';
import { makeBackend, valueOf } from '../helpers/backend';
import { REPO_ROOT } from '../helpers/tmp';
import { cli, killAtPhase, makeProject } from './helpers';

const BASE = 'tsad-window-cnn@1.2.0';
const FAKE_PYTHON = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
if (args[0] === '-c') { console.log('TORCH 0.0-stand-in'); process.exit(0); }
const arg = (name) => args[args.indexOf(name) + 1];
const out = arg('--out');
fs.mkdirSync(out, { recursive: true });
for (const f of fs.readdirSync(arg('--base'))) fs.copyFileSync(path.join(arg('--base'), f), path.join(out, f));
const card = JSON.parse(fs.readFileSync(path.join(out, 'card.json'), 'utf8'));
fs.writeFileSync(path.join(out, 'card.json'), JSON.stringify({ ...card, version: arg('--version'), parent: card.name + '@' + card.version }));
console.log('PROGRESS 0.5 step 1/2');
console.log('PROGRESS 1.0 done');
`;

let h: ReturnType<typeof makeBackend>;
let env: Record<string, string>;
let userModels: string;
beforeAll(async () => {
  h = makeBackend();
  const python = path.join(h.dir, 'stand-in-python');
  fs.writeFileSync(python, FAKE_PYTHON, { mode: 0o755 });
  process.env.TSAD_PYTHON = python;
  expect((await findTrainingPython(true)).ok).toBe(true);
  env = { TSAD_STATE_DIR: path.join(h.dir, 'state'), TSAD_PYTHON: python, TSAD_TRAINING_DIR: path.join(REPO_ROOT, 'training') };
  userModels = path.join(h.dir, 'state', 'models');
});
afterAll(() => {
  delete process.env.TSAD_PYTHON;
  h.cleanup();
});

async function listing(): Promise<ModelListing> {
  return valueOf<ModelListing>(await h.backend.call('listModels', {}));
}

describe('a killed fine-tune', () => {
  it('is interrupted, never a registered or half-registered version; Resume registers it, Delete forgets it', async () => {
    const project = path.join(h.dir, 'p.tsad.sqlite');
    makeProject(project, 3, 1000);
    const args = ['finetune', project, '--base', BASE, '--out', path.join(h.dir, 'copy'), '--hold-out', '0'];

    await killAtPhase(args, 'finetune:training', h.dir, env);
    // the stand-in wrote its folder under the temporary name; the registry does not see it
    const nameDir = path.join(userModels, 'tsad-window-cnn');
    expect(listTemporaries(nameDir).map((t) => t.purpose)).toEqual(['create']);
    await killAtPhase(args, 'finetune:trained', h.dir, env);

    const cliList = await cli(['models', 'list'], env);
    expect(cliList.status, cliList.stderr).toBe(0);
    expect(cliList.stdout).toContain('interrupted');
    expect(cliList.stdout).toContain('tsad finetune --resume');

    const after = await listing();
    expect(after.models.filter((m) => m.source === 'user')).toEqual([]);
    expect(after.problems).toEqual([]);
    expect(after.finetunes.map((f) => f.status)).toEqual(['interrupted', 'interrupted']);
    for (const f of after.finetunes) {
      expect(f.model).toBe('tsad-window-cnn@1.2.0-ft.1');
      expect(f.message).toMatch(
        /was interrupted: process \d+ .* ended before tsad-window-cnn@1\.2\.0-ft\.1 was trained; nothing was registered/,
      );
    }
    // the listing swept both temporary version folders (their owners are gone)
    expect(fs.readdirSync(nameDir)).toEqual([]);
    expect(fs.existsSync(path.join(h.dir, 'copy'))).toBe(false);

    const [newest, older] = after.finetunes;
    const { jobId, model } = valueOf<JobStarted & { model: string }>(await h.backend.call('resumeFinetune', { id: newest.id }));
    expect(model).toBe('tsad-window-cnn@1.2.0-ft.1');
    const job = await h.backend.jobs.wait(jobId);
    expect(job.state, job.error?.message).toBe('done');
    valueOf(await h.backend.call('deleteFinetune', { id: older.id }));

    const done = await listing();
    const user = done.models.filter((m) => m.source === 'user');
    expect(user.map((m) => m.id)).toEqual(['tsad-window-cnn@1.2.0-ft.1']);
    expect(user[0].finetune?.project).toBe(project);
    expect(done.finetunes).toEqual([]);
    expect(fs.readdirSync(nameDir)).toEqual(['1.2.0-ft.1']);
    expect(fs.readdirSync(path.join(h.dir, 'state', 'finetune'))).toEqual([newest.id]);
    const gone = await h.backend.call('deleteFinetune', { id: older.id });
    expect(gone.ok || gone.error.code).toBe('not_found');
  }, 240_000);
});
