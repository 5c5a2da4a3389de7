// A key planted four ways (echoed in an endpoint's error, URL userinfo, a query parameter, a path segment)
// appears zero times in the project, its side files, a bundle, the HTML report, stdout and stderr. The
// endpoint is a real HTTP server in this process that echoes everything it was sent.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tmp';
import { cli, filesContaining, makeProject, spawnCli } from './helpers';

const KEYS = {
  stored: 'sk-planted-stored-0123456789abcdef',
  userinfo: 'PlantedUserinfoKey0123456789xyz',
  query: 'PlantedQueryKey9876543210abcdef',
  path: 'k3yPlantedInPath9f8e7d6c5b4a3210',
};

let tmp: ReturnType<typeof makeTempDir>;
let server: http.Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  tmp = makeTempDir('tsad-reliability-keys-');
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push(req.url ?? '');
      const echo = `you sent Authorization: ${req.headers.authorization ?? '(none)'} to ${req.url}`;
      if (req.headers.authorization) {
        // the classic: an error body that quotes the key
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `invalid key: ${req.headers.authorization}; ${echo}` } }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          model: 'echo',
          choices: [{ message: { content: `[{"start": 10, "end": 30}] (${echo})` }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  tmp.cleanup();
});

describe('a planted key', () => {
  it('appears 0 times in the project, its WAL, a bundle, the report, stdout and stderr', async () => {
    const env = { TSAD_STATE_DIR: path.join(tmp.dir, 'state') };
    const work = path.join(tmp.dir, 'work');
    fs.mkdirSync(work);
    const project = path.join(work, 'p.tsad.sqlite');
    makeProject(project, 1, 600);
    const outputs: string[] = [];
    const vlm = async (endpoint: string, extra: string[] = []) => {
      const r = await cli(
        ['vlm', project, '--endpoint', endpoint, '--model', 'echo', '--format', 'anomllm', '--window', '600', ...extra],
        env,
      );
      outputs.push(r.stdout, r.stderr);
      return r;
    };

    const set = spawnCli(['secret', 'set', 'planted'], env);
    set.child.stdin?.end(KEYS.stored + '\n');
    expect((await set.exited).code, set.stderr()).toBe(0);
    expect(set.stdout()).toContain('file permissions');
    outputs.push(set.stdout(), set.stderr());

    // 1. the endpoint's error quotes the key it was sent
    const echoed = await vlm(`${base}/v1`, ['--key-name', 'planted']);
    expect(echoed.status).toBe(1);
    expect(echoed.stderr).toContain('HTTP 401');
    expect(echoed.stderr).toContain('Bearer ***');

    // 2. credentials in the URL are refused before any request
    const before = requests.length;
    const userinfo = await vlm(`http://user:${KEYS.userinfo}@127.0.0.1:1/v1`);
    expect(userinfo.status).toBe(2);
    expect(userinfo.stderr).toContain('carries credentials');
    expect(requests.length).toBe(before);

    // 3. a key as a query parameter and 4. a key as a path segment: sent (some APIs want them so), never kept
    const query = await vlm(`${base}/v1?api_key=${KEYS.query}`);
    expect(query.status, query.stderr).toBe(0);
    const inPath = await vlm(`${base}/${KEYS.path}/v1`);
    expect(inPath.status, inPath.stderr).toBe(0);
    expect(requests.some((u) => u.includes(KEYS.query))).toBe(true);
    expect(requests.some((u) => u.includes(KEYS.path))).toBe(true);

    const bundle = await cli(['export', project, '--format', 'bundle', '--out', path.join(work, 'p.tar')], env);
    expect(bundle.status, bundle.stderr).toBe(0);
    const report = await cli(
      ['export', project, '--format', 'report-html', '--labels', 'with-predictions', '--out', path.join(work, 'r.html')],
      env,
    );
    expect(report.status, report.stderr).toBe(0);
    outputs.push(bundle.stdout, bundle.stderr, report.stdout, report.stderr);

    // what the runs kept: a failed run with the (masked) error, two runs with masked provenance
    const info = await cli(['info', project, '--json'], env);
    expect(info.status, info.stderr).toBe(0);
    const db = fs.readFileSync(project);
    expect(db.includes(Buffer.from('Bearer ***'))).toBe(true);
    expect(db.includes(Buffer.from('api_key=***'))).toBe(true);

    for (const [name, key] of Object.entries(KEYS)) {
      expect(filesContaining(work, key), `${name} key in files`).toEqual([]);
      expect(
        outputs.filter((o) => o.includes(key)),
        `${name} key in output`,
      ).toEqual([]);
    }
  }, 240_000);
});
