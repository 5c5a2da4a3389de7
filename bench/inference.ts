/**
 * Points/second of the bundled learned model: CPU provider at batch sizes 1, 16, 64 (default: 1 intra-op
 * thread; and 2 threads), then every other provider the binary lists (WebGPU, CUDA…) at batch 64, or why it failed.
 *   npx tsx bench/inference.ts [--points N] [--stride S]
 * Last line: {"bench":"inference","cpu":{"1":…,"16":…,"64":…},…}
 */
import { parseArgs } from 'node:util';
import {
  listSupportedBackends,
  loadModel,
  resolveModel,
  scoreSeriesWithModel,
  type LoadedModel,
  type ProviderName,
} from '../main/inference';
import { generateSeries } from '../main/synth';

const { values: args } = parseArgs({ options: { points: { type: 'string', default: '1000000' }, stride: { type: 'string' } } });
const points = Number(args.points);
const entry = await resolveModel('tsad-window-cnn');
const stride = args.stride !== undefined ? Number(args.stride) : entry.card.preprocessing.defaultStride;
const series = generateSeries({ length: points, seed: 1, anomalies: 20 }).values;
const warm = series.subarray(0, 20_000);

interface Row {
  provider: string;
  threads: string;
  batch: number;
  seconds: number;
  pointsPerSecond: number;
}
const rows: Row[] = [];

async function measure(model: LoadedModel, batch: number, threads: string): Promise<number> {
  await scoreSeriesWithModel(entry.modelPath, warm, { model, batchSize: batch, stride });
  const r = await scoreSeriesWithModel(entry.modelPath, series, { model, batchSize: batch, stride });
  const pps = points / r.execution.seconds;
  rows.push({ provider: r.execution.provider, threads, batch, seconds: r.execution.seconds, pointsPerSecond: pps });
  return Math.round(pps);
}

const result: Record<string, unknown> = {
  bench: 'inference',
  model: entry.id,
  points,
  stride,
  window: entry.card.preprocessing.window,
};
for (const [key, threads] of [
  ['cpu', undefined],
  ['cpu_2threads', 2],
] as const) {
  const model = await loadModel(entry.modelPath, {
    provider: 'cpu',
    card: entry.card,
    ...(threads !== undefined ? { threads } : {}),
  });
  const figures: Record<string, number> = {};
  for (const batch of [1, 16, 64])
    figures[String(batch)] = await measure(model, batch, threads === undefined ? 'default' : String(threads));
  await model.release();
  result[key] = figures;
}

const others = listSupportedBackends()
  .map((b) => b.name)
  .filter((n): n is ProviderName => ['cuda', 'webgpu', 'dml', 'coreml'].includes(n));
for (const provider of others) {
  try {
    const model = await loadModel(entry.modelPath, { provider, card: entry.card });
    if (model.provider !== provider) {
      result[provider] = { error: model.fallbackReason ?? 'fell back to CPU' };
    } else {
      result[provider] = { '64': await measure(model, 64, 'n/a'), '1024': await measure(model, 1024, 'n/a') };
    }
    await model.release();
  } catch (err) {
    result[provider] = { error: (err as Error).message };
  }
}

console.log(`model ${entry.id}, ${points} points, window ${entry.card.preprocessing.window}, stride ${stride}`);
console.log('provider  threads   batch   seconds   points/s');
for (const r of rows) {
  console.log(
    `${r.provider.padEnd(9)} ${r.threads.padEnd(9)} ${String(r.batch).padStart(5)} ${r.seconds.toFixed(3).padStart(9)} ${Math.round(r.pointsPerSecond).toLocaleString('en-US').padStart(12)}`,
  );
}
for (const p of others) {
  const v = result[p] as { error?: string };
  if (v.error !== undefined) console.log(`${p}: not used — ${v.error}`);
}
console.log(JSON.stringify(result));
