import type { z } from 'zod';
import { isMethodName, methods } from '../../common/contract';
import type { Envelope, MethodName, MethodParsedInput, MethodResult } from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import { safeErrorData } from '../security/safe-error';

/** The backend's implementation of every contract method, on already-validated input. */
export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>) => MethodResult<M> | Promise<MethodResult<M>>;
};

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

/**
 * The single entry point both transports call: resolves the method, validates the input against
 * the contract, runs the handler, and returns an envelope. It never throws.
 */
export async function dispatch(
  handlers: Handlers,
  name: unknown,
  rawInput: unknown,
  /** the file a disk or database error is about (the open project), for its message */
  currentFile?: () => string | undefined,
): Promise<Envelope<unknown>> {
  try {
    if (typeof name !== 'string' || !isMethodName(name)) {
      throw new WorkbenchError('not_found', `Unknown method ${JSON.stringify(name)}.`);
    }
    const parsed = methods[name].input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) {
      throw new WorkbenchError('invalid_input', `Invalid input for ${name}: ${describeIssues(parsed.error)}`, {
        method: name,
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      });
    }
    const handler = handlers[name] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value: value === undefined ? null : value };
  } catch (err) {
    const error = safeErrorData(err, currentFile?.());
    if (error.code === 'internal') console.error('[tsad] internal error:', error.message);
    return { ok: false, error };
  }
}
