/** `tsad vlm-serve`: the bundled (or a given) vision-language model over the OpenAI chat-completions protocol. */
import fs from 'node:fs';
import { WorkbenchError } from '../../common/errors';
import type { ModelRoots } from '../inference';
import { DEFAULT_VLM_NAME, loadVlm, resolveVlm } from '../inference/vlm';
import type { OutputFormat } from '../reasoning/parsers';
import { localVlmClient, type ChatLike } from '../vlm';
import { startVlmServer } from '../vlm/serve';
import { RESOURCES_DIR, defaultStateDir } from './paths';
import path from 'node:path';
import type { CliCommand } from './model-commands';

export function vlmServeCommand(printJson: (value: unknown) => void, roots: () => ModelRoots): CliCommand {
  const usage =
    'tsad vlm-serve [--model NAME[@VERSION]|DIR] [--port N] [--host 127.0.0.1|::1|localhost] [--token-file PATH] [--json]\n' +
    `  --model       a VLM folder or registered name (default ${DEFAULT_VLM_NAME}, the newest version)\n` +
    '  --port N      port (default: a free one; printed)\n' +
    "  --token-file  require `Authorization: Bearer <the file's first line>` (or set TSAD_VLM_SERVE_TOKEN); the token is never printed\n" +
    '  Then: tsad vlm P --endpoint http://127.0.0.1:PORT/v1 --model tsad-plot-vlm --format anomseer';
  return {
    summary: 'serve the bundled vision-language model over the OpenAI chat-completions API on a loopback port',
    usage,
    options: {
      model: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'token-file': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    async run(values) {
      const port = values.port === undefined ? 0 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new WorkbenchError('invalid_input', `--port must be an integer from 0 to 65535, got ${String(values.port)}.`);
      let token = process.env.TSAD_VLM_SERVE_TOKEN || null;
      if (typeof values['token-file'] === 'string') {
        try {
          token = fs.readFileSync(values['token-file'], 'utf8').split('\n')[0].trim() || null;
        } catch (err) {
          throw new WorkbenchError('not_found', `Cannot read --token-file ${values['token-file']}: ${(err as Error).message}`);
        }
        if (!token) throw new WorkbenchError('invalid_input', `--token-file ${values['token-file']} is empty.`);
      }
      const entry = await resolveVlm(typeof values.model === 'string' ? values.model : DEFAULT_VLM_NAME, roots());
      const model = await loadVlm(entry.dir);
      const server = await startVlmServer({
        model,
        port,
        token,
        ...(typeof values.host === 'string' ? { host: values.host } : {}),
      });
      if (values.json) printJson({ url: server.url, port: server.port, model: model.id, token: token !== null });
      else
        process.stdout.write(
          `Serving ${model.id} at ${server.url} (OpenAI chat completions${token ? ', bearer token required' : ''}). Ctrl+C stops.\n`,
        );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await server.close();
      await model.release();
      return 0;
    },
  };
}

/** The model roots the CLI looks VLMs up in: the bundled resources/models and the user's models folder. */
export function cliModelRoots(): ModelRoots {
  return { bundledDir: path.join(RESOURCES_DIR, 'models'), userDir: path.join(defaultStateDir(), 'models') };
}

/** `tsad vlm P --model vlm:NAME[@VERSION]` without an endpoint: the VLM in this process as runVlm's client. */
export async function openLocalVlmClient(
  ref: string,
  format: OutputFormat,
): Promise<{ client: ChatLike; release: () => Promise<void> }> {
  if (format !== 'anomseer')
    throw new WorkbenchError('invalid_input', `The bundled VLM writes --format anomseer, not ${format}.`);
  const model = await loadVlm((await resolveVlm(ref, cliModelRoots())).dir);
  return { client: localVlmClient(model), release: () => model.release() };
}
