import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../../common/errors';
import { defaultBundledModelsDir, scanModels, type ModelEntry } from '../inference';
import { sweepTemporaries, tempPath } from '../store/temp-files';
import { pausePoint } from '../testing/pause-point';
import { writeSynthDataset } from '../synth';

/**
 * What to fine-tune: `base` (a model with weights.pt beside its ONNX), the labeled series folder written
 * by writeTrainingFolder (`dataDir`), and the user models root (`outDir`, ModelRoots.userDir) under
 * which the new version lands as NAME/VERSION. `steps` overrides finetune.py's default (1500; --quick caps
 * it at 150); `synthDir` is a synthetic series folder to mix in (runFinetune writes one when absent).
 */
export interface FinetunePlan {
  base: ModelEntry;
  dataDir: string;
  outDir: string;
  quick?: boolean;
  steps?: number;
  synthDir?: string;
}

export interface FinetuneRunOptions {
  python: string;
  signal?: AbortSignal;
  /** fraction 0..1 of the whole run and what it is doing */
  progress?: (fraction: number, message: string) => void;
  /** files (name → text) written into the new version's folder before it is registered */
  files?: Record<string, string>;
}

const STDERR_LINES = 20;
const SYNTH = { count: 200, quickCount: 60, seed: 1001, length: 2048 };
/** share of the progress bar taken by writing the synthetic folder when runFinetune writes it */
const SYNTH_SHARE = 0.05;

/**
 * The training/ folder holding finetune.py: $TSAD_TRAINING_DIR, then beside the app's resources
 * (packaged app: process.resourcesPath/training), then the checkout's (relative to resources/models or
 * to this source file).
 */
export function locateTrainingDir(): string {
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const candidates = [
    process.env.TSAD_TRAINING_DIR,
    resourcesPath !== undefined ? join(resourcesPath, 'training') : undefined,
    join(defaultBundledModelsDir(), '..', '..', 'training'),
    resolve(dirname(fileURLToPath(import.meta.url)), '../../training'),
  ].filter((p): p is string => p !== undefined && p !== '');
  const found = candidates.find((dir) => existsSync(join(dir, 'finetune.py')));
  if (found === undefined) {
    throw new WorkbenchError('not_found', `training/finetune.py not found (looked in ${candidates.join(', ')}).`, {
      candidates,
    });
  }
  return resolve(found);
}

/** The base version without a previous fine-tune suffix: "1.1.0-ft.3" → "1.1.0". */
function rootVersion(version: string): string {
  return version.replace(/(-ft\.\d+)+$/, '');
}

/**
 * The new version: ROOT-ft.N with N one above the highest ROOT-ft.* already in outDir/NAME (ROOT is the
 * base version without any -ft.N suffix), e.g. 1.1.0 → 1.1.0-ft.1, then 1.1.0-ft.2. compareVersions orders
 * it after ROOT and by N.
 */
export function finetuneVersion(plan: FinetunePlan): string {
  const root = rootVersion(plan.base.version);
  const prefix = `${root}-ft.`;
  let highest = 0;
  const nameDir = join(plan.outDir, plan.base.name);
  if (existsSync(nameDir)) {
    for (const v of readdirSync(nameDir)) {
      if (!v.startsWith(prefix)) continue;
      const n = Number(v.slice(prefix.length));
      if (Number.isInteger(n) && n > highest) highest = n;
    }
  }
  return `${prefix}${highest + 1}`;
}

function finetuneArgs(
  plan: FinetunePlan,
  trainingDir: string,
  version: string,
  synthDir?: string,
  outDir = resolve(plan.outDir, plan.base.name, version),
): string[] {
  const args = [
    join(trainingDir, 'finetune.py'),
    '--base',
    resolve(plan.base.dir),
    '--data',
    resolve(plan.dataDir),
    '--out',
    outDir,
    '--version',
    version,
  ];
  if (synthDir !== undefined) args.push('--synth', resolve(synthDir));
  if (plan.steps !== undefined) args.push('--steps', String(plan.steps));
  if (plan.quick === true) args.push('--quick');
  return args;
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line a user can run by hand (POSIX shell) for this plan, from the folder above training/.
 * Without plan.synthDir, finetune.py generates its synthetic data itself (it needs Node and npx there).
 */
export function finetuneCommand(plan: FinetunePlan, python = '/usr/bin/python3'): string {
  const trainingDir = locateTrainingDir();
  const args = finetuneArgs(plan, trainingDir, finetuneVersion(plan), plan.synthDir);
  return `cd ${shellQuote(dirname(trainingDir))} && ${[python, ...args].map(shellQuote).join(' ')}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Parses `PROGRESS <fraction> <message>` lines of finetune.py. */
export function parseProgressLine(line: string): { fraction: number; message: string } | undefined {
  const m = /^PROGRESS\s+([0-9.]+)\s*(.*)$/.exec(line.trim());
  if (!m) return undefined;
  const fraction = Number(m[1]);
  return Number.isFinite(fraction) ? { fraction: Math.min(1, Math.max(0, fraction)), message: m[2] ?? '' } : undefined;
}

function runChild(
  python: string,
  args: string[],
  cwd: string,
  opts: FinetuneRunOptions,
  progress: (fraction: number, message: string) => void,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // an 'abort' listener added to an already aborted signal never fires: the run would train to the end
    if (opts.signal?.aborted) {
      reject(new WorkbenchError('cancelled', 'Fine-tuning cancelled.'));
      return;
    }
    const child = spawn(python, args, {
      cwd,
      env: {
        ...process.env,
        PYTHONUNBUFFERED: '1',
        OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1',
        TSAD_PARENT_PID: String(process.pid),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stderrLines: string[] = [];
    let stdoutRest = '';
    let stderrRest = '';
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGTERM');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (stdoutRest + chunk).split('\n');
      stdoutRest = lines.pop() ?? '';
      for (const line of lines) {
        const p = parseProgressLine(line);
        if (p === undefined) continue;
        pausePoint('finetune:training');
        progress(p.fraction, p.message);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (stderrRest + chunk).split('\n');
      stderrRest = lines.pop() ?? '';
      stderrLines.push(...lines.filter((l) => l.trim() !== ''));
      stderrLines.splice(0, Math.max(0, stderrLines.length - STDERR_LINES));
    });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new WorkbenchError('io_error', `Cannot start ${python}: ${err.message}`, { python }));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (stderrRest.trim() !== '') stderrLines.push(stderrRest);
      if (aborted) reject(new WorkbenchError('cancelled', 'Fine-tuning cancelled.'));
      else if (code === 0) resolvePromise();
      else {
        const tail = stderrLines.slice(-STDERR_LINES);
        reject(
          new WorkbenchError(
            'internal',
            `Fine-tuning failed (${python} ${args[0]} exited with ${code ?? sig}): ${tail.slice(-3).join(' | ') || 'no error output'}`,
            { exitCode: code, signal: sig, stderr: tail },
          ),
        );
      }
    });
  });
}

/**
 * Runs training/finetune.py for the plan as a child process (cwd: the folder above training/), with
 * progress from its PROGRESS lines, cancellation through `signal` (kills the child and removes the
 * partial version folder), and a WorkbenchError carrying the last stderr lines on failure. Resolves with
 * the new version as the registry sees it under plan.outDir.
 *
 * The child writes into a temporary folder beside the version's (main/store/temp-files.ts naming, so a
 * killed run's folder is swept once its owner is gone and the registry never lists it), which is renamed
 * to NAME/VERSION only once training has succeeded and `files` are in it: a version folder is complete
 * or absent.
 */
export async function runFinetune(plan: FinetunePlan, opts: FinetuneRunOptions): Promise<ModelEntry> {
  const report = opts.progress ?? (() => undefined);
  const weights = join(plan.base.dir, 'weights.pt');
  if (!(await exists(weights))) {
    throw new WorkbenchError(
      'unsupported',
      `Model ${plan.base.id} cannot be fine-tuned: it has no PyTorch weights (${weights}).`,
      { model: plan.base.id, path: weights },
    );
  }
  if (!(await exists(join(plan.dataDir, 'manifest.json')))) {
    throw new WorkbenchError('not_found', `No training data: ${join(plan.dataDir, 'manifest.json')} is missing.`, {
      path: plan.dataDir,
    });
  }
  const trainingDir = locateTrainingDir();
  const version = finetuneVersion(plan);
  const outDir = resolve(plan.outDir, plan.base.name, version);
  if (await exists(outDir)) {
    throw new WorkbenchError('conflict', `Model folder ${outDir} already exists.`, { path: outDir });
  }
  if (opts.signal?.aborted) throw new WorkbenchError('cancelled', 'Fine-tuning cancelled.');

  const nameDir = dirname(outDir);
  await mkdir(nameDir, { recursive: true });
  sweepTemporaries(nameDir);
  const trainDir = tempPath(outDir, 'create');
  let tempSynth: string | undefined;
  let synthDir = plan.synthDir;
  let offset = 0;
  try {
    if (synthDir === undefined) {
      report(0, 'writing synthetic series');
      tempSynth = await mkdtemp(join(tmpdir(), 'tsad-finetune-synth-'));
      const count = plan.quick === true ? SYNTH.quickCount : SYNTH.count;
      await writeSynthDataset(tempSynth, count, SYNTH.seed, {
        length: SYNTH.length,
        ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
        progress: (f) => report(SYNTH_SHARE * f, 'writing synthetic series'),
      });
      synthDir = tempSynth;
      offset = SYNTH_SHARE;
    }
    const args = finetuneArgs(plan, trainingDir, version, synthDir, trainDir);
    await runChild(opts.python, args, dirname(trainingDir), opts, (f, message) => report(offset + (1 - offset) * f, message));
    pausePoint('finetune:trained');
    for (const [name, text] of Object.entries(opts.files ?? {})) await writeFile(join(trainDir, name), text);
    await rename(trainDir, outDir);
  } catch (err) {
    await rm(trainDir, { recursive: true, force: true });
    throw err;
  } finally {
    if (tempSynth !== undefined) await rm(tempSynth, { recursive: true, force: true });
  }

  const { models, problems } = await scanModels(resolve(plan.outDir), 'user');
  const entry = models.find((m) => m.name === plan.base.name && m.version === version);
  if (entry === undefined) {
    const problem = problems.find((p) => p.path.startsWith(outDir));
    throw new WorkbenchError(
      'internal',
      `Fine-tuning finished but ${plan.base.name}@${version} is not readable in ${plan.outDir}${problem ? `: ${problem.message}` : '.'}`,
      { path: outDir },
    );
  }
  report(1, 'done');
  return entry;
}
