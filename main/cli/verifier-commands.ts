/**
 * `tsad verifier list` and `tsad verifier retrain P`: the two-stage detector's verifiers on the CLI, through
 * the backend's contract like the app (same checks, same job).
 */
import type { VerifierInfo, VerifierRetrainResult } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import type { CliCommand, CliKit } from './model-commands';

const USAGE =
  'tsad verifier list [--json]\n' +
  'tsad verifier retrain P [--base NAME[@VERSION]] [--json]\n' +
  "  retrain: the project's labels and rejected intervals become training examples for a new verifier\n" +
  "  version (the parent's examples + these); later two-stage runs use the newest version unless --params\n" +
  '  \'{"verifier":"NAME@VERSION"}\' names another';

export function verifierCommands(kit: CliKit): Record<string, CliCommand> {
  return {
    verifier: {
      summary: "list the interval verifiers, or retrain one on a project's reviews",
      usage: USAGE,
      options: { base: { type: 'string' }, json: { type: 'boolean', default: false } },
      async run(values, positionals) {
        const [action, ...rest] = positionals;
        if (action === 'list') {
          const backend = kit.newBackend();
          try {
            const list = kit.unwrap(await backend.call('listVerifiers', {})) as VerifierInfo[];
            if (values.json) kit.printJson({ verifiers: list });
            else
              for (const v of list)
                process.stdout.write(`${v.id.padEnd(30)} ${v.source.padEnd(8)} ${v.parent ? `from ${v.parent}` : ''}\n`);
          } finally {
            backend.close();
          }
          return 0;
        }
        if (action !== 'retrain')
          throw new WorkbenchError('invalid_input', `Unknown verifier action "${action ?? ''}".\nUsage: ${USAGE}`);
        const project = kit.requireOne(rest, 'project file', USAGE);
        return kit.withProject(project, async (backend) => {
          const report = kit.stderrProgress('Retraining the verifier');
          const off = backend.onEvent((e) => e.type === 'jobProgress' && report(e.fraction));
          const { jobId } = kit.unwrap(
            await backend.call('retrainVerifier', values.base ? { base: String(values.base) } : {}),
          ) as { jobId: string };
          const job = await backend.jobs.wait(jobId);
          off();
          if (job.state !== 'done')
            throw new WorkbenchError(job.error?.code ?? 'internal', `Retraining ${job.state}: ${job.error?.message ?? ''}`);
          const result = job.result as VerifierRetrainResult;
          if (values.json) kit.printJson({ retrain: result });
          else
            process.stdout.write(
              `${result.verifier} (from ${result.parent}): ${result.examples.positives} anomalies and ${result.examples.negatives} false alarms from ${result.reviewedSeries} reviewed series, ${result.examples.inherited} inherited examples.\n`,
            );
          return 0;
        });
      },
    },
  };
}
