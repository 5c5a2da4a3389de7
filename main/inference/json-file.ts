import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../../common/errors';

function readError(err: unknown, path: string, what: string): WorkbenchError {
  const code = (err as NodeJS.ErrnoException).code;
  return new WorkbenchError(
    code === 'ENOENT' ? 'not_found' : 'io_error',
    `Cannot read ${what} ${path}: ${(err as Error).message}`,
    {
      path,
    },
  );
}

function parse(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const name = what.charAt(0).toUpperCase() + what.slice(1);
    throw new WorkbenchError('parse_error', `${name} ${path} is not valid JSON: ${(err as Error).message}`, { path });
  }
}

/** A card file's JSON (`what` names it in errors, e.g. 'model card'): not_found/io_error when unreadable, parse_error when not JSON. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw readError(err, path, what);
  }
  return parse(text, path, what);
}

/** The same, synchronously. */
export function readJsonFileSync(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw readError(err, path, what);
  }
  return parse(text, path, what);
}
