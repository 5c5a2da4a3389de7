/**
 * `tsad models`, `tsad finetune`, `tsad calibrate` and `tsad synth`: the learned-model side of the CLI.
 * Same conventions as every command (see index.ts): `--json` prints one object, errors go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { Envelope, JobStarted } from '../../common/contract';
import type { CalibrationReport, FinetuneStarted, ModelInfo, ModelListing, RunRecord } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import type { Backend } from '../backend';
import { sweepTemporaries, tempPath } from '../store/temp-files';
import { writeSynthDataset } from '../synth';

export interface CliCommand {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

/** The shared helpers of index.ts this file uses (passed in to keep one definition of each). */
export interface CliKit {
  printJson(value: unknown): void;
  unwrap<T>(envelope: Envelope<T>): T;
  withProject<T>(projectPath: string, fn: (backend: Backend) => Promise<T>): Promise<T>;
  requireOne(positionals: string[], what: string, usage: string): string;
  stderrProgress(label: string): (fraction: number) => void;
  newBackend(): Backend;
}

/** Exit code when the work could not run here but the command says how to run it by hand. */
export const EXIT_NEEDS_MANUAL_STEP = 3;

const json = { json: { type: 'boolean', default: false } } as const;

function numberFlag(raw: unknown, flag: string, opts: { min: number; max: number; integer?: boolean }): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < opts.min || n > opts.max || (opts.integer && !Number.isInteger(n)))
    throw new WorkbenchError(
      'invalid_input',
      `${flag} must be ${opts.integer ? 'an integer' : 'a number'} from ${opts.min} to ${opts.max}; got ${String(raw)}.`,
    );
  return n;
}

function describeModel(m: ModelInfo): string {
  const metrics = Object.entries(m.metrics)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, 4)
    .map(([k, v]) => `${k} ${(v as number).toFixed(3)}`)
    .join(', ');
  return `${m.id.padEnd(30)} ${m.source.padEnd(8)} ${m.parent ? `from ${m.parent}` : ''}${metrics ? `  ${metrics}` : ''}`;
}

function seriesList(raw: unknown): number[] | undefined {
  if (raw === undefined) return undefined;
  return String(raw)
    .split(',')
    .map((x) => Number(x.trim()));
}

/** Copies a model version to `out` under a temporary name, then renames it: a killed copy leaves no partial folder. */
function copyVersion(dir: string, out: string): void {
  sweepTemporaries(path.dirname(out));
  const staging = tempPath(out, 'partial');
  try {
    fs.cpSync(dir, staging, { recursive: true });
    if (fs.existsSync(out)) fs.rmdirSync(out); // checked empty before training
    fs.renameSync(staging, out);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

export function modelCommands(kit: CliKit): Record<string, CliCommand> {
  /** `tsad finetune --resume ID` / `--delete ID` */
  const unfinished = async (values: Record<string, unknown>): Promise<number> => {
    const backend = kit.newBackend();
    try {
      if (values.delete !== undefined) {
        kit.unwrap(await backend.call('deleteFinetune', { id: String(values.delete) }));
        if (values.json) kit.printJson({ deleted: String(values.delete) });
        else process.stdout.write(`Deleted the unfinished fine-tune ${String(values.delete)}.\n`);
        return 0;
      }
      const out = values.out !== undefined ? path.resolve(String(values.out)) : undefined;
      if (out !== undefined && fs.existsSync(out) && fs.readdirSync(out).length > 0)
        throw new WorkbenchError('conflict', `--out ${out} exists and is not empty; choose a new folder.`, { path: out });
      const started = kit.unwrap(await backend.call('resumeFinetune', { id: String(values.resume) })) as JobStarted & {
        model: string;
      };
      const report = kit.stderrProgress(`Fine-tuning ${started.model}`);
      const off = backend.onEvent((e) => e.type === 'jobProgress' && report(e.fraction));
      const job = await backend.jobs.wait(started.jobId);
      off();
      if (job.state !== 'done')
        throw new WorkbenchError(job.error?.code ?? 'internal', `Fine-tuning ${job.state}: ${job.error?.message ?? ''}`);
      const listing = kit.unwrap(await backend.call('listModels', {})) as ModelListing;
      const model = listing.models.find((m) => m.id === started.model);
      if (!model) throw new WorkbenchError('internal', `Fine-tuning finished but ${started.model} is not in the model list.`);
      if (out !== undefined) copyVersion(model.dir, out);
      if (values.json) kit.printJson({ model, ...(out !== undefined ? { out } : {}) });
      else
        process.stdout.write(`New version ${model.id} (from ${model.parent})${out !== undefined ? `, copied to ${out}` : ''}.\n`);
      return 0;
    } finally {
      backend.close();
    }
  };

  const commands: Record<string, CliCommand> = {
    models: {
      summary: 'list the learned models (bundled, added, fine-tuned) or add one from disk',
      usage:
        'tsad models list [--json]\n' +
        'tsad models add PATH [--name N --version V] [--json]\n' +
        '  PATH   a model folder (card.json + ONNX file) or a bare .onnx file (then --name and --version)',
      options: { name: { type: 'string' }, version: { type: 'string' }, ...json },
      async run(values, positionals) {
        const [sub, ...rest] = positionals;
        const backend = kit.newBackend();
        try {
          if (sub === 'list' || sub === undefined) {
            const listing = kit.unwrap(await backend.call('listModels', {})) as ModelListing;
            if (values.json) kit.printJson(listing);
            else {
              for (const m of listing.models) process.stdout.write(describeModel(m) + '\n');
              for (const p of listing.problems) process.stdout.write(`unreadable: ${p.path}: ${p.message}\n`);
              for (const f of listing.finetunes)
                process.stdout.write(
                  `fine-tune ${f.id}: ${f.status}${f.message ? ` — ${f.message}` : ''}\n` +
                    (f.status === 'running'
                      ? ''
                      : `  resume: tsad finetune --resume ${f.id}   delete: tsad finetune --delete ${f.id}\n`),
                );
              process.stdout.write(`providers in this build: ${listing.providers.map((p) => p.name).join(', ')}\n`);
            }
            return 0;
          }
          if (sub === 'add') {
            const source = kit.requireOne(rest, 'model path', commands.models.usage);
            const info = kit.unwrap(
              await backend.call('addModel', {
                path: path.resolve(source),
                ...(values.name !== undefined ? { name: values.name } : {}),
                ...(values.version !== undefined ? { version: values.version } : {}),
              }),
            ) as ModelInfo;
            if (values.json) kit.printJson({ model: info });
            else process.stdout.write(`Added ${info.id} (${info.dir}).\n`);
            return 0;
          }
          throw new WorkbenchError('invalid_input', `Unknown subcommand "${sub}".\nUsage: ${commands.models.usage}`);
        } finally {
          backend.close();
        }
      },
    },
    finetune: {
      summary: "fine-tune a learned model on a project's labels (needs Python with PyTorch; else prints the command)",
      usage:
        'tsad finetune P --base NAME[@VERSION] --out DIR [--hold-out F] [--seed S] [--quick] [--series S,...] [--json]\n' +
        '  --out DIR       where the new version is copied (it is also registered in your models folder)\n' +
        '  --hold-out F    share of labeled series held out of training for comparison (default 0.3)\n' +
        '  --quick         a short training run (tens of seconds), for trying the loop\n' +
        'tsad finetune --resume ID [--out DIR] [--json] | --delete ID\n' +
        '  an unfinished (interrupted, failed, cancelled) fine-tune of `tsad models list`: train it again, or forget it\n' +
        `  exit ${EXIT_NEEDS_MANUAL_STEP}: no Python with PyTorch here; the printed command does the training`,
      options: {
        base: { type: 'string' },
        out: { type: 'string' },
        'hold-out': { type: 'string' },
        seed: { type: 'string' },
        quick: { type: 'boolean', default: false },
        series: { type: 'string' },
        resume: { type: 'string' },
        delete: { type: 'string' },
        ...json,
      },
      async run(values, positionals) {
        if (values.resume !== undefined || values.delete !== undefined) return unfinished(values);
        const project = kit.requireOne(positionals, 'project file', commands.finetune.usage);
        if (values.base === undefined)
          throw new WorkbenchError('invalid_input', `--base is required.\nUsage: ${commands.finetune.usage}`);
        if (values.out === undefined)
          throw new WorkbenchError('invalid_input', `--out is required.\nUsage: ${commands.finetune.usage}`);
        const out = path.resolve(String(values.out));
        if (fs.existsSync(out) && fs.readdirSync(out).length > 0)
          throw new WorkbenchError('conflict', `--out ${out} exists and is not empty; choose a new folder.`, { path: out });
        const holdOutShare = numberFlag(values['hold-out'], '--hold-out', { min: 0, max: 0.9 });
        const seed = numberFlag(values.seed, '--seed', { min: 0, max: 2 ** 31, integer: true });
        return kit.withProject(project, async (backend) => {
          const started = kit.unwrap(
            await backend.call('finetuneModel', {
              base: values.base,
              quick: values.quick === true,
              ...(holdOutShare !== undefined ? { holdOutShare } : {}),
              ...(seed !== undefined ? { seed } : {}),
              ...(values.series !== undefined ? { seriesIds: seriesList(values.series) } : {}),
            }),
          ) as FinetuneStarted;
          if (started.jobId === null) {
            if (values.json) kit.printJson({ finetune: started, done: false });
            else
              process.stdout.write(
                `No Python with PyTorch here (${started.reason}).\nThe labeled series are exported to ${started.dataDir}.\n` +
                  `Train by hand with:\n  ${started.command}\nThe new version then appears in \`tsad models list\`.\n`,
              );
            return EXIT_NEEDS_MANUAL_STEP;
          }
          const report = kit.stderrProgress(`Fine-tuning ${values.base}`);
          const off = backend.onEvent((e) => e.type === 'jobProgress' && report(e.fraction));
          const job = await backend.jobs.wait(started.jobId);
          off();
          if (job.state !== 'done')
            throw new WorkbenchError(job.error?.code ?? 'internal', `Fine-tuning ${job.state}: ${job.error?.message ?? ''}`);
          const listing = kit.unwrap(await backend.call('listModels', {})) as ModelListing;
          const model = listing.models.find((m) => m.id === started.model);
          if (!model) throw new WorkbenchError('internal', `Fine-tuning finished but ${started.model} is not in the model list.`);
          copyVersion(model.dir, out);
          if (values.json) kit.printJson({ finetune: started, done: true, model, out });
          else
            process.stdout.write(
              `New version ${model.id} (from ${model.parent}), trained on ${started.trainSeriesIds.length} series ` +
                `with ${started.labelCount} labels; held out: ${started.heldOutSeriesIds.join(', ') || 'none'}.\n` +
                `Copied to ${out}. Compare: tsad detect ${project} --detector model:${model.id}` +
                (started.heldOutSeriesIds.length > 0 ? ` --series ${started.heldOutSeriesIds.join(',')}` : '') +
                ' (and the same with the base), then tsad evaluate.\n',
            );
          return 0;
        });
      },
    },
    calibrate: {
      summary: "fit the ensemble's member weights and threshold to a project's labels (no Python), optionally run it",
      usage:
        'tsad calibrate P [--series S,...] [--hold-out F] [--run] [--json]\n' +
        '  --hold-out F   fit on part of the labeled data and report the rest too (default: fit on all)\n' +
        '  --run          start a run of the calibrated ensemble on every series',
      options: { series: { type: 'string' }, 'hold-out': { type: 'string' }, run: { type: 'boolean', default: false }, ...json },
      async run(values, positionals) {
        const project = kit.requireOne(positionals, 'project file', commands.calibrate.usage);
        const holdOutShare = numberFlag(values['hold-out'], '--hold-out', { min: 0, max: 0.9 });
        return kit.withProject(project, async (backend) => {
          const report = kit.unwrap(
            await backend.call('calibrateEnsemble', {
              ...(values.series !== undefined ? { seriesIds: seriesList(values.series) } : {}),
              ...(holdOutShare !== undefined ? { holdOutShare } : {}),
            }),
          ) as CalibrationReport;
          let run: RunRecord | undefined;
          if (values.run) {
            const { jobId, runId } = kit.unwrap(
              await backend.call('startRun', { detector: 'ensemble', params: report.params }),
            ) as { jobId: string; runId: number };
            await backend.jobs.wait(jobId);
            run = (kit.unwrap(await backend.call('listRuns', {})) as RunRecord[]).find((r) => r.id === runId);
          }
          if (values.json) kit.printJson({ calibration: report, ...(run ? { run } : {}) });
          else {
            const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
            const row = (name: string, m: CalibrationReport['before']) =>
              `${name.padEnd(26)} VUS-PR ${f(m.vus_pr)}  AUC-PR ${f(m.auc_pr)}  interval F1 ${f(m.interval_f1)}\n`;
            process.stdout.write(`Calibrated on ${report.seriesUsed} labeled series in ${report.seconds.toFixed(1)} s.\n`);
            process.stdout.write(row('default ensemble', report.before) + row('calibrated', report.after));
            if (report.heldOut)
              process.stdout.write(
                row(`held out (${report.heldOut.how}), default`, report.heldOut.before) +
                  row(`held out, calibrated`, report.heldOut.after),
              );
            process.stdout.write(`params: ${JSON.stringify(report.params)}\n`);
            if (run) process.stdout.write(`Run ${run.id}: ${run.predictionCount} intervals.\n`);
          }
          return 0;
        });
      },
    },
    synth: {
      summary: 'write seeded synthetic series with injected, typed anomalies (CSV + manifest) for tests, demos, training',
      usage:
        'tsad synth --out DIR [--count N] [--seed S] [--length L] [--json]\n' +
        '  one index,value,label CSV per series and manifest.json with each anomaly interval and type',
      options: {
        out: { type: 'string' },
        count: { type: 'string' },
        seed: { type: 'string' },
        length: { type: 'string' },
        ...json,
      },
      async run(values) {
        if (values.out === undefined)
          throw new WorkbenchError('invalid_input', `--out is required.\nUsage: ${commands.synth.usage}`);
        const count = numberFlag(values.count, '--count', { min: 1, max: 1_000_000, integer: true }) ?? 100;
        const seed = numberFlag(values.seed, '--seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? 1;
        const length = numberFlag(values.length, '--length', { min: 16, max: 100_000_000, integer: true }) ?? 4096;
        const out = path.resolve(String(values.out));
        const started = performance.now();
        const manifest = await writeSynthDataset(out, count, seed, { length, progress: kit.stderrProgress('Writing') });
        const anomalies = manifest.series.reduce((n, s) => n + s.anomalies.length, 0);
        const seconds = (performance.now() - started) / 1000;
        if (values.json) kit.printJson({ out, series: manifest.series.length, anomalies, seed, length, seconds });
        else
          process.stdout.write(
            `Wrote ${manifest.series.length} series (${anomalies} anomalies) to ${out} in ${seconds.toFixed(1)} s.\n`,
          );
        return 0;
      },
    },
  };
  return commands;
}
