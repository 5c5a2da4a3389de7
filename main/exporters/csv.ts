import { WorkbenchError } from '../../common/errors';

/** One CSV field, quoted when it holds a delimiter, quote, line break, edge spaces or a leading '#'. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]|^\s|\s$|^#/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: (string | number | null | undefined)[]): string {
  return fields.map(csvField).join(',') + '\n';
}

export interface CsvRecord {
  /** 1-based line where the record starts */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records (quoted fields may span lines) with the line each starts on. Lines starting with
 * '#' outside quotes are comments; blank lines are skipped. The dataset reader handles numeric tables;
 * this is for the label files, whose fields are free text (notes, rationales).
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const startLine = line;
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      i++;
      line++;
      continue;
    }
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) {
            throw new WorkbenchError('parse_error', `${file}: line ${startLine}: a quoted field is never closed.`, {
              file,
              line: startLine,
            });
          }
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
      } else {
        const begin = i;
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        field = text.slice(begin, i);
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      } else if (i < text.length) {
        throw new WorkbenchError('parse_error', `${file}: line ${line}: unexpected text after a quoted field.`, { file, line });
      }
      break;
    }
    records.push({ line: startLine, fields });
  }
  return records;
}
