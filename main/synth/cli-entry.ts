/**
 * Script entry: `npx tsx main/synth/cli-entry.ts --out DIR --count N --seed S [--length L]`.
 * Writes a synthetic labeled series folder (see format.ts) for training/.
 */
import { parseArgs } from 'node:util';
import { writeSynthDataset } from './write';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    count: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    length: { type: 'string', default: '4096' },
  },
});
if (values.out === undefined) {
  console.error('usage: tsx main/synth/cli-entry.ts --out DIR [--count N] [--seed S] [--length L]');
  process.exit(2);
}
const count = Number(values.count);
const seed = Number(values.seed);
const length = Number(values.length);
const started = Date.now();
const manifest = await writeSynthDataset(values.out, count, seed, { length });
const anomalies = manifest.series.reduce((n, s) => n + s.anomalies.length, 0);
console.log(
  `wrote ${manifest.series.length} series (${anomalies} anomalies) to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
