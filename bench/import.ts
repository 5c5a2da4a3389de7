/**
 * `npm run bench:import`: imports generated CSVs (ISO timestamp + 3 float columns; 1M and 10M rows)
 * into fresh projects through the real import path (DuckDB read → SQLite project), and in the same run
 * times DuckDB's own read_csv into memory, our reader alone (readFile), and a papaparse parse. Each
 * measurement runs in its own child process so that its peak RSS is its own.
 *
 *   npx tsx bench/import.ts [rows...]     (default: 1000000 10000000)
 *
 * Prints a table, then as its last line:
 * {"bench":"import","rows":10000000,"seconds":…,"peak_rss_mb":…,"vs_duckdb":…,"vs_papaparse":…}
 * with vs_duckdb = our import seconds / DuckDB's, vs_papaparse = papaparse's seconds / our import's.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Method = 'duckdb' | 'readFile' | 'import' | 'papaparse';

interface Measurement {
  method: Method;
  rows: number;
  seconds: number;
  maxRssMiB: number;
  rowsRead: number;
}

function csvPath(rows: number): string {
  return join(tmpdir(), `tsad-bench-import-${rows}.csv`);
}

/** ISO timestamp (1 s steps) + 3 floats, written through a 1 MiB buffer. Deterministic. */
function generateCsv(rows: number, path: string): void {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  let buffer = 'timestamp,a,b,c\n';
  const t0 = Date.UTC(2020, 0, 1);
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let i = 0; i < rows; i++) {
    const iso = new Date(t0 + i * 1000).toISOString();
    buffer += `${iso.slice(0, 10)} ${iso.slice(11, 19)},${random().toFixed(6)},${(random() * 100 - 50).toFixed(4)},${Math.sin(i / 100).toFixed(5)}\n`;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  renameSync(partial, path);
}

async function runChild(method: Method, path: string): Promise<{ seconds: number; rowsRead: number }> {
  // Modules are loaded before the clock starts: only the read is timed.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { readFile } = await import('../main/datasets/index');
  const { importIntoProject } = await import('../main/datasets/import-into-project');
  const { ProjectStore } = await import('../main/store');
  const projectPath = `${path}.${process.pid}.tsad.sqlite`;
  if (method === 'import') ProjectStore.create(projectPath).close();
  const papa = method === 'papaparse' ? await loadPapa() : null;
  const start = performance.now();
  let rowsRead = 0;
  if (method === 'duckdb') {
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE t AS SELECT * FROM read_csv('${path.replace(/'/g, "''")}')`);
    const count = (await connection.runAndReadAll('SELECT count(*) FROM t')).getRowsJS()[0][0];
    rowsRead = Number(count);
  } else if (method === 'readFile') {
    const table = await readFile(path);
    rowsRead = table.time?.length ?? 0;
  } else if (method === 'import') {
    try {
      rowsRead = (await importIntoProject({ projectPath, filePath: path })).rows;
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(projectPath + suffix, { force: true });
    }
  } else if (papa) {
    rowsRead = await parseWithPapa(papa, path);
  }
  return { seconds: (performance.now() - start) / 1000, rowsRead };
}

interface PapaLike {
  parse(input: NodeJS.ReadableStream, config: Record<string, unknown>): void;
}

function parseWithPapa(papa: PapaLike, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let capacity = 1 << 20;
    let time = new Float64Array(capacity);
    let columns = [new Float64Array(capacity), new Float64Array(capacity), new Float64Array(capacity)];
    let rows = 0;
    papa.parse(createReadStream(path), {
      header: false,
      dynamicTyping: false,
      skipEmptyLines: true,
      chunk: (results: { data: string[][] }) => {
        for (const row of results.data) {
          if (row[0] === 'timestamp') continue;
          if (rows === capacity) {
            capacity *= 2;
            const grow = (a: Float64Array) => {
              const b = new Float64Array(capacity);
              b.set(a);
              return b;
            };
            time = grow(time);
            columns = columns.map(grow);
          }
          time[rows] = Date.parse(`${row[0].replace(' ', 'T')}Z`);
          columns[0][rows] = Number(row[1]);
          columns[1][rows] = Number(row[2]);
          columns[2][rows] = Number(row[3]);
          rows++;
        }
      },
      complete: () => resolve(rows),
      error: (err: Error) => reject(err),
    });
  });
}

async function loadPapa(): Promise<PapaLike> {
  const papaModule = (await import('papaparse' as string)) as { default?: PapaLike } & PapaLike;
  return papaModule.default ?? papaModule;
}

async function papaparseAvailable(): Promise<boolean> {
  try {
    await import('papaparse' as string);
    return true;
  } catch {
    return false;
  }
}

function measure(method: Method, rows: number): Measurement {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, self, '--child', method, csvPath(rows)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const lastLine = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !lastLine.startsWith('{')) {
    throw new Error(`${method} on ${rows} rows failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  }
  const parsed = JSON.parse(lastLine) as { seconds: number; maxRssKiB: number; rowsRead: number };
  return { method, rows, seconds: parsed.seconds, maxRssMiB: parsed.maxRssKiB / 1024, rowsRead: parsed.rowsRead };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const result = await runChild(args[1] as Method, args[2]);
    console.log(JSON.stringify({ ...result, maxRssKiB: process.resourceUsage().maxRSS }));
    return;
  }
  const sizes = args.length > 0 ? args.map(Number) : [1_000_000, 10_000_000];
  const methods: Method[] = ['duckdb', 'readFile', 'import'];
  if (await papaparseAvailable()) methods.push('papaparse');

  const results: Measurement[] = [];
  for (const rows of sizes) {
    const path = csvPath(rows);
    if (!existsSync(path)) {
      const t = performance.now();
      generateCsv(rows, path);
      console.error(`generated ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    // Warm the page cache so the first method measured is not charged for the disk.
    await new Promise<void>((resolve, reject) =>
      createReadStream(path)
        .on('data', () => undefined)
        .on('end', resolve)
        .on('error', reject),
    );
    for (const method of methods) results.push(measure(method, rows));
  }

  const lines = ['rows        method      seconds  peak RSS MiB  rows read  vs duckdb'];
  for (const r of results) {
    const base = results.find((b) => b.rows === r.rows && b.method === 'duckdb');
    const ratio = base ? (r.seconds / base.seconds).toFixed(2) : '-';
    lines.push(
      `${String(r.rows).padEnd(11)} ${r.method.padEnd(11)} ${r.seconds.toFixed(2).padStart(7)}  ${r.maxRssMiB.toFixed(0).padStart(12)}  ${String(r.rowsRead).padStart(9)}  ${ratio.padStart(9)}`,
    );
  }
  console.log(lines.join('\n'));
  const largest = Math.max(...sizes);
  const at = (m: Method) => results.find((r) => r.rows === largest && r.method === m);
  const ours = at('import');
  const duck = at('duckdb');
  const papa = at('papaparse');
  const summary = {
    bench: 'import',
    rows: largest,
    seconds: ours ? Number(ours.seconds.toFixed(3)) : null,
    peak_rss_mb: ours ? Math.round(ours.maxRssMiB) : null,
    vs_duckdb: ours && duck ? Number((ours.seconds / duck.seconds).toFixed(3)) : null,
    vs_papaparse: ours && papa ? Number((papa.seconds / ours.seconds).toFixed(3)) : null,
    read_only_vs_duckdb: at('readFile') && duck ? Number((at('readFile')!.seconds / duck.seconds).toFixed(3)) : null,
  };
  console.log(JSON.stringify(summary));
}

await main();
