import fs from 'node:fs';
import { WorkbenchError } from '../../common/errors';

/**
 * A minimal POSIX ustar writer and reader (regular files only, short names): enough for a bundle of
 * a manifest and a database file, without a dependency. Entries up to 8 GiB (the ustar size field).
 */
const BLOCK = 512;
const MAX_SIZE = 8 * 1024 ** 3 - 1;

function header(name: string, size: number, mtimeMs: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new WorkbenchError('internal', `tar entry name too long: ${name}`);
  if (size > MAX_SIZE) throw new WorkbenchError('unsupported', `${name} is ${size} bytes; a bundle entry holds at most 8 GiB.`);
  const h = Buffer.alloc(BLOCK);
  const put = (text: string, offset: number, length: number) => h.write(text, offset, length, 'utf8');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0') + '\0';
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtimeMs / 1000), 12), 136, 12);
  h.fill(' ', 148, 156);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

export class TarWriter {
  private readonly fd: number;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  addBuffer(name: string, data: Buffer): void {
    fs.writeSync(this.fd, header(name, data.length, Date.now()));
    fs.writeSync(this.fd, data);
    this.pad(data.length);
  }

  addFile(name: string, source: string, signal?: AbortSignal): void {
    const stat = fs.statSync(source);
    fs.writeSync(this.fd, header(name, stat.size, stat.mtimeMs));
    const input = fs.openSync(source, 'r');
    try {
      const buf = Buffer.alloc(1 << 22);
      let copied = 0;
      while (copied < stat.size) {
        if (signal?.aborted) throw new WorkbenchError('cancelled', 'The bundle export was cancelled.');
        const n = fs.readSync(input, buf, 0, buf.length, copied);
        if (n === 0) break;
        fs.writeSync(this.fd, buf, 0, n);
        copied += n;
      }
      if (copied !== stat.size) throw new WorkbenchError('io_error', `${source} changed size while it was being bundled.`);
    } finally {
      fs.closeSync(input);
    }
    this.pad(stat.size);
  }

  private pad(size: number): void {
    const rest = size % BLOCK;
    if (rest > 0) fs.writeSync(this.fd, Buffer.alloc(BLOCK - rest));
  }

  close(): void {
    fs.writeSync(this.fd, Buffer.alloc(2 * BLOCK));
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  /** Closes without the end marker (after a failure; the file is deleted by the caller). */
  abandon(): void {
    fs.closeSync(this.fd);
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** byte offset of the entry's data in the archive */
  offset: number;
}

/** The entries of a ustar archive (regular files). */
export function listTar(file: string): TarEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const total = fs.fstatSync(fd).size;
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    while (pos + BLOCK <= total) {
      fs.readSync(fd, h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) break;
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
      if (!Number.isFinite(size) || h.toString('ascii', 257, 262) !== 'ustar' || pos + BLOCK + size > total) {
        throw new WorkbenchError('parse_error', `${file} is not a readable bundle (bad tar header at byte ${pos}).`, { file });
      }
      entries.push({ name, size, offset: pos + BLOCK });
      pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

export function readTarEntry(file: string, entry: TarEntry): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(entry.size);
    fs.readSync(fd, buf, 0, entry.size, entry.offset);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

export function extractTarEntry(file: string, entry: TarEntry, target: string): void {
  const input = fs.openSync(file, 'r');
  const output = fs.openSync(target, 'wx');
  try {
    const buf = Buffer.alloc(1 << 22);
    let done = 0;
    while (done < entry.size) {
      const n = fs.readSync(input, buf, 0, Math.min(buf.length, entry.size - done), entry.offset + done);
      if (n === 0) throw new WorkbenchError('parse_error', `${file} ends inside ${entry.name}.`, { file });
      fs.writeSync(output, buf, 0, n);
      done += n;
    }
    fs.fsyncSync(output);
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
}
