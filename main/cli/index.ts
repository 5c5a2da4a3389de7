/**
 * `tsad`: the command-line host of the backend. Conventions for every command: `--json` prints
 * exactly one JSON object on stdout and nothing else there; errors go to stderr; the exit code is 0
 * only on success.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Envelope, ExplainedInterval } from '../../common/contract';
import type { DetectorInfo, RunEvaluation, RunRecord } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import {
  ANSWER_FORMATS,
  DATE_ORDERS,
  DUPLICATE_TIMESTAMP_POLICIES,
  LABEL_SELECTIONS,
  UNSORTED_TIMESTAMP_POLICIES,
} from '../../common/lists';
import { safeErrorData } from '../security/safe-error';
import { lastProjectPath } from '../store';
import { Backend } from '../backend';
import { importIntoProject } from '../datasets/import-into-project';
import { computeEvidence } from '../reasoning';
import { ChatClient, FileSecretStore, runVlm, type ChatLike } from '../vlm';
import { EXPORT_FORMAT_IDS, exportProject, importIntoStore } from '../exporters';
import { runBatch, writeBatchSummary } from '../runs';
import { thisOwner } from '../store/owner';
import { TWO_STAGE_ID } from '../verify';
import { ProjectStore } from '../store';
import { startServer } from '../server/serve';
import { appVersion, defaultStateDir, RENDERER_DIR, RESOURCES_DIR } from './paths';
import { modelCommands } from './model-commands';
import { verifierCommands } from './verifier-commands';
import { cliModelRoots, openLocalVlmClient, vlmServeCommand } from './vlm-serve';

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

const jsonOption = { json: { type: 'boolean', default: false } } as const;

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** `--params` as a JSON object (an empty object when absent). */
function parseParams(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch (err) {
    throw new WorkbenchError('invalid_input', `--params is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new WorkbenchError('invalid_input', '--params must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new WorkbenchError('invalid_input', `${flag} must be one of ${allowed.join(', ')}; got ${String(value)}.`);
  return value as T;
}

/** Opens a project file, creating it first when asked and it does not exist. */
function openProjectFile(file: string, create: boolean): ProjectStore {
  return create && !fs.existsSync(file) ? ProjectStore.create(file) : ProjectStore.open(file);
}

function requireOne(positionals: string[], what: string, usage: string): string {
  if (positionals.length !== 1)
    throw new WorkbenchError('invalid_input', `Expected one ${what}, got ${positionals.length}.\nUsage: ${usage}`);
  return positionals[0];
}

/**
 * Runs `fn` against a backend with `projectPath` open: the CLI goes through exactly the code path the
 * app uses (validation, jobs, worker threads). The command line is trusted with the whole filesystem.
 */
async function withProject<T>(projectPath: string, fn: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = new Backend({
    stateDir: defaultStateDir(),
    roots: [path.parse(process.cwd()).root],
    resourcesDir: RESOURCES_DIR,
    version: appVersion(),
  });
  try {
    unwrap(await backend.call('openProject', { path: projectPath }));
    return await fn(backend);
  } finally {
    backend.close();
  }
}

/** A backend with no project open, over the user's state folder (model listing, detectors). */
function newBackend(): Backend {
  return new Backend({
    stateDir: defaultStateDir(),
    roots: [path.parse(process.cwd()).root],
    resourcesDir: RESOURCES_DIR,
    version: appVersion(),
  });
}

function unwrap<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) throw new WorkbenchError(envelope.error.code, envelope.error.message, envelope.error.details);
  return envelope.value;
}

/** Progress on stderr (never on stdout, which belongs to --json), only when stderr is a terminal. */
function stderrProgress(label: string): (fraction: number) => void {
  if (!process.stderr.isTTY) return () => undefined;
  let last = -1;
  return (fraction) => {
    const pct = Math.floor(fraction * 100);
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\r${label} ${pct}%`);
    if (pct >= 100) process.stderr.write('\n');
  };
}

const commands: Record<string, Command> = {
  import: {
    summary: 'import a data file (CSV/TSV/Parquet/JSON/NDJSON) into a project, creating the project if needed',
    usage:
      'tsad import FILE --project P [--time-column C | --no-time] [--columns a,b] [--label-column L] [--nab-windows W.json] [--name N] [--date-order O] [--time-zone Z] [--json]\n' +
      '  --project P        the project file (created when it does not exist)\n' +
      '  --time-column C    the time column (default: detected); --no-time uses the row index\n' +
      '  --columns a,b      value columns to import as series (default: every numeric column)\n' +
      '  --label-column L   a 0/1 label column (default: detected, e.g. TSB-AD `Label`, MGAB `is_anomaly`)\n' +
      '  --nab-windows W    NAB windows JSON for this file (found automatically inside a NAB checkout)\n' +
      '  --name N           dataset name (default: the file name)\n' +
      `  --duplicates H     repeated timestamps: ${DUPLICATE_TIMESTAMP_POLICIES.join(', ')} (default error)\n` +
      `  --unsorted H       timestamps out of order: ${UNSORTED_TIMESTAMP_POLICIES.join(', ')} (default error)\n` +
      `  --date-order O     dates like 03/04/2024: ${DATE_ORDERS.join(' or ')} (required when the data cannot decide)\n` +
      '  --time-zone Z      IANA zone of local timestamps (e.g. Europe/Berlin): converted to UTC, a repeated DST hour resolved',
    options: {
      project: { type: 'string' },
      'time-column': { type: 'string' },
      'no-time': { type: 'boolean', default: false },
      columns: { type: 'string' },
      'label-column': { type: 'string' },
      'nab-windows': { type: 'string' },
      name: { type: 'string' },
      duplicates: { type: 'string' },
      unsorted: { type: 'string' },
      'date-order': { type: 'string' },
      'time-zone': { type: 'string' },
      ...jsonOption,
    },
    async run(values, positionals) {
      const file = requireOne(positionals, 'data file', commands.import.usage);
      const dateOrder = oneOf(values['date-order'], '--date-order', DATE_ORDERS);
      const duplicates = oneOf(values.duplicates, '--duplicates', DUPLICATE_TIMESTAMP_POLICIES);
      const unsorted = oneOf(values.unsorted, '--unsorted', UNSORTED_TIMESTAMP_POLICIES);
      const project = values.project as string | undefined;
      if (!project) throw new WorkbenchError('invalid_input', `--project is required.\nUsage: ${commands.import.usage}`);
      if (values['no-time'] && values['time-column'])
        throw new WorkbenchError('invalid_input', 'Use either --time-column or --no-time, not both.');
      const created = !fs.existsSync(project);
      if (!created) openProjectFile(project, false).close();
      try {
        const started = Date.now();
        const report = stderrProgress(`Importing ${path.basename(file)}`);
        const result = await importIntoProject(
          {
            projectPath: project,
            filePath: file,
            create: created,
            name: values.name as string | undefined,
            nabWindowsPath: (values['nab-windows'] as string | undefined) ?? undefined,
            options: {
              timeColumn: values['no-time'] ? null : (values['time-column'] as string | undefined),
              valueColumns: values.columns
                ? String(values.columns)
                    .split(',')
                    .map((c) => c.trim())
                    .filter(Boolean)
                : undefined,
              labelColumn: values['label-column'] as string | undefined,
              ...(duplicates ? { duplicateTimestamps: duplicates } : {}),
              ...(unsorted ? { unsortedTimestamps: unsorted } : {}),
              ...(dateOrder ? { dateOrder } : {}),
              ...(values['time-zone'] ? { timeZone: String(values['time-zone']) } : {}),
            },
          },
          (p) => report(p.fraction),
        );
        const seconds = (Date.now() - started) / 1000;
        if (values.json) printJson({ project: path.resolve(project), file: path.resolve(file), ...result, seconds });
        else {
          process.stdout.write(
            `Imported ${result.rows.toLocaleString()} rows as ${result.seriesIds.length} series (ids ${result.seriesIds.join(', ')}) with ${result.labels} labels into ${project} in ${seconds.toFixed(2)} s.\n`,
          );
          for (const w of result.warnings) process.stdout.write(`warning: ${w}\n`);
        }
      } catch (err) {
        if (created) fs.rmSync(project, { force: true }); // a failed import leaves no half-made project behind
        throw err;
      }
      return 0;
    },
  },
  detectors: {
    summary: 'list the detectors with their parameter manifests',
    usage: 'tsad detectors [--json]',
    options: { ...jsonOption },
    async run(values) {
      const backend = new Backend({
        stateDir: defaultStateDir(),
        roots: [process.cwd()],
        resourcesDir: RESOURCES_DIR,
        version: appVersion(),
      });
      const list = unwrap(await backend.call('listDetectors', {})) as DetectorInfo[];
      backend.close();
      if (values.json) printJson({ detectors: list });
      else {
        for (const d of list) {
          process.stdout.write(`${d.id.padEnd(18)} ${d.name}\n`);
          for (const [k, spec] of Object.entries(d.params))
            process.stdout.write(
              `${''.padEnd(20)}${k} (${spec.type}, default ${JSON.stringify(spec.default)}): ${spec.description}\n`,
            );
        }
      }
      return 0;
    },
  },
  detect: {
    summary: "run a detector over a project's series in worker threads and store the run",
    usage:
      'tsad detect P [--detector ID] [--params JSON] [--series S[,S...]] [--json]\n' +
      'tsad detect P --resume R [--json]   score only the series interrupted run R is missing\n' +
      '  --detector ID   a detector id from `tsad detectors`, or model:NAME[@VERSION] for a learned model;\n' +
      '                  default two-stage (screening + verifier); ensemble gives the single-stage intervals\n' +
      '  --params JSON   parameters, e.g. \'{"window":100}\' (defaults from the manifest)\n' +
      '  --series S      series ids (default: every series)',
    options: {
      detector: { type: 'string' },
      params: { type: 'string' },
      series: { type: 'string' },
      resume: { type: 'string' },
      ...jsonOption,
    },
    async run(values, positionals) {
      const project = requireOne(positionals, 'project file', commands.detect.usage);
      const resume = values.resume === undefined ? undefined : Number(values.resume);
      if (resume !== undefined && (!Number.isInteger(resume) || resume <= 0))
        throw new WorkbenchError('invalid_input', `--resume must be a run id, got ${String(values.resume)}.`);
      if (resume !== undefined && (values.detector || values.params || values.series))
        throw new WorkbenchError(
          'invalid_input',
          "--resume takes the run's own detector, parameters and series; give no others.",
        );
      const detector = (values.detector as string | undefined) ?? (resume !== undefined ? `run ${resume}` : TWO_STAGE_ID);
      const params = parseParams(values.params);
      const seriesIds =
        values.series === undefined
          ? undefined
          : String(values.series)
              .split(',')
              .map((x) => Number(x.trim()));
      return withProject(project, async (backend) => {
        const report = stderrProgress(`Running ${detector}`);
        const off = backend.onEvent((e) => e.type === 'jobProgress' && report(e.fraction));
        const { jobId, runId } = unwrap(
          resume !== undefined
            ? await backend.call('resumeRun', { runId: resume })
            : await backend.call('startRun', { detector, params, seriesIds }),
        ) as { jobId: string; runId: number };
        const job = await backend.jobs.wait(jobId);
        off();
        const run = unwrap(await backend.call('listRuns', {})) as RunRecord[];
        const record = run.find((r) => r.id === runId);
        if (job.state !== 'done')
          throw new WorkbenchError(job.error?.code ?? 'internal', `Run ${runId} ${job.state}: ${job.error?.message ?? ''}`);
        if (values.json) printJson({ run: record });
        else
          process.stdout.write(
            `Run ${runId}: ${record?.detector} on ${record?.seriesIds.length} series, ${record?.predictionCount} intervals, ${record?.timings.total_s?.toFixed(2)} s.\n`,
          );
        return 0;
      });
    },
  },
  evaluate: {
    summary: 'evaluate a run against the current labels: every metric, per series and overall',
    usage:
      'tsad evaluate P --run R [--allow-partial] [--json]\n' +
      '  --allow-partial   evaluate a running or interrupted run on the series it covers (refused otherwise)',
    options: { run: { type: 'string' }, 'allow-partial': { type: 'boolean', default: false }, ...jsonOption },
    async run(values, positionals) {
      const project = requireOne(positionals, 'project file', commands.evaluate.usage);
      const runId = Number(values.run);
      if (!Number.isInteger(runId) || runId <= 0)
        throw new WorkbenchError('invalid_input', `--run must be a run id, got ${String(values.run)}.`);
      return withProject(project, async (backend) => {
        const allowPartial = values['allow-partial'] === true;
        const ev = unwrap(await backend.call('evaluateRun', { runId, allowPartial })) as RunEvaluation;
        if (values.json) printJson(ev);
        else {
          if (ev.partial)
            process.stdout.write(
              `PARTIAL: run ${runId} covers ${ev.partial.seriesIds.length} of ${ev.partial.seriesIds.length + ev.partial.missingSeriesIds.length} series (missing ${ev.partial.missingSeriesIds.join(', ')}).\n`,
            );
          const keys = [
            'auc_pr',
            'auc_roc',
            'standard_f1',
            'pa_f1',
            'point_f1',
            'interval_tp',
            'interval_fp',
            'interval_fn',
            'interval_f1',
            'mean_iou',
          ];
          const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
          process.stdout.write(['series'.padEnd(24), ...keys.map((k) => k.padStart(13))].join('') + '\n');
          for (const s of ev.perSeries)
            process.stdout.write(
              [s.seriesName.slice(0, 23).padEnd(24), ...keys.map((k) => fmt(s.metrics[k]).padStart(13))].join('') + '\n',
            );
          process.stdout.write(['overall'.padEnd(24), ...keys.map((k) => fmt(ev.overall[k]).padStart(13))].join('') + '\n');
        }
        return 0;
      });
    },
  },
  explain: {
    summary: 'write a rationale card for every labeled (or predicted) interval and check its claims against the data',
    usage:
      'tsad explain P [--labels | --run R] [--json]\n' +
      '  --labels   explain the human labels (default)\n' +
      '  --run R    explain the intervals predicted by run R',
    options: { labels: { type: 'boolean', default: false }, run: { type: 'string' }, ...jsonOption },
    async run(values, positionals) {
      const project = requireOne(positionals, 'project file', commands.explain.usage);
      if (values.run !== undefined && values.labels)
        throw new WorkbenchError('invalid_input', 'Use either --labels or --run, not both.');
      return withProject(project, async (backend) => {
        const store = backend.currentProject()!;
        const intervals =
          values.run !== undefined
            ? store.runs.predictions({ runId: Number(values.run) })
            : store.listSeries().flatMap((s) => store.listLabels(s.id));
        if (values.run !== undefined) store.runs.get(Number(values.run)); // a clear error for an unknown run
        const cards = [];
        for (const iv of intervals) {
          const card = unwrap(
            await backend.call('explainInterval', { seriesId: iv.seriesId, start: iv.start, end: iv.end }),
          ) as ExplainedInterval;
          cards.push({
            seriesId: iv.seriesId,
            start: iv.start,
            end: iv.end,
            type: card.type,
            confidence: card.confidence,
            text: card.text,
            evidence: computeEvidence(store.loadValues(iv.seriesId), { start: iv.start, end: iv.end }),
            verified: card.faithfulness.verified,
            contradicted: card.faithfulness.contradicted,
            unverifiable: card.faithfulness.unverifiable,
          });
        }
        if (values.json) printJson({ cards });
        else {
          for (const c of cards) {
            process.stdout.write(
              `series ${c.seriesId} [${c.start}, ${c.end}) — ${c.type} (${c.confidence.toFixed(2)}); claims ${c.verified} verified, ${c.contradicted} contradicted, ${c.unverifiable} unverifiable\n${c.text}\n\n`,
            );
          }
        }
        return 0;
      });
    },
  },
  vlm: {
    summary:
      'ask a vision-language model (OpenAI-compatible endpoint) for anomalies on plots of every series; stores a run with model rationales',
    usage:
      `tsad vlm P --endpoint URL --model M --format ${ANSWER_FORMATS.join('|')} [--window N] [--overlap N] [--key-name NAME] [--json]\n` +
      '  --endpoint URL   base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama)\n' +
      '  --key-name NAME  use the API key stored with `tsad secret set NAME` (or set TSAD_VLM_API_KEY); keys are never written to projects or logs\n' +
      '  --window N       points per plot (default 1000), --overlap N shared between plots (default N/5)\n' +
      '  --model vlm:NAME[@VERSION] without --endpoint: the bundled VLM in this process (tsad vlm-serve serves the same model)',
    options: {
      endpoint: { type: 'string' },
      model: { type: 'string' },
      format: { type: 'string' },
      window: { type: 'string' },
      overlap: { type: 'string' },
      'key-name': { type: 'string' },
      timeout: { type: 'string' },
      ...jsonOption,
    },
    async run(values, positionals) {
      const project = requireOne(positionals, 'project file', commands.vlm.usage);
      const format = oneOf(values.format, '--format', ANSWER_FORMATS);
      const local = !values.endpoint && String(values.model ?? '').startsWith('vlm:');
      if ((!values.endpoint && !local) || !values.model || !format)
        throw new WorkbenchError('invalid_input', `--endpoint, --model and --format are required.\nUsage: ${commands.vlm.usage}`);
      let client: ChatLike;
      let release = async () => {};
      if (local) ({ client, release } = await openLocalVlmClient(String(values.model).slice(4), format));
      else {
        const keyName = values['key-name'] as string | undefined;
        const apiKey = keyName ? new FileSecretStore(defaultStateDir()).get(keyName) : (process.env.TSAD_VLM_API_KEY ?? null);
        if (keyName && apiKey === null)
          throw new WorkbenchError(
            'not_found',
            `No stored key named "${keyName}". Store one with \`tsad secret set ${keyName}\`.`,
          );
        client = new ChatClient(
          { baseUrl: String(values.endpoint), model: String(values.model), apiKey },
          { timeoutMs: values.timeout ? Number(values.timeout) : 120_000 },
        );
      }
      const store = openProjectFile(project, false);
      try {
        const report = stderrProgress(`Asking ${client.endpoint.model}`);
        const runId = await runVlm(store, client, {
          format,
          windowSize: values.window ? Number(values.window) : undefined,
          overlap: values.overlap ? Number(values.overlap) : undefined,
          progress: report,
        });
        const run = store.runs.get(runId);
        if (values.json) printJson({ run });
        else
          process.stdout.write(
            `Run ${runId}: ${run.detector} found ${run.predictionCount} intervals on ${run.seriesIds.length} series.\n`,
          );
      } finally {
        store.close();
        await release();
      }
      return 0;
    },
  },
  secret: {
    summary: 'API keys for model endpoints, kept in your user state, never in projects: tsad secret set|list|delete',
    usage:
      'tsad secret set NAME      store a key read from standard input\n' +
      'tsad secret list          the names stored (never the keys)\n' +
      'tsad secret delete NAME   forget a key',
    options: { ...jsonOption },
    async run(values, positionals) {
      const [action, name] = positionals;
      const needsName = action === 'set' || action === 'delete';
      if (!['set', 'delete', 'list'].includes(action ?? '') || (needsName && !name) || positionals.length > (needsName ? 2 : 1))
        throw new WorkbenchError('invalid_input', `Usage: ${commands.secret.usage}`);
      const secrets = new FileSecretStore(defaultStateDir());
      if (action === 'list') {
        const names = secrets.list();
        if (values.json) printJson({ names, protection: secrets.protection });
        else
          process.stdout.write(
            `${names.length > 0 ? names.join('\n') + '\n' : '(no keys stored)\n'}Keys are ${secrets.protection}.\n`,
          );
        return 0;
      }
      if (action === 'delete') {
        if (!secrets.delete(name))
          throw new WorkbenchError('not_found', `No stored key named "${name}" (see \`tsad secret list\`).`, { name });
      } else {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        const key = Buffer.concat(chunks).toString('utf8').trim();
        if (!key) throw new WorkbenchError('invalid_input', 'No key on standard input.');
        secrets.set(name, key);
      }
      if (values.json) printJson({ ok: true, name, action, protection: secrets.protection });
      else
        process.stdout.write(
          action === 'set' ? `Stored the key "${name}": ${secrets.protection}.\n` : `Deleted the key "${name}".\n`,
        );
      return 0;
    },
  },
  export: {
    summary: 'export a project: labels, benchmark formats, fine-tuning data, a bundle or an HTML report',
    usage:
      `tsad export P --format FORMAT --out PATH [--series 1,2] [--labels ${LABEL_SELECTIONS.join('|')}] [--runs 1,2]\n` +
      `              [--from N --to N] [--answer-format ${ANSWER_FORMATS.join('|')}] [--allow-partial] [--dry-run] [--force] [--json]\n` +
      '  --allow-partial: with-predictions takes running or interrupted runs too (refused otherwise)\n' +
      `  FORMAT: ${EXPORT_FORMAT_IDS.join(', ')}\n` +
      '  --out is a file when the format makes one file, else a folder; an existing output is kept unless --force',
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      series: { type: 'string' },
      labels: { type: 'string' },
      runs: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'answer-format': { type: 'string' },
      'allow-partial': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      ...jsonOption,
    },
    async run(values, positionals) {
      const project = requireOne(positionals, 'project file', commands.export.usage);
      const format = oneOf(values.format, '--format', EXPORT_FORMAT_IDS);
      if (!format || !values.out)
        throw new WorkbenchError('invalid_input', `--format and --out are required.\nUsage: ${commands.export.usage}`);
      const ids = (v: unknown) =>
        v === undefined
          ? undefined
          : String(v)
              .split(',')
              .map((x) => Number(x.trim()));
      const store = openProjectFile(project, false);
      try {
        const summary = await exportProject(
          store,
          format,
          {
            seriesIds: ids(values.series),
            labels: oneOf(values.labels, '--labels', LABEL_SELECTIONS),
            runIds: ids(values.runs),
            allowPartial: values['allow-partial'] === true,
            range:
              values.from !== undefined || values.to !== undefined
                ? { unit: 'index', from: Number(values.from ?? 0), to: Number(values.to ?? Number.MAX_SAFE_INTEGER) }
                : undefined,
            dryRun: Boolean(values['dry-run']),
            force: Boolean(values.force),
            sft: values['answer-format']
              ? { answerFormat: oneOf(values['answer-format'], '--answer-format', ANSWER_FORMATS) }
              : undefined,
            progress: stderrProgress(`Exporting ${format}`),
          },
          String(values.out),
        );
        if (values.json) printJson(summary);
        else {
          process.stdout.write(
            `${summary.dryRun ? 'Would write' : 'Wrote'} ${summary.files.length} file(s) to ${summary.outPath}: ${summary.series} series, ${summary.labels} labels, ${summary.predictions} predictions, ${summary.records} records.\n`,
          );
          for (const n of summary.notes) process.stdout.write(`note: ${n}\n`);
        }
      } finally {
        store.close();
      }
      return 0;
    },
  },
  'import-labels': {
    summary:
      "import labels (or labeled data) from the field's formats into a project; nothing is imported when anything is wrong",
    usage:
      'tsad import-labels P FILE --format labels-csv|labels-json|tsb-ad|nab|timeeval|ucr [--dry-run] [--json]\n' +
      '  --dry-run   check the file and report what would be imported, changing nothing',
    options: { format: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, ...jsonOption },
    async run(values, positionals) {
      if (positionals.length !== 2)
        throw new WorkbenchError('invalid_input', `Expected a project and a file.\nUsage: ${commands['import-labels'].usage}`);
      const [project, file] = positionals;
      const format = oneOf(values.format, '--format', EXPORT_FORMAT_IDS);
      if (!format) throw new WorkbenchError('invalid_input', `--format is required.\nUsage: ${commands['import-labels'].usage}`);
      const store = openProjectFile(project, false);
      try {
        const dryRun = values['dry-run'] === true;
        const summary = await importIntoStore(store, format, file, { dryRun });
        if (values.json) printJson(summary);
        else
          process.stdout.write(
            `${dryRun ? 'Would import' : 'Imported'} ${summary.labels} labels (${summary.skipped} already present) into ${project}.\n`,
          );
      } finally {
        store.close();
      }
      return 0;
    },
  },
  batch: {
    summary: 'import every data file of a folder into its own project, run a detector on each (all cores), and print a summary',
    usage:
      'tsad batch DIR --detector ID --out DIR [--params JSON] [--json]\n  exit code 0 when every file went through, 1 when any failed (its row says why)',
    options: { detector: { type: 'string' }, out: { type: 'string' }, params: { type: 'string' }, ...jsonOption },
    async run(values, positionals) {
      const dir = requireOne(positionals, 'folder', commands.batch.usage);
      if (!values.detector || !values.out)
        throw new WorkbenchError('invalid_input', `--detector and --out are required.\nUsage: ${commands.batch.usage}`);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new WorkbenchError('not_found', `${dir} is not a folder.`);
      const params = parseParams(values.params);
      const started = Date.now();
      const rows = await runBatch(
        dir,
        String(values.out),
        String(values.detector),
        params,
        (done, total) => process.stderr.isTTY && process.stderr.write(`\r${done}/${total} files`),
        (message) => process.stderr.write(`${message}\n`),
      );
      const failed = rows.filter((r) => r.error !== null);
      const summary = {
        detector: values.detector,
        files: rows.length,
        failed: failed.length,
        seconds: (Date.now() - started) / 1000,
        rows,
      };
      writeBatchSummary(String(values.out), {
        status: 'done',
        owner: thisOwner(),
        startedAt: new Date(started).toISOString(),
        heartbeatAt: new Date().toISOString(),
        ...summary,
        detector: String(values.detector),
      });
      if (values.json) printJson(summary);
      else {
        const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
        process.stdout.write(
          `${'file'.padEnd(60)}${'rows'.padStart(9)}${'labels'.padStart(8)}${'found'.padStart(7)}${'auc_pr'.padStart(8)}${'int_f1'.padStart(8)}${'s'.padStart(7)}\n`,
        );
        for (const r of rows) {
          const name = path.relative(dir, r.file).slice(-59).padEnd(60);
          if (r.error) process.stdout.write(`${name}  FAILED: ${r.error}\n`);
          else
            process.stdout.write(
              `${name}${String(r.rows).padStart(9)}${String(r.labels).padStart(8)}${String(r.intervals).padStart(7)}${fmt(r.metrics?.auc_pr).padStart(8)}${fmt(r.metrics?.interval_f1).padStart(8)}${r.seconds.toFixed(1).padStart(7)}\n`,
            );
        }
        process.stdout.write(
          `${rows.length} files, ${failed.length} failed, ${summary.seconds.toFixed(1)} s; summary.json in ${values.out}\n`,
        );
      }
      return failed.length > 0 ? 1 : 0;
    },
  },
  info: {
    summary: 'describe a project: datasets, series (ids, names, lengths) and label counts',
    usage: 'tsad info P [--json]',
    options: { ...jsonOption },
    async run(values, positionals) {
      const store = openProjectFile(requireOne(positionals, 'project file', commands.info.usage), false);
      try {
        const datasets = store.listDatasets();
        const series = store.listSeries();
        const info = {
          project: store.path,
          schemaVersion: store.schemaVersion,
          datasets: datasets.map((d) => ({ ...d, series: series.filter((s) => s.datasetId === d.id) })),
          labelCount: series.reduce((a, s) => a + s.labelCount, 0),
          readOnly: store.readOnly ? { kind: store.readOnly.kind, message: store.readOnly.message } : null,
        };
        if (values.json) printJson(info);
        else {
          process.stdout.write(
            `${info.project} (schema ${info.schemaVersion}): ${datasets.length} datasets, ${series.length} series, ${info.labelCount} labels\n`,
          );
          if (info.readOnly) process.stdout.write(`read-only: ${info.readOnly.message}\n`);
          for (const d of info.datasets) {
            process.stdout.write(
              `  dataset ${d.id} ${d.name}: ${d.rowCount.toLocaleString()} rows${d.hasTime ? ', time axis' : ''}\n`,
            );
            for (const s of d.series) {
              process.stdout.write(
                `    series ${s.id} ${s.name}: length ${s.length.toLocaleString()}, ${s.missing} missing, ${s.labelCount} labels\n`,
              );
            }
          }
        }
      } finally {
        store.close();
      }
      return 0;
    },
  },
  serve: {
    summary: 'serve the workbench to a browser on 127.0.0.1, guarded by a token',
    usage:
      'tsad serve [--port N] [--root DIR]... [--state-dir DIR] [--json]\n' +
      '  --port N         port on 127.0.0.1 (default: a free one)\n' +
      '  --root DIR       a folder the browser may open files from (repeatable; default: the current folder and your home)\n' +
      '  --state-dir DIR  where recent projects and sample projects live (default: $TSAD_STATE_DIR or ~/.local/state/tsad-workbench)\n' +
      '  --json           print {"url","port","token"} as one JSON line once listening',
    options: {
      port: { type: 'string' },
      root: { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      ...jsonOption,
    },
    async run(values) {
      const port = values.port === undefined ? 0 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new WorkbenchError('invalid_input', `--port must be an integer from 0 to 65535, got ${String(values.port)}.`);
      }
      if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
        throw new WorkbenchError(
          'not_found',
          `The renderer is not built (${RENDERER_DIR} is missing). Run \`npm run build\` first, or use \`npm run serve\`.`,
        );
      }
      const roots = (values.root as string[] | undefined) ?? [process.cwd(), os.homedir()];
      for (const r of roots) {
        if (!fs.existsSync(r) || !fs.statSync(r).isDirectory())
          throw new WorkbenchError('not_found', `--root ${r} is not a folder.`);
      }
      const backend = new Backend({
        stateDir: (values['state-dir'] as string | undefined) ?? defaultStateDir(),
        roots,
        resourcesDir: RESOURCES_DIR,
        version: appVersion(),
      });
      const server = await startServer({ backend, rendererDir: RENDERER_DIR, port });
      if (values.json) printJson({ url: server.url, port: server.port, token: server.token });
      else {
        process.stdout.write(
          `TSAD Workbench (serve mode) is listening on 127.0.0.1 only.\nOpen: ${server.url}\nPress Ctrl+C to stop.\n`,
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      backend.close();
      return 0;
    },
  },
};

const kit = { printJson, unwrap, withProject, requireOne, stderrProgress, newBackend };
Object.assign(commands, modelCommands(kit), verifierCommands(kit), {
  'vlm-serve': vlmServeCommand(printJson, cliModelRoots),
});

function help(): string {
  const lines = [
    `tsad ${appVersion()} — TSAD Workbench command line`,
    '',
    'Usage: tsad <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`),
    '',
    "Run `tsad <command> --help` for a command's options. Every command accepts --json: one JSON object on stdout.",
  ];
  return lines.join('\n') + '\n';
}

/** `tsad info P | head`: a reader that closes the pipe early ends the command quietly, as other CLI tools do. */
let pipeGuarded = false;
function quietOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(appVersion() + '\n');
    return 0;
  }
  const command = commands[name];
  const wantsJson = rest.includes('--json');
  try {
    if (!command) throw new WorkbenchError('invalid_input', `Unknown command "${name}". Run \`tsad --help\` for the list.`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`Usage: ${command.usage}\n`);
      return 0;
    }
    let parsed: { values: Record<string, unknown>; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true }) as typeof parsed;
    } catch (err) {
      throw new WorkbenchError('invalid_input', `${(err as Error).message}\nUsage: ${command.usage}`);
    }
    return await command.run(parsed.values, parsed.positionals);
  } catch (err) {
    const data = safeErrorData(err, lastProjectPath());
    if (wantsJson) process.stderr.write(JSON.stringify({ error: data }) + '\n');
    else process.stderr.write(`tsad: ${data.message}\n`);
    return data.code === 'invalid_input' ? 2 : 1;
  }
}

export { commands };
