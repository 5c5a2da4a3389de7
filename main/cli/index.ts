/**
 * `tsad`: the command-line host of the backend. Conventions for every command: `--json` prints
 * exactly one JSON object on stdout and nothing else there; errors go to stderr; the exit code is 0
 * only on success.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toErrorData, WorkbenchError } from '../../common/errors';
import { Backend } from '../backend';
import { startServer } from '../server/serve';
import { appVersion, defaultStateDir, RENDERER_DIR, RESOURCES_DIR } from './paths';

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

const commands: Record<string, Command> = {
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

export async function main(argv: string[]): Promise<number> {
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
    const data = toErrorData(err);
    if (wantsJson) process.stderr.write(JSON.stringify({ error: data }) + '\n');
    else process.stderr.write(`tsad: ${data.message}\n`);
    return data.code === 'invalid_input' ? 2 : 1;
  }
}

export { commands };
