import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { sweepTemporaries, tempPath } from '../store/temp-files';
import { pausePoint } from '../testing/pause-point';
import type { OutputKind } from './types';

/** Fails before any work when the output cannot be written: missing folder, or an existing output without force. */
export function checkDestination(outPath: string, force: boolean | undefined): string {
  const abs = path.resolve(outPath);
  const dir = path.dirname(abs);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new WorkbenchError('not_found', `The destination folder ${dir} does not exist.`, { path: dir });
  }
  // what killed exports left behind (their process is gone): swept before this one starts
  sweepTemporaries(dir);
  if (fs.existsSync(abs) && !force) {
    throw new WorkbenchError('conflict', `${abs} already exists; choose another name or export with force to replace it.`, {
      path: abs,
    });
  }
  return abs;
}

/**
 * Writes the output under a temporary name in the destination folder, then renames it into place, so
 * a failure or a cancel never leaves half a file (the temporary is removed). A replaced folder is
 * moved aside first and deleted only after the new one is in place.
 */
export async function writeAtomically(
  outPath: string,
  kind: OutputKind,
  force: boolean | undefined,
  write: (tmpPath: string) => Promise<void> | void,
): Promise<void> {
  const abs = checkDestination(outPath, force);
  const tmp = tempPath(abs, 'partial');
  if (kind === 'folder') fs.mkdirSync(tmp);
  try {
    await write(tmp);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  pausePoint('export:written');
  try {
    if (kind === 'file' || !fs.existsSync(abs)) {
      // rename(2) replaces a file atomically; for a new folder there is nothing to replace
      fs.renameSync(tmp, abs);
    } else {
      const aside = tempPath(abs, 'aside');
      fs.renameSync(abs, aside);
      fs.renameSync(tmp, abs);
      fs.rmSync(aside, { recursive: true, force: true });
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new WorkbenchError('io_error', `Cannot move the export into place at ${abs}: ${(err as Error).message}`, {
      path: abs,
    });
  }
}

/** Buffered text output to a file descriptor: exports of millions of rows without one giant string. */
export class TextSink {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(file: string) {
    try {
      this.fd = fs.openSync(file, 'w');
    } catch (err) {
      throw new WorkbenchError('io_error', `Cannot write ${file}: ${(err as Error).message}`, { path: file });
    }
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    fs.writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

/** Writes a whole text file through a sink (closing it even when `fill` throws). */
export function writeText(file: string, fill: (sink: TextSink) => void): number {
  const sink = new TextSink(file);
  try {
    fill(sink);
  } finally {
    sink.close();
  }
  return sink.bytes;
}
