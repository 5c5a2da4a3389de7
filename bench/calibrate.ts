/**
 * `npx tsx bench/calibrate.ts [--series name,name | --source tsb-ad|mgab|nab|all] [--hold-out share] [--max-points n]`: calibrateEnsemble
 * (main/detectors/calibrate.ts) on a few labeled series of shared/data (names as printed by
 * bench/quality.ts, e.g. mgab/1.csv; default: two TSB-AD and two NAB series), then the default and the
 * calibrated ensemble's VUS-PR, AUC-PR and interval F1 on the fit part and, with --hold-out, on the
 * held-out part. Last line: one JSON object with the result.
 */
import { calibrateEnsemble } from '../main/detectors';
import { loadLabeledSeries } from './shared-data';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const all = loadLabeledSeries();
const names = arg('--series')?.split(',');
const source = arg('--source');
const maxPoints = Number(arg('--max-points') ?? 20_000);
const chosen = names
  ? names.map((n) => {
      const s = all.find((x) => x.name === n || x.name.endsWith(`/${n}`));
      if (!s) throw new Error(`No labeled series "${n}" in shared/data.`);
      return s;
    })
  : source === 'all'
    ? all
    : source
      ? all.filter((s) => s.source === source)
      : [...all.filter((s) => s.source === 'tsb-ad').slice(0, 2), ...all.filter((s) => s.source === 'nab').slice(0, 2)];
const holdOut = arg('--hold-out');
const input = chosen.map((s) => ({ values: s.values.subarray(0, maxPoints), labels: s.labels.subarray(0, maxPoints) }));
console.log(`series: ${chosen.map((s, i) => `${s.name} (${input[i].values.length} points)`).join(', ')}`);
const t0 = performance.now();
const r = calibrateEnsemble(input, holdOut !== undefined ? { holdOutShare: Number(holdOut) } : {});
const seconds = (performance.now() - t0) / 1000;
const fmt = (m: { vus_pr: number | null; auc_pr: number | null; interval_f1: number | null }) =>
  `VUS-PR ${m.vus_pr?.toFixed(3) ?? '—'}  AUC-PR ${m.auc_pr?.toFixed(3) ?? '—'}  interval F1 ${m.interval_f1?.toFixed(3) ?? '—'}`;
console.log(`calibrated in ${seconds.toFixed(1)} s: ${JSON.stringify(r.params)}`);
console.log(`fit      before: ${fmt(r.before)}\n         after:  ${fmt(r.after)}`);
if (r.heldOut)
  console.log(`held out (${r.heldOut.how}) before: ${fmt(r.heldOut.before)}\n         after:  ${fmt(r.heldOut.after)}`);
console.log(JSON.stringify({ bench: 'calibrate', seconds: Number(seconds.toFixed(2)), ...r }));
