/**
 * Why a kept interval survived, in the claim grammar: the verifier's strongest features for it (the
 * drop in probability when a feature is set to its typical value among false alarms), each said as the
 * measurement on the data it stands for, so the faithfulness checker verifies them like any card's claims.
 * Features that are not measurements on the data (screening scores, member agreement) are said in words
 * without numbers.
 */
import { discordClaim, statClaim, valueClaim, zClaim } from '../reasoning/claims';
import type { Evidence } from '../reasoning';
import { FEATURE_NAMES, type FeatureName } from './features';

type Group = 'peak' | 'level' | 'spread' | 'slope' | 'discord' | 'period' | 'missing' | 'duration' | 'screening';

const GROUP: Record<FeatureName, Group> = {
  log_duration: 'duration',
  log_duration_share: 'duration',
  log_duration_per_period: 'duration',
  peak_z: 'peak',
  peak_z_std: 'peak',
  peak_global_z: 'peak',
  outside_normal_range: 'peak',
  level_shift: 'level',
  level_shift_after: 'level',
  return_to_level: 'level',
  log_variance_ratio: 'spread',
  log_step_ratio: 'spread',
  log_range_ratio: 'spread',
  slope_change: 'slope',
  discord_z: 'discord',
  log_period_ratio: 'period',
  log_crossing_ratio: 'period',
  missing_share: 'missing',
  score_peak: 'screening',
  score_mean: 'screening',
  score_peak_vs_series: 'screening',
  score_rank: 'screening',
  score_sharpness: 'screening',
  log_candidates_per_10k: 'screening',
  members_agreeing: 'screening',
  member_poly: 'screening',
  member_matrix_profile: 'screening',
  member_variance_change: 'screening',
  member_iforest_window: 'screening',
  member_model: 'screening',
};

/** The sentence for one group of features, or null when the evidence lacks the measurement. */
function say(group: Group, e: Evidence): string | null {
  const [start, end] = e.interval;
  const b = e.before;
  const ins = e.inside;
  switch (group) {
    case 'peak':
      return e.peak && e.peak.z !== null
        ? `the ${valueClaim(e.peak.value, e.peak.index)} has a ${zClaim(e.peak.z, e.peak.index, b.range[0], b.range[1])}`
        : null;
    case 'level':
      return ins.mean !== null && b.mean !== null
        ? `the ${statClaim('mean', ins.mean, start, end)} against the ${statClaim('mean', b.mean, b.range[0], b.range[1])}`
        : null;
    case 'spread':
      return ins.std !== null && b.std !== null
        ? `the ${statClaim('standard deviation', ins.std, start, end)} against the ${statClaim('standard deviation', b.std, b.range[0], b.range[1])}`
        : null;
    case 'slope':
      return ins.slope !== null && b.slope !== null
        ? `the ${statClaim('slope', ins.slope, start, end)} against the ${statClaim('slope', b.slope, b.range[0], b.range[1])}`
        : null;
    case 'discord':
      return e.discord && e.discord.z !== null
        ? `a ${discordClaim(e.discord.z, e.discord.m, start, end, e.discord.range[0], e.discord.range[1])}`
        : null;
    case 'period':
      return ins.period !== null && b.period !== null
        ? `the ${statClaim('dominant period', ins.period, start, end)} against the ${statClaim('dominant period', b.period, b.range[0], b.range[1])}`
        : null;
    case 'missing':
      return e.missingShare > 0 ? statClaim('missing', e.missingShare, start, end) : null;
    case 'duration':
      return `its span ${`[${start}, ${end})`} lasts ${end - start} points`;
    case 'screening':
      return 'the screening detectors scored it far above the rest of the series';
  }
}

export interface WhyKept {
  text: string;
  /** feature name → drop in probability when set to its typical false-alarm value, for the strongest few */
  top: Record<string, number>;
}

/**
 * `contributions[f]`: how much lower the probability is with feature f at its baseline. The three strongest
 * positive contributions of distinct groups are said; the text ends with the verifier's confidence.
 */
export function whyKept(e: Evidence, probability: number, contributions: ArrayLike<number>, maxReasons = 3): WhyKept {
  const order = FEATURE_NAMES.map((name, f) => ({ name, f, c: contributions[f] }))
    .filter((x) => x.c > 0.005)
    .sort((a, b) => b.c - a.c || a.f - b.f);
  const used = new Set<Group>();
  const sentences: string[] = [];
  const top: Record<string, number> = {};
  for (const x of order) {
    const group = GROUP[x.name];
    if (used.has(group)) continue;
    const sentence = say(group, e);
    if (sentence === null) continue;
    used.add(group);
    sentences.push(sentence);
    top[x.name] = Number(x.c.toFixed(4));
    if (sentences.length >= maxReasons) break;
  }
  const pct = Math.round(probability * 100);
  const reasons = sentences.length > 0 ? ` Its strongest evidence: ${sentences.join('; ')}.` : '';
  return { text: `The verifier kept this interval with confidence ${pct}%.${reasons}`, top };
}
