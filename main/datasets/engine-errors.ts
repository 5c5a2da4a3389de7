/** Turns DuckDB's error text into WorkbenchErrors that name the file, line, row and column. */
import { WorkbenchError } from '../../common/errors';
import { hasZoneSuffix } from './time-formats';
import type { FileFormat } from './types';

export interface ReadContext {
  path: string;
  format: FileFormat;
  /** lines before the first data row (1 with a header) */
  headerLines: number;
  timeColumn: string | null;
}

export function translateEngineError(err: unknown, ctx: ReadContext): WorkbenchError {
  if (err instanceof WorkbenchError) return err;
  const text = err instanceof Error ? err.message : String(err);
  const firstLine = text.split('\n')[0];
  const file = ctx.path;

  if (/^INTERRUPT/i.test(text)) return new WorkbenchError('cancelled', `reading ${file} was cancelled`);

  if (/No files found that match|No such file or directory|Cannot open file/i.test(text)) {
    return new WorkbenchError('io_error', `${file} could not be opened (it may have been moved or deleted)`, {
      file,
      cause: firstLine,
    });
  }

  const lineMatch = /CSV Error on Line: (\d+)/.exec(text);
  if (lineMatch) {
    const line = Number(lineMatch[1]);
    const row = line - ctx.headerLines;
    const where = { file, line, row };
    const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
    if (fields) {
      const expected = Number(fields[1]);
      const found = Number(fields[2]);
      return new WorkbenchError(
        'parse_error',
        `${file}: line ${line} has ${found} fields, expected ${expected} (${found > expected ? 'too many' : 'too few'})`,
        { ...where, expected, found },
      );
    }
    const conversion = /Error when converting column "(.*?)"\. Could not convert string "(.*?)" to '(\w+)'/.exec(text);
    if (conversion) {
      const [, column, value, type] = conversion;
      if (column === ctx.timeColumn) {
        const zoneNote = hasZoneSuffix(value) ? ' (it has a time zone while the first rows have none: mixed time zones)' : '';
        return new WorkbenchError(
          'parse_error',
          `${file}: line ${line} (row ${row}), column "${column}": "${value}" is not a timestamp in the column's format${zoneNote}`,
          { ...where, column, value, expectedType: type },
        );
      }
      return new WorkbenchError(
        'parse_error',
        `${file}: line ${line} (row ${row}), column "${column}": "${value}" is not a number`,
        { ...where, column, value, expectedType: type },
      );
    }
    const lineSize = /Maximum line size of (\d+) bytes exceeded/.exec(text);
    if (lineSize) {
      return new WorkbenchError(
        'parse_error',
        `${file}: line ${line} is longer than ${lineSize[1]} bytes; is this really a delimited text file?`,
        { ...where, maxLineBytes: Number(lineSize[1]) },
      );
    }
    return new WorkbenchError('parse_error', `${file}: line ${line}: ${describeCsvProblem(text)}`, where);
  }

  if (ctx.format === 'parquet' && /parquet|magic bytes|too small/i.test(text)) {
    return new WorkbenchError('parse_error', `${file} is not a readable Parquet file (truncated or corrupt): ${firstLine}`, {
      file,
    });
  }
  if ((ctx.format === 'json' || ctx.format === 'ndjson') && /json/i.test(text)) {
    return new WorkbenchError('parse_error', `${file}: ${firstLine}`, { file });
  }
  if (/^IO Error/i.test(text)) return new WorkbenchError('io_error', `${file}: ${firstLine}`, { file });
  return new WorkbenchError('parse_error', `${file}: ${firstLine}`, { file });
}

/**
 * DuckDB's own sentence for a CSV problem, in plain words. Its message is "CSV Error on Line: N", then
 * "Original Line: ..." (which can run over many lines of data), a blank line, and the problem: the problem is
 * the first line after that blank one, never a line of data.
 */
function describeCsvProblem(text: string): string {
  const lines = text.split('\n').map((l) => l.trim());
  const original = lines.findIndex((l) => l.startsWith('Original Line'));
  const blank = original >= 0 ? lines.indexOf('', original + 1) : 0;
  const problem = blank >= 0 ? lines.slice(blank + 1).find((l) => l !== '') : undefined;
  const firstData = original >= 0 ? lines[original].replace(/^Original Line:\s*/, '') : '';
  if (problem && /unterminated quote/i.test(problem)) {
    return `a quoted value is never closed: the quote (") opened in ${JSON.stringify(firstData)} has no closing quote before the end of the file; close it, or double any quote inside a value ("")`;
  }
  if (problem && /invalid unicode|not utf-?8/i.test(problem)) return `the text is not valid UTF-8 (${problem})`;
  return problem ?? lines[0];
}
