/**
 * First look at a file before DuckDB sees it: does it exist, is it a regular file, which format and
 * compression, is it text at all, and its first bytes (decompressed) for dialect and type detection.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { WorkbenchError } from '../../common/errors';
import type { Compression, FileFormat } from './types';

export const DEFAULT_MAX_LINE_BYTES = 2_000_000;
const HEAD_BYTES = 1 << 20;

export interface SourceFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  format: FileFormat;
  compression: Compression;
  /** first bytes of the (decompressed) content; empty for Parquet */
  head: Buffer;
  /** true when `head` holds the whole (decompressed) content */
  headIsWhole: boolean;
  /** decompressed bytes per file byte, measured on the head (1 without compression) */
  expansion: number;
}

export interface FileIdentity {
  sizeBytes: number;
  mtimeMs: number;
}

const UNSUPPORTED_EXTENSIONS: Record<string, string> = {
  xlsx: 'Excel workbooks are not supported: save the sheet as CSV',
  xls: 'Excel workbooks are not supported: save the sheet as CSV',
  ods: 'OpenDocument spreadsheets are not supported: save the sheet as CSV',
  zip: 'ZIP archives are not supported: extract the file first',
  bz2: 'bzip2 compression is not supported: decompress the file or use gzip',
  xz: 'xz compression is not supported: decompress the file or use gzip',
  zst: 'zstd compression is not supported: decompress the file or use gzip',
  '7z': '7-Zip archives are not supported: extract the file first',
  h5: 'HDF5 files are not supported: export to CSV or Parquet',
  hdf5: 'HDF5 files are not supported: export to CSV or Parquet',
  arrow: 'Arrow IPC files are not supported: export to Parquet',
  feather: 'Feather files are not supported: export to Parquet',
  avro: 'Avro files are not supported: export to Parquet or CSV',
  orc: 'ORC files are not supported: export to Parquet',
  pkl: 'Python pickles are not supported: export to CSV or Parquet',
  npy: 'NumPy arrays are not supported: export to CSV or Parquet',
  npz: 'NumPy archives are not supported: export to CSV or Parquet',
  mat: 'MATLAB files are not supported: export to CSV',
};

const TEXT_EXTENSIONS = new Set(['csv', 'tsv', 'tab', 'txt', 'dat', 'psv', 'data']);

/** Extensions of the name, last first, without a trailing .gz: 'a.csv.gz' gives ['csv']. */
function extensionOf(path: string): { ext: string; gz: boolean } {
  const parts = basename(path).toLowerCase().split('.');
  let gz = false;
  if (parts.length > 1 && parts[parts.length - 1] === 'gz') {
    gz = true;
    parts.pop();
  }
  return { ext: parts.length > 1 ? parts[parts.length - 1] : '', gz };
}

/** Display name of a dataset: the file name without its extensions. */
export function datasetName(path: string): string {
  const name = basename(path);
  const { ext, gz } = extensionOf(path);
  let trimmed = gz ? name.slice(0, -3) : name;
  if (ext !== '' && trimmed.toLowerCase().endsWith(`.${ext}`)) trimmed = trimmed.slice(0, -(ext.length + 1));
  return trimmed === '' ? name : trimmed;
}

export async function statFile(path: string): Promise<FileIdentity> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new WorkbenchError('not_found', `no file at ${path}`, { file: path });
    throw new WorkbenchError('io_error', `${path} cannot be read: ${(err as Error).message}`, { file: path });
  }
  if (info.isDirectory()) throw new WorkbenchError('invalid_input', `${path} is a directory, not a data file`, { file: path });
  if (!info.isFile()) throw new WorkbenchError('invalid_input', `${path} is not a regular file`, { file: path });
  return { sizeBytes: info.size, mtimeMs: info.mtimeMs };
}

async function readRawHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new WorkbenchError('io_error', `${path} cannot be opened: ${err.message}`, { file: path });
  });
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readTail(path: string, sizeBytes: number, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(bytes, sizeBytes));
    await handle.read(buffer, 0, buffer.length, sizeBytes - buffer.length);
    return buffer;
  } finally {
    await handle.close();
  }
}

function startsWith(buffer: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => buffer[i] === b);
}

function unsupportedByMagic(head: Buffer): string | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]))
    return 'ZIP containers (including .xlsx workbooks) are not supported: extract or export to CSV';
  if (startsWith(head, [0x42, 0x5a, 0x68])) return 'bzip2 compression is not supported: decompress the file or use gzip';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
    return 'xz compression is not supported: decompress the file or use gzip';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd compression is not supported: decompress the file or use gzip';
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46])) return 'HDF5 files are not supported: export to CSV or Parquet';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return 'legacy Excel/Office files are not supported: save as CSV';
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1') return 'Arrow IPC files are not supported: export to Parquet';
  return null;
}

/** Reads up to `limit` decompressed bytes of a gzip file; also reports how many file bytes that took. */
async function readGzipHead(path: string, limit: number): Promise<{ data: Buffer; whole: boolean; consumed: number }> {
  return new Promise((resolvePromise, reject) => {
    const input = createReadStream(path, { highWaterMark: 64 * 1024 });
    const gunzip = createGunzip();
    const parts: Buffer[] = [];
    let total = 0;
    let consumed = 0;
    let settled = false;
    const finish = (whole: boolean) => {
      if (settled) return;
      settled = true;
      input.destroy();
      gunzip.destroy();
      resolvePromise({ data: Buffer.concat(parts).subarray(0, limit), whole, consumed });
    };
    input.on('data', (chunk) => (consumed += chunk.length));
    input.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(new WorkbenchError('io_error', `${path} cannot be read: ${err.message}`, { file: path }));
      }
    });
    gunzip.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      total += chunk.length;
      if (total >= limit) finish(false);
    });
    gunzip.on('end', () => finish(true));
    gunzip.on('error', (err) => {
      if (settled) return;
      settled = true;
      input.destroy();
      reject(new WorkbenchError('parse_error', `${path} is not a valid gzip stream: ${err.message}`, { file: path }));
    });
    input.pipe(gunzip);
  });
}

/**
 * Decompresses a whole gzip file (discarding the data) to prove it is complete: a truncated file (an
 * interrupted download or copy) lacks the end of its stream, and DuckDB would otherwise import the rows it got
 * without a word. Rejects with an error naming the file and how much it held.
 */
export async function checkGzipComplete(path: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const input = createReadStream(path, { highWaterMark: 1 << 20 });
    const gunzip = createGunzip();
    let bytes = 0;
    let lines = 0;
    let settled = false;
    const fail = (err: WorkbenchError) => {
      if (settled) return;
      settled = true;
      input.destroy();
      gunzip.destroy();
      reject(err);
    };
    const onAbort = () => fail(new WorkbenchError('cancelled', `import of ${path} was cancelled`, { file: path }));
    signal?.addEventListener('abort', onAbort, { once: true });
    input.on('error', (err) => fail(new WorkbenchError('io_error', `${path} cannot be read: ${err.message}`, { file: path })));
    gunzip.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    });
    gunzip.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      if (!settled) {
        settled = true;
        resolvePromise();
      }
    });
    gunzip.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      const cut = err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message);
      const message = cut
        ? `${path} is cut short: its gzip stream stops after ${bytes.toLocaleString('en-US')} bytes of data (${lines.toLocaleString('en-US')} complete lines) without its end, so the file was truncated (an interrupted download or copy?); nothing was imported`
        : `${path} is damaged: ${err.message} after ${bytes.toLocaleString('en-US')} bytes of data (${lines.toLocaleString('en-US')} lines); nothing was imported`;
      fail(new WorkbenchError('parse_error', message, { file: path, decompressedBytes: bytes, lines, truncated: cut }));
    });
    input.pipe(gunzip);
  });
}

function assertText(path: string, head: Buffer): void {
  const probe = head.subarray(0, 64 * 1024);
  const nul = probe.indexOf(0);
  if (nul >= 0) {
    throw new WorkbenchError('parse_error', `${path} looks binary, not like text (NUL byte at offset ${nul})`, {
      file: path,
      offset: nul,
    });
  }
  let control = 0;
  for (const byte of probe) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  if (control > probe.length / 100) {
    throw new WorkbenchError(
      'parse_error',
      `${path} looks binary, not like text (${control} control bytes in the first ${probe.length})`,
      {
        file: path,
      },
    );
  }
  // Cut a possibly split multi-byte character at the end before checking UTF-8.
  let end = probe.length;
  while (end > 0 && end > probe.length - 4 && (probe[end - 1] & 0xc0) === 0x80) end--;
  if (end > 0 && end < probe.length && probe[end - 1] >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(probe.subarray(0, end));
  } catch {
    throw new WorkbenchError('unsupported', `${path} is not UTF-8 text: save it as UTF-8`, { file: path });
  }
}

function firstNonSpace(head: Buffer): string {
  const text = head
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const m = /\S/.exec(text);
  return m ? m[0] : '';
}

function jsonKind(path: string, head: Buffer): 'json' | 'ndjson' {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.search(/\S/);
  if (start < 0) throw new WorkbenchError('invalid_input', `${path} is empty`, { file: path });
  if (text[start] === '[') {
    const next = text.slice(start + 1).search(/\S/);
    const ch = next < 0 ? '' : text[start + 1 + next];
    if (ch === ']') throw new WorkbenchError('invalid_input', `${path} holds an empty JSON array: no records`, { file: path });
    if (ch !== '{' && ch !== '') {
      throw new WorkbenchError(
        'invalid_input',
        `${path} is a JSON array of ${ch === '[' ? 'arrays' : ch === '"' ? 'strings' : 'values'}, not of records (objects with one field per column)`,
        { file: path },
      );
    }
    return 'json';
  }
  if (text[start] === '{') {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 1 && lines[0].trim().endsWith('}') && lines[1].trim().startsWith('{')) return 'ndjson';
    throw new WorkbenchError('invalid_input', `${path} holds one JSON object, not an array of records nor one record per line`, {
      file: path,
    });
  }
  throw new WorkbenchError('parse_error', `${path} is not JSON: it starts with "${text[start]}"`, { file: path });
}

function countLineBreaks(buffer: Buffer, atMost: number): number {
  let count = 0;
  for (let at = buffer.indexOf(0x0a); at >= 0 && count < atMost; at = buffer.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** Line-length guard: refuses a head whose first line (or any complete line) exceeds the bound. */
function assertLineLengths(path: string, head: Buffer, headIsWhole: boolean, maxLineBytes: number): void {
  let lineStart = 0;
  let line = 1;
  for (;;) {
    const nl = head.indexOf(0x0a, lineStart);
    const end = nl < 0 ? head.length : nl;
    if (end - lineStart > maxLineBytes) {
      throw new WorkbenchError(
        'parse_error',
        `${path}: line ${line} is longer than ${maxLineBytes} bytes${nl < 0 && !headIsWhole ? ' (no line break found)' : ''}; is this really a delimited text file?`,
        { file: path, line, maxLineBytes },
      );
    }
    if (nl < 0) return;
    lineStart = nl + 1;
    line++;
  }
}

export interface InspectOptions {
  format?: FileFormat;
  maxLineBytes?: number;
}

export async function inspectSource(rawPath: string, opts: InspectOptions = {}): Promise<SourceFile> {
  const path = resolve(rawPath);
  const identity = await statFile(path);
  if (identity.sizeBytes === 0) throw new WorkbenchError('invalid_input', `${path} is empty`, { file: path });
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;

  let raw = await readRawHead(path, HEAD_BYTES);
  const { ext, gz } = extensionOf(path);
  const isGzip = raw[0] === 0x1f && raw[1] === 0x8b;
  const isParquet = raw.subarray(0, 4).toString('latin1') === 'PAR1';

  if (!opts.format && !isGzip && !isParquet) {
    const magic = unsupportedByMagic(raw);
    if (magic) throw new WorkbenchError('unsupported', `${path}: ${magic}`, { file: path });
    if (ext in UNSUPPORTED_EXTENSIONS)
      throw new WorkbenchError('unsupported', `${path}: ${UNSUPPORTED_EXTENSIONS[ext]}`, { file: path });
  }

  const base = { path, sizeBytes: identity.sizeBytes, mtimeMs: identity.mtimeMs };

  if (opts.format === 'parquet' || (!opts.format && (isParquet || ext === 'parquet' || ext === 'pq'))) {
    if (!isParquet) {
      throw new WorkbenchError('parse_error', `${path} is not a Parquet file (no PAR1 header)`, { file: path });
    }
    const tail = await readTail(path, identity.sizeBytes, 4);
    if (identity.sizeBytes < 12 || tail.toString('latin1') !== 'PAR1') {
      throw new WorkbenchError('parse_error', `${path} is a truncated Parquet file (no PAR1 footer)`, { file: path });
    }
    return { ...base, format: 'parquet', compression: 'none', head: Buffer.alloc(0), headIsWhole: false, expansion: 1 };
  }

  let head: Buffer;
  let headIsWhole: boolean;
  let expansion = 1;
  const compression: Compression = isGzip ? 'gzip' : 'none';
  // A head without two line breaks is read further, far enough for the line-length guard to decide.
  const longerHead = Math.max(HEAD_BYTES, 2 * maxLineBytes + 2);
  if (isGzip) {
    let gzHead = await readGzipHead(path, HEAD_BYTES);
    if (!gzHead.whole && countLineBreaks(gzHead.data, 2) < 2) gzHead = await readGzipHead(path, longerHead);
    head = gzHead.data;
    headIsWhole = gzHead.whole;
    expansion = gzHead.whole ? head.length / identity.sizeBytes : head.length / Math.max(1, gzHead.consumed);
  } else {
    if (gz) throw new WorkbenchError('parse_error', `${path} is named .gz but is not gzip-compressed`, { file: path });
    if (raw.length < identity.sizeBytes && countLineBreaks(raw, 2) < 2) raw = await readRawHead(path, longerHead);
    head = raw;
    headIsWhole = raw.length >= identity.sizeBytes;
  }
  if (head.length === 0 || head.toString('utf8').trim() === '') {
    throw new WorkbenchError('invalid_input', `${path} is empty`, { file: path });
  }
  assertText(path, head);

  let format: FileFormat;
  if (opts.format) format = opts.format;
  else if (ext === 'ndjson' || ext === 'jsonl') format = 'ndjson';
  else if (ext === 'json') format = jsonKind(path, head);
  else if (!TEXT_EXTENSIONS.has(ext) && (firstNonSpace(head) === '[' || firstNonSpace(head) === '{'))
    format = jsonKind(path, head);
  else format = 'csv';
  if (format === 'json' && opts.format) jsonKind(path, head);

  if (format === 'csv') assertLineLengths(path, head, headIsWhole, maxLineBytes);
  return { ...base, format, compression, head, headIsWhole, expansion };
}
